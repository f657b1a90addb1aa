"""Whole member flows on WeCom over real WebSockets: a proposal by card clicks, a notice
broadcast answered by RSVP cards, forged card payloads, redelivered callbacks."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlmodel import select

from bot.app import App
from bot.catalogue import catalogue
from bot.channels.wecom import WeComChannel
from bot.channels.wecom_serve import WeComService, channel_services
from bot.notices.buttons import answer_buttons
from bot.notices.draft import NoticeDraft
from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind
from bot.notices.service import create_notice, notice_rules, send_notice
from storage.columns import utcnow
from storage.roster import Roster
from storage.tables import NoticeRecipient, Proposal
from tests.channels import wecom_support
from tests.channels.wecom_support import verified
from tests.support.botapi_emulator import BotApiEmulator
from tests.support.chat import add_member
from tests.support.proposal_texts import CHILDCARE_SITUATION, CHILDCARE_SUGGESTIONS
from tests.support.wecom_emulator import WeComEmulator

ZHANG = "zhangsan"

emu = wecom_support.emu  # fixtures
service = wecom_support.service


@pytest.fixture
def db_kind() -> str:
    return "sqlite"


async def step(
    emu: WeComEmulator, user: str, *, text: str = "", press: str = "", then: str
) -> None:
    """One member action, then wait until the bot says ``then``."""
    if press:
        await emu.wait_for(lambda: emu.has_button(user, press))
    before = len(emu.texts(user))
    if press:
        emu.press(user, press)
    else:
        emu.send_text(user, text)

    def answered() -> bool:
        texts = emu.texts(user)
        changed = len(texts) > before or any(c.history for c in emu.cards(user))
        return changed and any(then in t for t in texts)

    try:
        await emu.wait_for(answered)
    except AssertionError:
        raise AssertionError(
            f"{then!r} not said after {text or press}: {emu.texts(user)[-3:]}"
        ) from None


async def test_a_whole_proposal_by_card_clicks(app: App, emu: WeComEmulator, service) -> None:
    await verified(app, ZHANG)
    await verified(app, "mishu", name="秘书处小王", phone="13900000009", roles="secretariat")
    await step(emu, ZHANG, text="/proposal", then="个人提案")
    await step(emu, ZHANG, press="个人提案", then="案由")
    await step(emu, ZHANG, text="加快发展普惠托育服务", then="教育")
    await step(emu, ZHANG, press="教育", then="情况")
    await step(emu, ZHANG, text=CHILDCARE_SITUATION, then="建议")
    await step(emu, ZHANG, text=CHILDCARE_SUGGESTIONS, then="请核对提案")
    await step(emu, ZHANG, press="提交", then="确认提交")
    await step(emu, ZHANG, press="确认提交", then="已提交")
    async with app.db.session() as session:
        [row] = list(await session.exec(select(Proposal)))
    assert row.status == "submitted" and row.field == "教育"
    # the secretariat is told by a push, through the outbox
    await emu.said("mishu", "新提案待审查")
    assert any(p["chatid"] == "mishu" for p in emu.pushes)
    # a clicked card was updated in place at least once (within WeCom's 5 s)
    assert emu.updates


async def test_a_notice_broadcast_is_answered_on_its_card(
    app: App, emu: WeComEmulator, service
) -> None:
    users = [f"weiyuan{n}" for n in range(5)]
    for n, user in enumerate(users):
        await verified(app, user, name=f"委员{n}", phone=f"1390000010{n}")
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
    assert await send_notice(app.db.session, nid, zone=app.settings.zone, buttons=buttons) == 5
    service.worker.wake()
    for user in users:
        await emu.said(user, "市政协全体会议")
    assert {p["chatid"] for p in emu.pushes} == set(users)  # pushes, one chat each
    await step(emu, users[0], press="参加", then="已登记")
    async with app.db.session() as session:
        answers = {r.answer for r in await session.exec(select(NoticeRecipient))}
    assert "attend" in {str(getattr(a, "value", a)) for a in answers}


async def test_a_forged_card_payload_changes_nothing(app: App, emu: WeComEmulator, service) -> None:
    await verified(app, ZHANG)
    await step(emu, ZHANG, text="/contact", then="第 1/3 步")
    card = emu.cards(ZHANG)[-1]
    emu.click(ZHANG, card, "flow.choose|x|1|forgedsig0")
    await emu.said(ZHANG, "按钮")
    emu.click(ZHANG, card, "完全不是签名的内容🙂")
    await emu.wait_for(lambda: sum("按钮" in t for t in emu.texts(ZHANG)) >= 2)
    # the flow is where it was: the real button still works
    await step(emu, ZHANG, press="履职咨询", then="已选择「履职咨询」")


async def test_a_redelivered_callback_is_handled_once(
    app: App, emu: WeComEmulator, service
) -> None:
    await verified(app, ZHANG)
    msgid = emu.send_text(ZHANG, "/contact")
    await emu.said(ZHANG, "第 1/3 步")
    emu.redeliver(msgid)
    emu.redeliver(msgid)
    emu.send_text(ZHANG, "/help")
    await emu.said(ZHANG, "可用的命令")
    assert sum("第 1/3 步" in t for t in emu.texts(ZHANG)) == 1


async def test_a_calendar_file_comes_from_the_application_or_is_pointed_to(
    app: App, emu: WeComEmulator
) -> None:
    """With the application configured the .ics arrives as a file (a new token fetched
    when WeCom says the old one expired); without it the member is told where to get it."""
    await verified(app, "weiyuan0", name="委员0", phone="13900000100")
    await verified(app, "weiyuan1", name="委员1", phone="13900000101")
    with_files = dataclasses.replace(
        wecom_support.config_for(emu),
        corp_id=emu.corp_id,
        agent_id=emu.agent_id,
        app_secret=emu.app_secret,
        api_url=emu.api_url,
    )
    running = WeComService(app=app, channel=WeComChannel(config=with_files))
    await running.start()
    try:
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
        await send_notice(app.db.session, nid, zone=app.settings.zone, buttons=buttons)
        running.worker.wake()
        await step(emu, "weiyuan0", press="加入日历", then="已由本委员会的企业微信应用发给您")
        [(user, name, content)] = emu.app_files
        assert user == "weiyuan0" and name.endswith(".ics") and b"BEGIN:VCALENDAR" in content
        emu.expire_tokens()
        await step(emu, "weiyuan1", press="加入日历", then="已由本委员会的企业微信应用发给您")
        assert [f[0] for f in emu.app_files] == ["weiyuan0", "weiyuan1"]
    finally:
        await running.stop()
    plain = WeComService(app=app, channel=WeComChannel(config=wecom_support.config_for(emu)))
    await plain.start()
    try:
        await step(emu, "weiyuan0", press="加入日历", then="无法通过企业微信智能机器人发送")
        assert len(emu.app_files) == 2
    finally:
        await plain.stop()


async def test_telegram_and_wecom_members_are_served_by_one_process(
    app: App, emu: WeComEmulator
) -> None:
    """``--channel ptb,wecom``: one core, each platform's replies and pushes on its own."""
    async with BotApiEmulator() as tg:
        settings = app.settings.model_copy(
            update={
                "telegram_token": SecretStr(tg.token),
                "telegram_api_url": tg.api_url,
                "wecom_bot_id": emu.bot_id,
                "wecom_secret": SecretStr(emu.secret),
                "wecom_ws_url": emu.ws_url,
            }
        )
        services = channel_services(app, ["ptb", "wecom"], settings, webhook=None)
        await verified(app, ZHANG)
        member = await add_member(app, name="李委员", phone="13900000002")
        async with app.db.session() as session:
            await Roster(session).bind(
                member, platform="telegram", user_id="4000000001", chat_id="4000000001", via="t"
            )
        for running in services:
            await running.start()
        try:
            emu.send_text(ZHANG, "/help")
            tg.send_text(4000000001, "/help")
            await emu.said(ZHANG, "可用的命令")
            await tg.wait_for(lambda: any("可用的命令" in t for t in tg.texts(4000000001)))
            await verified(
                app, "mishu", name="秘书处小王", phone="13900000009", roles="secretariat"
            )
            await step(emu, ZHANG, text="/contact", then="第 1/3 步")
            await step(emu, ZHANG, press="履职咨询", then="已选择")
            await step(emu, ZHANG, text="请问议题怎么报送？", then="请确认留言")
            await step(emu, ZHANG, press="发送", then="留言已送达秘书处")
            await emu.said("mishu", "请问议题怎么报送")  # the secretariat's push, on WeCom
        finally:
            for running in services:
                await running.stop()
