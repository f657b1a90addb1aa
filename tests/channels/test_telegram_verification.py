"""Verification over real HTTP on both Telegram channels: only the sender's own contact
verifies, and a member's new account signs the old one out."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.app import App
from bot.serve import TelegramService
from storage.tables import AuditEntry, Identity
from tests.channels.test_telegram_e2e import USER, said, start_service
from tests.support.botapi_emulator import BotApiEmulator
from tests.support.chat import add_member


@pytest.fixture
def db_kind() -> str:
    return "sqlite"  # the channels are under test here; the flows run on both databases


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture(params=["ptb", "aiogram"])
async def service(
    request: pytest.FixtureRequest, app: App, emu: BotApiEmulator
) -> AsyncIterator[TelegramService]:
    service = await start_service(app, emu, str(request.param))
    yield service
    await service.stop()


async def identities(app: App) -> list[Identity]:
    async with app.db.session() as session:
        return list((await session.exec(select(Identity))).all())


async def test_a_contact_card_that_is_not_the_sender_does_not_verify(
    app: App, emu: BotApiEmulator, service: TelegramService
) -> None:
    await add_member(app, name="张委员", phone="13900000001")
    emu.share_contact(USER, "+86 139 0000 0001", without_user_id=True)
    await said(emu, USER, "请点击下方按钮分享您本人的手机号")
    keyboard = emu.last(USER).reply_markup
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_contact"] is True
    emu.share_contact(USER, "13900000001", contact_user_id=USER + 77)  # someone else's card
    await emu.wait_for_messages(USER, 2)
    assert "请点击下方按钮分享您本人的手机号" in emu.texts(USER)[-1]
    emu.send_text(USER, "/me")
    await said(emu, USER, "请先验证身份")
    assert await identities(app) == []
    async with app.db.session() as session:
        refused = (
            await session.exec(
                select(AuditEntry).where(AuditEntry.action == "security.verify_failed")
            )
        ).all()
    assert len(refused) == 2
    emu.share_contact(USER, "13900000001")  # their own, by the button
    await said(emu, USER, "验证成功，欢迎您，张委员")


async def test_a_new_account_signs_the_old_one_out(
    app: App, emu: BotApiEmulator, service: TelegramService
) -> None:
    await add_member(app, name="张委员", phone="13900000001")
    emu.share_contact(USER, "13900000001")
    await said(emu, USER, "验证成功")
    emu.share_contact(USER + 1, "13900000001")
    await said(emu, USER + 1, "验证成功，欢迎您，张委员")
    await said(emu, USER, "已在另一个账号上验证，本账号已退出")  # through the outbox
    emu.send_text(USER, "/me")
    await said(emu, USER, "请先验证身份")
    assert [i.user_id for i in await identities(app)] == [str(USER + 1)]  # as text
