"""WeCom faults end to end: a connection dropped mid-flow, errcodes that mean "later" and
"never", a card update after WeCom's 5-second window."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import App
from bot.catalogue import catalogue
from bot.notices.buttons import answer_buttons
from bot.notices.draft import NoticeDraft
from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind
from bot.notices.service import create_notice, notice_rules, send_notice
from storage.columns import utcnow
from storage.tables import Identity
from tests.channels import wecom_support
from tests.channels.wecom_support import verified
from tests.support.wecom_emulator import ERR_WINDOW, WeComEmulator

ZHANG = "zhangsan"

emu = wecom_support.emu  # fixtures
service = wecom_support.service


@pytest.fixture
def db_kind() -> str:
    return "sqlite"


async def notice_to_all(app: App) -> int:
    now = utcnow()
    draft = NoticeDraft(
        kind=MeetingKind.PLENARY,
        title="市政协全体会议",
        starts_at=now + timedelta(days=10),
        place="市政协会议中心",
        mode=AttendanceMode.REQUIRED,
        reply_deadline=now + timedelta(days=7),
        audience=Audience(AudienceKind.ALL),
    )
    nid = await create_notice(app.db.session, draft, rules=notice_rules(), created_by="t")
    buttons = answer_buttons(app.services.signer, catalogue())
    return await send_notice(app.db.session, nid, zone=app.settings.zone, buttons=buttons)


async def test_a_connection_dropped_mid_flow_loses_nothing_and_doubles_nothing(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, ZHANG)
    emu.send_text(ZHANG, "/contact")
    await emu.said(ZHANG, "第 1/3 步")
    emu.press(ZHANG, "履职咨询")
    await emu.said(ZHANG, "已选择「履职咨询」")
    # The connection breaks just as the answer to the next message goes out.
    emu.drop_before_answer = True
    emu.send_text(ZHANG, "请问议题怎么报送？")
    await emu.said(ZHANG, "请确认留言", timeout=15)
    assert emu.subscribes >= 2  # the SDK reconnected and subscribed again
    # WeCom retried the unanswered callback on the new connection: handled once only.
    await emu.wait_for(lambda: not any(cb for cb in emu._pending), timeout=5)
    assert sum("请确认留言" in t for t in emu.texts(ZHANG)) == 1
    # and the flow goes on where it was
    emu.press(ZHANG, "发送")
    await emu.said(ZHANG, "留言已送达秘书处")


async def test_messages_while_disconnected_arrive_after_the_reconnect(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, ZHANG)
    await emu.drop()
    emu.send_text(ZHANG, "/help")
    await emu.said(ZHANG, "可用的命令", timeout=15)
    assert len(emu.texts(ZHANG)) == 1


async def test_later_errcodes_are_retried_and_delivered_once(
    app: App, emu: WeComEmulator, service
) -> None:
    for n in range(3):
        await verified(app, f"weiyuan{n}", name=f"委员{n}", phone=f"1390000010{n}")
    emu.fail(45009, times=2, cmd="aibot_send_msg", chat="weiyuan1")
    emu.fail(-1, times=1, cmd="aibot_send_msg", chat="weiyuan2")
    assert await notice_to_all(app) == 3
    service.worker.wake()
    for n in range(3):
        await emu.said(f"weiyuan{n}", "市政协全体会议", timeout=15)
    assert sorted(code for _, code in emu.refused) == [-1, 45009, 45009]
    chats = [p["chatid"] for p in emu.pushes]
    assert sorted(chats) == ["weiyuan0", "weiyuan1", "weiyuan2"]  # each exactly once


async def test_never_errcodes_mark_the_member_unreachable(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, "gone", name="离职委员", phone="13900000101")
    await verified(app, "here", name="在职委员", phone="13900000102")
    emu.block("gone")
    assert await notice_to_all(app) == 2
    service.worker.wake()
    await emu.said("here", "市政协全体会议")

    async def marked() -> bool:
        async with app.db.session() as session:
            row = (await session.exec(select(Identity).where(Identity.user_id == "gone"))).one()
            return row.unreachable_at is not None

    for _ in range(50):
        if await marked():
            break
        await asyncio.sleep(0.1)
    assert await marked()
    assert [p["chatid"] for p in emu.pushes] == ["here"]


async def test_an_edit_after_the_update_window_goes_as_a_new_message(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, ZHANG)
    emu.update_window = 0.0  # WeCom's 5 s have passed by the time the update comes
    emu.send_text(ZHANG, "/contact")
    await emu.said(ZHANG, "第 1/3 步")
    emu.press(ZHANG, "履职咨询")
    await emu.said(ZHANG, "已选择「履职咨询」")
    assert ("aibot_respond_update_msg", ERR_WINDOW) in emu.refused
    assert not emu.updates


async def test_heartbeats_keep_the_connection(app: App, emu: WeComEmulator, service) -> None:
    await emu.wait_for(lambda: emu.heartbeats >= 2, timeout=5)  # one a second in tests
    assert emu.connected and emu.subscribes == 1


async def test_a_reply_half_sent_is_completed_not_repeated(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, ZHANG)
    emu.send_text(ZHANG, "/contact")
    await emu.said(ZHANG, "第 1/3 步")
    emu.press(ZHANG, "履职咨询")
    await emu.said(ZHANG, "已选择「履职咨询」")
    # The long confirmation goes as markdown, then its card; WeCom is busy for the card.
    emu.fail(-1, cmd="aibot_respond_msg", kind="template_card")
    emu.send_text(ZHANG, "请问议题怎么报送？" + "具体情况说明。" * 80)
    await emu.wait_for(lambda: emu.has_button(ZHANG, "发送"), timeout=15)
    assert ("aibot_respond_msg", -1) in emu.refused
    assert sum("请确认留言" in t for t in emu.texts(ZHANG)) == 1
