"""WeCom end to end over real WebSockets: the official SDK against the emulator, the real
core and database. Onboarding, commands as text, the subscription itself."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.wecom import WeComChannel
from bot.errors import ConfigError
from bot.types import Incoming
from storage.tables import Member
from tests.channels import wecom_support
from tests.channels.wecom_support import config_for, invite_code, verified
from tests.support.chat import add_member
from tests.support.wecom_emulator import WeComEmulator

emu = wecom_support.emu  # fixtures
service = wecom_support.service
ZHANG = "zhangsan"


@pytest.fixture
def db_kind() -> str:
    """SQLite here: the channel is what these tests exercise (the database paths run on
    both databases in tests/flows and tests/storage)."""
    return "sqlite"


async def test_a_stranger_learns_only_how_to_verify_then_verifies_by_invite_code(
    app: App, emu: WeComEmulator, service
) -> None:
    member = await add_member(app, name="李委员", phone="13900000002")
    emu.send_text("lisi", "/help")
    await emu.said("lisi", "验证身份")
    emu.send_text("lisi", "/proposal")
    await emu.wait_for(lambda: len(emu.texts("lisi")) == 2)
    assert all("验证" in t for t in emu.texts("lisi"))  # nothing else is revealed
    emu.send_text("lisi", await invite_code(app, member))
    await emu.said("lisi", "验证成功")
    emu.send_text("lisi", "/help")
    await emu.said("lisi", "可用的命令")
    assert emu.replies and not emu.pushes  # answers go on the callbacks' req_ids


async def test_a_roster_member_with_a_wecom_account_is_recognised_on_first_message(
    app: App, emu: WeComEmulator, service
) -> None:
    member = await add_member(app, name="王委员", phone="13900000003")
    async with app.db.session() as session:
        row = await session.get(Member, member.id)
        assert row is not None
        row.wecom_userid = "WangWei01"
        session.add(row)
    emu.send_text("WangWei01", "/help")
    await emu.said("WangWei01", "王委员")
    await emu.said("WangWei01", "可用的命令")
    assert not any("邀请码" in t for t in emu.texts("WangWei01"))


async def test_commands_as_text_and_the_menu_as_a_card(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, "zhangsan")
    emu.send_text("zhangsan", "/menu")
    await emu.wait_for(lambda: bool(emu.cards("zhangsan")))
    card = emu.cards("zhangsan")[-1]
    assert card.card["card_type"] == "button_interaction"
    assert 1 <= len(card.buttons) <= 6 and all(b.get("key") or b.get("url") for b in card.buttons)


async def test_member_markup_is_shown_not_interpreted(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, "zhangsan")
    emu.send_text("zhangsan", "/contact")
    await emu.wait_for(lambda: bool(emu.cards("zhangsan")))
    emu.press("zhangsan", "履职咨询")
    await emu.wait_for(lambda: len(emu.sent) >= 2)
    typed = "**加粗** <@all> [链接](http://x.cn) #标题 " + "内容很长。" * 100
    emu.send_text("zhangsan", typed)
    await emu.said("zhangsan", "请确认留言")
    markdown = [s.text for s in emu.sent if s.card is None and "加粗" in s.text]
    assert markdown, "a long confirmation goes as markdown above its card"
    raw = markdown[-1]
    assert "<@" not in raw and not re.search(r"(?<!\\)\]\(", raw) and "**加粗**" not in raw
    assert r"\*\*加粗\*\*" in raw  # shown as typed, every mark escaped


async def test_a_wrong_secret_stops_the_start_with_one_clear_line(
    app: App, emu: WeComEmulator
) -> None:
    channel = WeComChannel(config=config_for(emu, secret="wrong"))

    async def ignore(incoming: object) -> None:
        return None

    with pytest.raises(ConfigError) as raised:
        await channel.start(ignore)
    line = str(raised.value)
    assert "订阅失败" in line and "COMMITTEE_BOT_WECOM_SECRET" in line and "\n" not in line
    assert "wrong" not in line
    assert emu.auth_failures == 1 and emu.subscribes == 0


async def test_a_file_a_member_sends_arrives_decrypted(emu: WeComEmulator) -> None:
    arrived: list[Incoming] = []

    async def record(incoming: Incoming) -> None:
        arrived.append(incoming)

    channel = WeComChannel(config=config_for(emu))
    await channel.start(record)
    try:
        content = "读书心得：《习近平谈治国理政》第四卷".encode() * 50
        emu.send_file(ZHANG, "读书心得.docx", content)
        await emu.wait_for(lambda: bool(arrived))
    finally:
        await channel.stop()
    [incoming] = arrived
    assert incoming.kind == "document" and incoming.document is not None
    assert incoming.document.file_name == "读书心得.docx"
    assert incoming.document.content == content


async def test_in_a_group_the_bot_answers_mentions_and_keeps_personal_features_private(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, ZHANG)
    emu.send_text(ZHANG, "@委员履职助手 /proposal", group="wrGroup01")
    await emu.said("wrGroup01", "私聊")
    emu.send_text(ZHANG, "@委员履职助手 提案的截止时间是什么时候？", group="wrGroup01")
    await emu.wait_for(lambda: len(emu.texts("wrGroup01")) >= 2, timeout=15)
    assert not emu.texts(ZHANG)  # nothing leaked into the private chat


async def test_run_channel_wecom_with_a_wrong_secret_exits_with_one_line(
    emu: WeComEmulator, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "COMMITTEE_BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "COMMITTEE_BOT_WECOM_BOT_ID": emu.bot_id,
        "COMMITTEE_BOT_WECOM_SECRET": "not-the-secret",
        "COMMITTEE_BOT_WECOM_WS_URL": emu.ws_url,
    }
    bot = Path(sys.executable).with_name("committee-bot")
    child = await asyncio.create_subprocess_exec(
        str(bot), "run", "--channel", "wecom", env=env, stdout=PIPE, stderr=PIPE
    )
    _, err = await asyncio.wait_for(child.communicate(), timeout=120)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert child.returncode == 2, err.decode()
    assert len(lines) == 1 and "订阅失败" in lines[0] and "not-the-secret" not in lines[0]
    assert emu.auth_failures == 1
