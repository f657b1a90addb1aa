"""Meeting notices over time: the clerk's status message edits itself while the notice goes
out and ends with who could not be reached; reminders fire on their own; the clerk corrects
and cancels from chat; a reading group is an audience."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlmodel import col, select

from bot.app import App, build_app
from bot.catalogue import catalogue
from bot.daily_jobs import OverdueDigest
from bot.errors import Unreachable
from bot.notices.progress import StatusMessages
from bot.notices.reminders import MeetingReminders
from bot.runtime import deliver_due_once
from bot.scheduling import scheduled_tasks
from bot.settings import Settings
from bot.text import render
from bot.types import Reply
from storage.db import Database
from storage.notices import NoticesRepo
from storage.reading import ReadingRepo
from storage.tables import OutboxMessage
from tests.flows.test_notices import a_notice, notice_in_chat, payload
from tests.support.chat import Chat, FakeClock, add_member
from tests.support.delivery import ManualClock, RecordingSender


class ConsoleRecorder(RecordingSender):
    """The recording sender as the terminal channel's stand-in for ``deliver_due_once``."""

    platform = "console"


async def compose_for_sector(staff: Chat) -> None:
    """The clerk's /notice, to 经济界, three weeks ahead, confirmed."""
    await staff.send("/notice")
    await staff.press("常委会议")
    await staff.send("常委会第十一次会议")
    await staff.send("2026-03-23 09:00")
    await staff.press("跳过")
    await staff.send("三楼会议室")
    await staff.press("跳过")
    await staff.press("必须参加")
    await staff.send("2026-03-20 18:00")
    await staff.press("跳过")
    await staff.press("按界别")
    await staff.send("经济界")
    await staff.press("确认发送")


def _task(app: App, name: str) -> object:
    return scheduled_tasks(app)[name]


