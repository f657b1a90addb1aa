"""Issue 11: bidi overrides, zero-width and control characters never reach a draft; the
member's visible text does, and the secretariat's listings and exports show it clean."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlmodel import select

from bot.app import App
from storage.tables import Conversation, InboxMessage
from tests.flows.test_cli import cli
from tests.support.chat import Chat

RLO, ZWSP, ZWJ, BOM, BELL = "\u202e", "\u200b", "\u200d", "\ufeff", "\x07"
HIDDEN = (RLO, ZWSP, ZWJ, BOM, BELL, "\u2066", "\u200f")


async def test_flow_answers_are_stored_as_the_member_sees_them(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await member_chat.send("/contact")
    await member_chat.press("履职咨询")
    await member_chat.send(f"请问{RLO}txt.exe{ZWSP}的{BOM}材料\n第二行{BELL}怎么报送？")
    async with app.db.session() as session:
        draft = (await session.exec(select(Conversation))).one()
    stored = str(draft.data["body"])
    assert stored == "请问txt.exe的材料\n第二行怎么报送？"
    assert "内容：请问txt.exe的材料" in member_chat.text
    # An answer made only of invisible characters is an empty answer, not an invisible one.
    await member_chat.press("上一步")
    await member_chat.send(f"{RLO}{ZWSP}{ZWJ}")
    assert "不能为空" in member_chat.text or "请输入" in member_chat.text
    await member_chat.send("真实内容")
    await member_chat.press("发送")
    async with app.db.session() as session:
        message = (await session.exec(select(InboxMessage))).one()
    assert not any(ch in message.body for ch in HIDDEN)


def test_cli_listings_and_exports_show_clean_text(tmp_path: Path) -> None:
    cli(tmp_path, "chat", "--script", stdin="1\n")  # demo roster
    title = f"加快发展{RLO}普惠{ZWSP}托育服务"
    script = "\n".join(
        [
            "/proposal",
            "1",  # 个人提案
            title,
            "3",  # 教育
            ("近年来托育需求持续增长，全市每千人口托位数1.4个，低于4.5个的目标。" + ZWSP) * 5,
            f"1. 每个街道至少建成一所普惠性托育机构。{RLO}\n2. 市财政按每个托位每年2000元给予补贴。",
            "1",  # 提交
            "1",  # 确认提交
            "",
        ]
    )
    drafted = cli(tmp_path, "chat", "--script", "--as", "示例·李秀梅", stdin=script)
    assert "已提交" in drafted.stdout, drafted.stdout + drafted.stderr
    listing = cli(tmp_path, "proposals", "list")
    assert "发展普惠托育服务" in listing.stdout, listing.stdout + listing.stderr
    assert not any(ch in listing.stdout for ch in HIDDEN)
    out = tmp_path / "提案.xlsx"
    year = str(datetime.now(ZoneInfo("Asia/Shanghai")).year)
    exported = cli(tmp_path, "proposals", "export", "--year", year, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    ws = load_workbook(io.BytesIO(out.read_bytes())).active
    cells = [str(c.value) for r in ws.iter_rows() for c in r if c.value is not None]
    assert any("发展普惠托育服务" in c for c in cells)
    assert not any(ch in c for c in cells for ch in HIDDEN)
