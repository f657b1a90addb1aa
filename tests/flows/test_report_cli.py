"""The secretariat's report decisions from the terminal (real processes, SQLite file).

The report is written in-process through the chat harness (fast); only the commands under
test run as processes.
"""

from __future__ import annotations

from pathlib import Path

from bot.app import build_app
from bot.settings import Settings
from tests.flows.test_cli import cli
from tests.flows.test_report_flow import submitted
from tests.support.chat import Chat, add_member


async def test_list_adopt_and_an_illegal_decision_from_the_terminal(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}")  # type: ignore[arg-type]
    app = await build_app(settings=settings, upgrade=True)
    try:
        member = await add_member(app, name="李秀梅", phone="13800000002")
        await submitted(await Chat.verified(app, member))
        member_chat = await Chat.verified(app, member, platform="telegram")
    finally:
        await app.db.dispose()
    queue = cli(tmp_path, "reports", "list")
    assert "#1\t已报送\t紧急\t李秀梅\t城东小学放学时段校门口拥堵" in queue.stdout, queue.stderr
    adopted = cli(tmp_path, "reports", "adopt", "1", "--level", "province", "--note", "省政协刊发")
    assert "已处理 #1" in adopted.stdout and "省政协采用" in adopted.stdout, adopted.stderr
    refused = cli(tmp_path, "reports", "keep", "1")
    assert refused.returncode == 1 and "不能执行“留存”" in refused.stderr
    app = await build_app(settings=settings, upgrade=False)
    try:
        member_chat.app = app
        notices = await member_chat.outbox_texts()
    finally:
        await app.db.dispose()
    assert any("城东小学放学时段校门口拥堵" in t and "省政协采用" in t for t in notices)
