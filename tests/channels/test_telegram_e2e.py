"""The same member scenarios on both Telegram channels (python-telegram-bot and aiogram),
over real HTTP against the Bot API emulator, with the real core and database."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import App
from bot.channels.telegram import TelegramConfig, WebhookConfig
from bot.serve import TelegramService, make_channel
from storage.roster import Roster
from storage.tables import Identity
from tests.support.botapi_emulator import BotApiEmulator
from tests.support.chat import add_member

USER = 4_000_000_001


@pytest.fixture
def db_kind() -> str:
    """SQLite only here: the channels are what these tests exercise, and the database
    paths they reach run on both databases in tests/flows and tests/storage."""
    return "sqlite"


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def config_for(emu: BotApiEmulator, *, webhook: bool = False) -> TelegramConfig:
    hook = None
    if webhook:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        hook = WebhookConfig(
            url=f"http://127.0.0.1:{port}/telegram",
            host="127.0.0.1",
            port=port,
            secret="test-secret",
        )
    return TelegramConfig(
        token=emu.token,
        api_url=emu.api_url,
        max_upload_bytes=1024 * 1024,
        webhook=hook,
        poll_timeout=1,
    )


async def start_service(
    app: App, emu: BotApiEmulator, library: str, *, webhook: bool = False
) -> TelegramService:
    service = TelegramService(
        app=app, channel=make_channel(library, config_for(emu, webhook=webhook))
    )
    await service.start()
    return service


@pytest.fixture
async def service(app: App, emu: BotApiEmulator, library: str) -> AsyncIterator[TelegramService]:
    service = await start_service(app, emu, library)
    yield service
    await service.stop()


async def verified(app: App, user_id: int = USER, phone: str = "13900000001") -> None:
    member = await add_member(app, name="张委员", phone=phone)
    async with app.db.session() as session:
        await Roster(session).bind(
            member, platform="telegram", user_id=str(user_id), chat_id=str(user_id), via="test"
        )


async def said(emu: BotApiEmulator, chat_id: int, fragment: str, timeout: float = 8) -> None:
    await emu.wait_for(lambda: any(fragment in t for t in emu.texts(chat_id)), timeout=timeout)


async def test_verification_by_contact_share(app, emu, service) -> None:
    await add_member(app, name="张委员", phone="13900000001")
    emu.send_text(USER, "/start")
    await said(emu, USER, "验证身份")
    keyboard = emu.last(USER).reply_markup
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_contact"] is True
    emu.share_contact(USER, "+86 139 0000 0001")
    await said(emu, USER, "验证成功")
    assert emu.commands["default"] and all(c["description"] for c in emu.commands["default"])


async def test_verification_by_deep_link(app, emu, service) -> None:
    member = await add_member(app, name="李委员", phone="13900000002")
    async with app.db.session() as session:
        invite = await Roster(session).new_invite(member, ttl=timedelta(hours=1), created_by="t")
    emu.send_text(USER, f"/start {invite.code}")
    await said(emu, USER, "验证成功")


async def test_flow_with_buttons_edits_and_answered_callbacks(app, emu, service) -> None:
    await verified(app)
    emu.send_text(USER, "/contact")
    await said(emu, USER, "第 1/3 步")
    question = emu.last(USER)
    query = emu.press(USER, question, question.callback_data("履职咨询"))
    await emu.wait_for(lambda: bool(question.history))
    assert "已选择「履职咨询」" in (question.text or "") and question.parse_mode == "HTML"
    await emu.wait_for(lambda: query in emu.callback_answers)
    emu.send_text(USER, "请问<b>议题</b>怎么报送？")
    await said(emu, USER, "请确认留言")
    assert "&lt;b&gt;议题" in emu.last(USER).text  # member markup shown, not interpreted
    confirm = emu.last(USER)
    emu.press(USER, confirm, confirm.callback_data("发送"))
    await said(emu, USER, "留言已送达秘书处")
    await emu.wait_for(lambda: len(emu.callback_answers) == 2)


async def test_restart_mid_flow_continues(app, emu, library) -> None:
    await verified(app)
    first = await start_service(app, emu, library)
    emu.send_text(USER, "/contact")
    await said(emu, USER, "第 1/3 步")
    question = emu.last(USER)
    emu.press(USER, question, question.callback_data("其他"))
    await emu.wait_for(lambda: bool(question.history))
    await first.stop()
    second = await start_service(app, emu, library)
    try:
        emu.send_text(USER, "重启之后的内容")
        await said(emu, USER, "内容：重启之后的内容")
    finally:
        await second.stop()


async def test_a_stop_under_load_loses_nothing_and_doubles_nothing(app, emu, library) -> None:
    """Members keep writing while the bot stops and starts again: every message is answered
    exactly once, whether it was in flight, fetched but not yet handed out, or not fetched."""
    users = [USER + n for n in range(12)]
    for n, uid in enumerate(users):
        await verified(app, uid, phone=f"139000001{n:02d}")
    first = await start_service(app, emu, library)
    for round_ in range(5):
        for uid in users:
            emu.send_text(uid, f"/help 第{round_}轮")
    await emu.wait_for(lambda: sum(len(emu.texts(uid)) for uid in users) >= 6)
    await first.stop()
    second = await start_service(app, emu, library)
    try:
        for uid in users:
            await emu.wait_for_messages(uid, 5, timeout=15)
        await emu.wait_idle()
    finally:
        await second.stop()
    assert all(len(emu.texts(uid)) == 5 for uid in users)


async def test_duplicate_update_is_handled_once(app, emu, service) -> None:
    await verified(app)
    update_id = emu.send_text(USER, "/contact")
    await said(emu, USER, "第 1/3 步")
    await emu.wait_idle()
    emu.redeliver(update_id)
    await emu.wait_idle()
    emu.send_text(USER, "/help")
    await emu.wait_for_messages(USER, 2)
    await emu.wait_idle()
    assert sum("第 1/3 步" in t for t in emu.texts(USER)) == 1


async def test_forged_callback_changes_nothing_and_is_answered(app, emu, service) -> None:
    await verified(app)
    emu.send_text(USER, "/contact")
    await said(emu, USER, "第 1/3 步")
    query = emu.press(USER, emu.last(USER), "flow.choose:forged:0:sig")
    await emu.wait_for(lambda: query in emu.callback_answers)
    await said(emu, USER, "按钮")
    assert emu.callback_answers[query].get("text")  # the toast says why


async def test_blocked_member_is_marked_and_others_are_served(app, emu, service) -> None:
    await verified(app)
    await verified(app, USER + 1, "13900000003")
    emu.block(USER)
    emu.send_text(USER, "/help")
    emu.send_text(USER + 1, "/help")
    await emu.wait_for_messages(USER + 1, 1)

    async def marked() -> bool:
        async with app.db.session() as session:
            ident = (await session.exec(select(Identity).where(Identity.user_id == USER))).one()
        return ident.unreachable_at is not None

    for _ in range(100):
        if await marked():
            break
        await asyncio.sleep(0.05)
    assert await marked()


async def test_faults_delay_but_lose_nothing(app, emu, service) -> None:
    await verified(app)
    emu.fail("500", method="sendMessage", chat_id=USER)
    emu.fail("drop", method="sendMessage", chat_id=USER)
    emu.fail("429", method="sendMessage", chat_id=USER, retry_after=1)
    emu.fail("500", method="getUpdates")
    emu.fail("drop", method="getUpdates")
    emu.send_text(USER, "/help")
    await said(emu, USER, "/menu", timeout=15)
    assert emu.flood_violations == 0
    emu.send_photo(USER)
    await said(emu, USER, "暂不支持这类消息")
    emu.send_document(USER, "意见.txt", "内容".encode(), mime_type="text/plain")
    await said(emu, USER, "收到文件")
    assert emu.method_calls("getFile")


async def test_webhook_mode_checks_the_secret(app, emu, library) -> None:
    await verified(app)
    service = await start_service(app, emu, library, webhook=True)
    try:
        assert emu.webhook_url.endswith("/telegram") and emu.webhook_secret == "test-secret"
        emu.send_text(USER, "/help")
        await said(emu, USER, "/menu")
        emu.webhook_secret = "wrong"
        emu.send_text(USER, "/me")
        await emu.wait_for(lambda: any("401" in e for e in emu.webhook_errors))
        assert len(emu.texts(USER)) == 1
        emu.webhook_secret = "test-secret"  # Telegram keeps pushing; now it is accepted
        await emu.wait_for_messages(USER, 2, timeout=8)
    finally:
        await service.stop()


async def test_proposal_drafted_submitted_and_downloaded_over_telegram(app, emu, service) -> None:
    """Issue 4 over both libraries: the whole drafting flow, the clerk's checks, the DOCX."""
    await verified(app)

    async def press(label: str) -> None:
        message = emu.last(USER)
        emu.press(USER, message, message.callback_data(label))

    emu.send_text(USER, "/proposal")
    await said(emu, USER, "个人提案")
    await press("个人提案")
    await said(emu, USER, "案由")
    emu.send_text(USER, "加快老旧小区加装电梯")
    await said(emu, USER, "提案类别")
    await press("城建")
    await said(emu, USER, "情况")
    emu.send_text(USER, "全市老旧小区约两千个，多数没有电梯，老年居民上下楼困难，加装进度缓慢。")
    await said(emu, USER, "建议")
    emu.send_text(
        USER, "1. 简化加装电梯审批流程。\n2. 设立市级补贴资金。\n3. 建立低楼层住户补偿机制。"
    )
    await said(emu, USER, "关于加快老旧小区加装电梯的提案")  # the preview, title helped
    await press("提交")
    await said(emu, USER, "确认提交")
    await press("确认提交")
    await said(emu, USER, "已提交")
    await press("下载 Word 文本")
    await emu.wait_for(lambda: bool(emu.method_calls("sendDocument")))