async def test_status_message_is_edited_in_place_and_ends_with_the_report(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    blocked = await add_member(app, name="王委员", phone="13900000005")
    blocked_chat = await Chat.verified(app, blocked)
    await add_member(app, name="赵委员", phone="13900000006")  # never verified
    await compose_for_sector(staff_chat)
    assert "共 3 人" in staff_chat.text and "下一条消息显示发送进度" in staff_chat.text
    task = _task(app, "notice_status")
    assert isinstance(task, StatusMessages)

    sender = ConsoleRecorder(ManualClock())
    sender.fail(blocked_chat.user_id, Unreachable("Forbidden: bot was blocked by the user"))
    # The status message goes out first; nothing to edit before it has an id.
    assert await deliver_due_once(app, sender, chat_ids=[staff_chat.user_id]) == 1  # type: ignore[arg-type]
    status_id, (_, first) = next(iter(sender.messages.items()))
    assert "已发送 0 / 3，失败 1" in first  # the never-verified member counts as failed at once

    assert await task.run(clock.now) is not None  # still sending: come back in a few seconds
    assert await deliver_due_once(app, sender, chat_ids=[staff_chat.user_id]) == 0  # type: ignore[arg-type]
    await deliver_due_once(app, sender, chat_ids=[member_chat.user_id])  # type: ignore[arg-type]
    assert await task.run(clock.now) is not None
    await deliver_due_once(app, sender, chat_ids=[staff_chat.user_id])  # type: ignore[arg-type]
    assert "已发送 1 / 3，失败 1" in sender.messages[status_id][1]  # edited in place
    await deliver_due_once(app, sender)  # type: ignore[arg-type]  (the blocked member)
    assert await task.run(clock.now) is None  # all done: the final edit is queued, no wake
    await deliver_due_once(app, sender)  # type: ignore[arg-type]
    assert await task.run(clock.now) is None
    assert await deliver_due_once(app, sender) == 0  # type: ignore[arg-type]

    # One message in the clerk's chat, edited in place; never a second status message.
    staff_messages = [m for m in sender.messages.values() if m[0] == staff_chat.user_id]
    assert len(staff_messages) == 1 and all(i == status_id for i, _ in sender.edits)
    final = sender.messages[status_id][1]
    assert "发送完毕：已送达 1 / 3，失败 2" in final
    assert "王委员（经济界）：已屏蔽机器人" in final
    assert "赵委员（经济界）：尚未在机器人上完成身份验证" in final
    assert len(sender.edits) == 2  # one per change of the figures, not one per poll
    assert sender.texts(member_chat.user_id)  # the member got the notice itself


async def test_edits_do_not_pile_up_while_the_clerk_chat_is_slow(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    second = await Chat.verified(app, await add_member(app, name="钱委员", phone="13900000007"))
    await compose_for_sector(staff_chat)
    sender = ConsoleRecorder(ManualClock())
    task = _task(app, "notice_status")

    async def deliver(chat: Chat) -> None:
        await deliver_due_once(app, sender, chat_ids=[chat.user_id])  # type: ignore[arg-type]

    async def waiting_edits() -> list[str]:
        async with app.db.session() as s:
            rows = await s.exec(
                select(OutboxMessage).where(
                    OutboxMessage.kind == "notice_status", OutboxMessage.state == "pending"
                )
            )
            return [render(Reply.from_json(r.payload).text, "plain") for r in rows]

    await deliver(staff_chat)
    await deliver(member_chat)
    await task.run(clock.now)  # type: ignore[attr-defined]
    await deliver(second)
    for _ in range(4):  # polls while the clerk's chat has not taken the first edit yet
        await task.run(clock.now)  # type: ignore[attr-defined]
    edits = await waiting_edits()
    assert len(edits) == 1 and "已发送 1 / 2" in edits[0]
    await deliver(staff_chat)
    await task.run(clock.now)  # type: ignore[attr-defined]
    edits = await waiting_edits()
    assert len(edits) == 1 and "发送完毕：已送达 2 / 2，失败 0" in edits[0]


async def test_meeting_reminders_fire_on_their_own_at_the_right_times(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    other = await add_member(app, name="李委员", phone="13900000003")
    other_chat = await Chat.verified(app, other)
    nid = await a_notice(app, clock)  # meeting in 8 days, answers close in 5
    task = _task(app, "meetings")
    assert isinstance(task, MeetingReminders)
    await member_chat.press_payload(payload(await notice_in_chat(member_chat), "参加"))
    async with app.db.session() as s:
        notice = await NoticesRepo(s).require(nid)
    deadline, starts = notice.reply_deadline, notice.starts_at

    wake = await task.run(clock.now)
    assert wake == deadline - timedelta(hours=24)  # configured: 24 h before the deadline
    assert await task.run(wake - timedelta(minutes=1)) == wake  # nothing early
    wake2 = await task.run(wake)
    unanswered = [t for t in await other_chat.outbox_texts() if "尚未答复" in t]
    assert len(unanswered) == 1 and not any(
        "尚未答复" in t for t in await member_chat.outbox_texts()
    )
    assert (await other_chat.outbox_replies())[-1].buttons  # they can answer from the reminder

    day_before = datetime.combine(
        (starts.astimezone(app.settings.zone) - timedelta(days=1)).date(),
        datetime.min.time().replace(hour=9),
        tzinfo=app.settings.zone,
    )
    assert wake2 == day_before
    assert await task.run(day_before) is None  # the last reminder of the only notice
    await task.run(day_before + timedelta(minutes=5))  # a repeated pass adds nothing
    attending = [t for t in await member_chat.outbox_texts() if "将于" in t]
    assert len(attending) == 1
    assert [t for t in await other_chat.outbox_texts() if "将于" in t] == []
    assert len([t for t in await other_chat.outbox_texts() if "尚未答复" in t]) == 1


async def test_clerk_corrects_and_cancels_from_chat(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    nid = await a_notice(app, clock)
    await staff_chat.send(f"/attendance {nid}")
    await staff_chat.press("更正通知")
    await staff_chat.press("地点")
    await staff_chat.send("二楼报告厅")
    await staff_chat.send("会场改到二楼")
    assert "发给 1 人" in staff_chat.text
    await staff_chat.press("确认发送")
    assert f"通知 #{nid} 已更正，已排入 1 条" in staff_chat.text
    correction = (await member_chat.outbox_texts())[-1]
    assert "【更正通知】会场改到二楼" in correction and "二楼报告厅" in correction
    assert (await member_chat.outbox_replies())[-1].buttons  # still answerable

    await staff_chat.send(f"/attendance {nid}")
    await staff_chat.press("更正通知")
    await staff_chat.press("答复截止时间")
    await staff_chat.send("2026-03-30 18:00")  # after the meeting starts
    assert "答复截止时间应早于会议开始时间" in staff_chat.text
    await staff_chat.send("/cancel")

    await staff_chat.send(f"/attendance {nid}")
    await staff_chat.press("取消会议")
    await staff_chat.send("因故推迟，另行通知")
    await staff_chat.press("不取消")
    assert "会议没有取消" in staff_chat.text
    await staff_chat.send(f"/attendance {nid}")
    old_cancel = staff_chat.button("取消会议")
    await staff_chat.press("取消会议")
    await staff_chat.send("因故推迟，另行通知")
    assert "将通知 1 人" in staff_chat.text
    await staff_chat.press("确认取消会议")
    assert f"通知 #{nid} 已取消" in staff_chat.text
    cancelled = (await member_chat.outbox_texts())[-1]
    assert "【会议取消】" in cancelled and "因故推迟" in cancelled

    # no more buttons to correct or cancel it; an old button is refused
    await staff_chat.send(f"/attendance {nid}")
    assert "取消会议" not in staff_chat.labels
    await staff_chat.press_payload(old_cancel.action or "")
    assert "这次会议已取消" in staff_chat.text
    async with app.db.session() as s:
        cancels = list(
            await s.exec(
                select(OutboxMessage).where(col(OutboxMessage.ref) == f"notice:{nid}:cancel")
            )
        )
    assert len(cancels) == 1


async def test_members_cannot_correct_or_cancel(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    nid = await a_notice(app, clock)
    await staff_chat.send(f"/attendance {nid}")
    forged = staff_chat.button("取消会议").action or ""
    await member_chat.press_payload(forged)  # signed for the clerk, not for this member
    assert catalogue().s("core.button_forged") in member_chat.text
    async with app.db.session() as s:
        assert (await NoticesRepo(s).require(nid)).status == "sent"


async def test_reading_group_is_an_audience(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    other = await add_member(app, name="教育界委员", phone="13900000002", sector="教育界")
    async with app.db.session() as s:
        reading = ReadingRepo(s)
        group = await reading.create_group(name="周三读书会")
        assert group.id is not None
        await reading.join(group.id, int(other.id or 0))
    await staff_chat.send("/notice")
    await staff_chat.press("其他活动")
    await staff_chat.send("读书分享会")
    await staff_chat.send("2026-03-23 19:00")
    await staff_chat.press("跳过")
    await staff_chat.send("图书馆")
    await staff_chat.press("跳过")
    await staff_chat.press("报名参加")
    await staff_chat.send("2026-03-20 18:00")
    await staff_chat.press("跳过")
    await staff_chat.press("读书小组")
    await staff_chat.send("周四读书会")
    assert "没有找到读书小组：周四读书会" in staff_chat.text
    await staff_chat.send("周三读书会")
    assert "将发送给 1 人" in staff_chat.text
    await staff_chat.press("确认发送")
    async with app.db.session() as s:
        rows = list(await s.exec(select(OutboxMessage).where(OutboxMessage.kind == "notice")))
    # 教育界委员 is not verified: nobody to send to, and the member outside the group gets nothing
    assert rows == [] and await member_chat.outbox_texts() == []
    async with app.db.session() as s:
        notice = (await NoticesRepo(s).list(limit=1))[0]
        assert await NoticesRepo(s).recipient_ids(int(notice.id or 0)) == [other.id]


def test_scheduled_tasks_are_all_registered(app: App) -> None:
    assert set(scheduled_tasks(app)) == {
        "reading",
        "meetings",
        "notice_status",
        "overdue_digest",
        "prune_updates",
        "prune_file_links",
        "prune_web_logins",
    }


async def test_digest_time_and_status_edit_interval_come_from_settings(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    tuned = settings.model_copy(
        update={"daily_digest_time": time(7, 15), "broadcast_status_edit_seconds": 10.0}
    )
    app = await build_app(settings=tuned, db=db, clock=clock, upgrade=False)
    tasks = scheduled_tasks(app)
    status, digest = tasks["notice_status"], tasks["overdue_digest"]
    assert isinstance(status, StatusMessages) and isinstance(digest, OverdueDigest)
    assert status.every == timedelta(seconds=10)
    # 06:00 in Beijing: the digest wakes next at 07:15 local, not at the default 08:30.
    assert await digest.run(datetime(2026, 3, 2, 22, 0, tzinfo=UTC)) == datetime(
        2026, 3, 2, 23, 15, tzinfo=UTC
    )


class NoIdRecorder(ConsoleRecorder):
    """A platform whose pushes return no message id (WeCom's): nothing can be edited."""

    async def send(self, chat_id: str, reply: Reply, *, in_reply_to=None):  # type: ignore[no-untyped-def]
        sent = await super().send(chat_id, reply, in_reply_to=in_reply_to)
        return type(sent)(chat_id=sent.chat_id, message_id=None)


async def test_without_editable_messages_the_clerk_gets_the_final_report_once(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    await add_member(app, name="赵委员", phone="13900000006")  # never verified
    await compose_for_sector(staff_chat)
    task = _task(app, "notice_status")
    assert isinstance(task, StatusMessages)
    sender = NoIdRecorder(ManualClock())
    await deliver_due_once(app, sender, chat_ids=[staff_chat.user_id])  # type: ignore[arg-type]
    assert await task.run(clock.now) is not None  # still sending: no intermediate message
    assert await deliver_due_once(app, sender, chat_ids=[staff_chat.user_id]) == 0  # type: ignore[arg-type]
    await deliver_due_once(app, sender)  # type: ignore[arg-type]  (the members)
    assert await task.run(clock.now) is None  # done: the final report is queued
    await deliver_due_once(app, sender)  # type: ignore[arg-type]
    assert await task.run(clock.now) is None
    assert await deliver_due_once(app, sender) == 0  # type: ignore[arg-type]
    staff_texts = sender.texts(staff_chat.user_id)
    assert len(staff_texts) == 2 and not sender.edits  # the first status and the report
    assert "发送完毕：已送达 1 / 2，失败 1" in staff_texts[1]
    assert "赵委员（经济界）：尚未在机器人上完成身份验证" in staff_texts[1]
