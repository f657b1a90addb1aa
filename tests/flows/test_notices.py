"""Meeting notices as people meet them in chat: the clerk composes and sends, members answer."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.catalogue import catalogue
from bot.notices.buttons import answer_buttons
from bot.notices.draft import NoticeDraft
from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind
from bot.notices.service import create_notice, notice_rules, send_notice
from bot.text import render
from bot.types import Reply
from storage.notices import NoticesRepo
from tests.support.chat import Chat, FakeClock, add_member


async def a_notice(
    app: App, clock: FakeClock, *, mode: AttendanceMode = AttendanceMode.REQUIRED
) -> int:
    draft = NoticeDraft(
        kind=MeetingKind.STANDING,
        title="常委会第十次会议",
        starts_at=clock.now + timedelta(days=8),
        place="三楼会议室",
        mode=mode,
        reply_deadline=clock.now + timedelta(days=5),
        audience=Audience(AudienceKind.SECTORS, ("经济界",)),
    )
    nid = await create_notice(app.db.session, draft, rules=notice_rules(), created_by="cli:t")
    buttons = answer_buttons(app.services.signer, catalogue())
    await send_notice(app.db.session, nid, zone=app.settings.zone, buttons=buttons)
    return nid


async def notice_in_chat(chat: Chat) -> Reply:
    replies = await chat.outbox_replies()
    return next(r for r in replies if "常委会第十次会议" in render(r.text, "plain"))


def payload(reply: Reply, label: str) -> str:
    for row in reply.buttons:
        for b in row:
            if render(b.label, "plain") == label:
                return b.action or ""
    raise AssertionError(label)


async def test_clerk_composes_previews_and_sends_to_a_sector(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    other = await add_member(app, name="教育界委员", phone="13900000002", sector="教育界")
    other_chat = await Chat.verified(app, other)
    await staff_chat.send("/notice")
    await staff_chat.press("全体会议")
    await staff_chat.send("市政协全体会议")
    await staff_chat.send("3月5日上午9点")  # three days ahead: a plenary needs seven
    await staff_chat.press("跳过")
    await staff_chat.send("市政协会议中心")
    await staff_chat.press("跳过")
    await staff_chat.press("必须参加")
    await staff_chat.send("明天")
    assert "没有看懂这个时间" in staff_chat.text
    await staff_chat.send("2026-03-04 18:00")
    await staff_chat.press("跳过")
    await staff_chat.press("按界别")
    await staff_chat.send("经济界、体育界")
    assert "没有找到界别：体育界" in staff_chat.text
    await staff_chat.send("经济界")
    preview = staff_chat.text
    assert "将发送给 1 人" in preview and "应提前 7 天通知，本次只提前 3 天" in preview
    assert "【全体会议】市政协全体会议" in preview
    assert await member_chat.outbox_texts() == []  # nothing before confirmation
    await staff_chat.press("确认发送")
    assert "已开始发送，共 1 人" in staff_chat.text
    sent = await member_chat.outbox_replies()
    assert len(sent) == 1 and "市政协会议中心" in render(sent[0].text, "plain")
    assert [render(b.label, "plain") for b in sent[0].buttons[0]] == ["参加", "请假"]
    assert await other_chat.outbox_texts() == []
    # the status message goes to the clerk through the outbox, with its buttons
    status = (await staff_chat.outbox_replies())[-1]
    assert "发送中：已发送 0 / 1，失败 0" in render(status.text, "plain")
    staff_chat.replies = [status]
    await staff_chat.press("查看进度")
    assert "已发送 0 / 1" in staff_chat.text and staff_chat.replies[0].edit
    assert "更正通知" in staff_chat.labels and "取消会议" in staff_chat.labels


async def test_member_answers_leave_is_approved_and_member_told(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    await a_notice(app, clock)
    notice = await notice_in_chat(member_chat)
    await member_chat.press_payload(payload(notice, "参加"))
    assert "已登记：您将参加" in member_chat.text
    await member_chat.press_payload(payload(notice, "请假"))
    assert "请写下请假事由" in member_chat.text
    await member_chat.send("   ")
    assert "请写下请假事由" in member_chat.text  # an empty reason is refused, the question stays
    await member_chat.send("赴京参加培训")
    assert "已提交秘书处审批" in member_chat.text
    request = (await staff_chat.outbox_replies())[-1]
    assert "赴京参加培训" in render(request.text, "plain")
    await staff_chat.press_payload(payload(request, "批准"))
    assert "请假申请已批准" in staff_chat.text
    assert "已获批准" in (await member_chat.outbox_texts())[-1]
    await staff_chat.press_payload(payload(request, "批准"))
    assert "已处理或已撤回" in staff_chat.text  # a second press changes nothing


async def test_refusals_change_nothing(app: App, member_chat: Chat, clock: FakeClock) -> None:
    nid = await a_notice(app, clock)
    other = await add_member(app, name="李委员", phone="13900000003")
    other_chat = await Chat.verified(app, other)
    mine = await notice_in_chat(member_chat)
    # someone else's button, and a button edited to point at another notice
    await other_chat.press_payload(payload(mine, "参加"))
    assert catalogue().s("core.button_forged") in other_chat.text
    tampered = payload(mine, "参加").replace(f"|{nid}|", f"|{nid + 1}|")
    await member_chat.press_payload(tampered)
    assert catalogue().s("core.button_forged") in member_chat.text
    clock.advance(days=5, minutes=1)
    await member_chat.press_payload(payload(mine, "参加"))
    assert "答复已于截止时间关闭" in member_chat.text
    await member_chat.press_payload(payload(mine, "请假"))
    assert "答复已于截止时间关闭" in member_chat.text
    async with app.db.session() as s:
        counts = await NoticesRepo(s).counts(nid)
    assert counts.recipients == counts.answers["unanswered"] == 1


async def test_decline_only_for_signup_events(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    await a_notice(app, clock, mode=AttendanceMode.SIGNUP)
    notice = await notice_in_chat(member_chat)
    await member_chat.press_payload(payload(notice, "不参加"))
    assert "已登记：您不参加" in member_chat.text


async def test_my_meetings_calendar_and_check_in(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    nid = await a_notice(app, clock)
    await member_chat.send("/notices")
    assert "常委会第十次会议" in member_chat.text and "未答复" in member_chat.text
    await member_chat.press("加入日历")
    document = member_chat.replies[0].document
    assert document is not None and b"BEGIN:VEVENT" in document.content
    await member_chat.send("/签到 1234")
    assert "现在没有正在签到的会议" in member_chat.text
    clock.advance(days=8)
    async with app.db.session() as s:
        code = (await NoticesRepo(s).require(nid)).check_in_code
    await member_chat.send("/签到 0000" if code != "0000" else "/签到 1111")
    assert "签到码不正确" in member_chat.text
    await member_chat.send(f"/签到 {code}")
    assert "签到成功" in member_chat.text
    await member_chat.send("/notices")
    await member_chat.send(f"/签到 {code}")
    assert "已签到过" in member_chat.text


async def test_clerk_sees_counts_and_pending_leave(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    nid = await a_notice(app, clock)
    notice = await notice_in_chat(member_chat)
    await member_chat.press_payload(payload(notice, "请假"))
    await member_chat.send("住院")
    await staff_chat.send(f"/attendance {nid}")
    assert (
        "共 1 人" in staff_chat.text and "待审批 1" in staff_chat.text and "住院" in staff_chat.text
    )
    await staff_chat.press("不批准")
    assert "未获批准" in (await member_chat.outbox_texts())[-1]
    await member_chat.send("/attendance")
    assert catalogue().s("core.access_denied") in member_chat.text


async def test_delivery_state_of_a_cli_notice_comes_from_the_outbox(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    """Sent from the CLI (no status message follows it), delivered by the outbox worker:
    /attendance and the export say 已送达, not 待发送."""
    from bot.delivery import Limits, OutboxWorker, RateLimiter
    from bot.notices.export import export_table
    from tests.support.delivery import ManualClock, RecordingSender

    never = await add_member(app, name="未验证委员", phone="13900000077")
    nid = await a_notice(app, clock)  # the path of `committee-bot notices send`
    virtual = ManualClock()
    sender = RecordingSender(virtual)
    worker = OutboxWorker(
        db=app.db,
        senders={"console": sender},
        limiter=RateLimiter(Limits(), clock=virtual),
        clock=virtual,
        worker_id="test",
    )
    await worker.drain()
    assert any("常委会第十次会议" in text for text in sender.texts(member_chat.user_id))

    await staff_chat.send(f"/attendance {nid}")
    assert "送达情况：已送达 1，待发送 0，无法送达 1" in staff_chat.text
    async with app.db.session() as s:
        rows = await NoticesRepo(s).export_rows(nid)
    _, body = export_table(rows, zone=app.settings.zone)
    by_name = {cells[0]: cells[-1] for cells in body}
    assert by_name["张委员"] == catalogue().s("notices.delivery.sent")  # 已送达
    assert by_name[never.name].startswith(catalogue().s("notices.delivery.unreachable"))
