"""Sending, correcting, cancelling and reminding, as the outbox sees it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.notices.rules import (
    Answer,
    AttendanceMode,
    Audience,
    AudienceKind,
    MeetingKind,
    NoticeRules,
)
from bot.notices.service import (
    cancel_notice,
    correct_notice,
    create_notice,
    preview,
    send_due_reminders,
    send_notice,
)
from bot.types import Reply
from storage.db import Database
from storage.notices import NoticesRepo
from storage.tables import OutboxMessage
from tests.storage.test_notice_broadcast import bind_all_but
from tests.support.notice_fixtures import NOW, draft, seed

ZONE = ZoneInfo("Asia/Shanghai")
RULES = NoticeRules()


async def outbox(db: Database, ref_prefix: str) -> list[tuple[int | None, str]]:
    async with db.session() as s:
        rows = await s.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.ref).startswith(ref_prefix))
            .order_by(col(OutboxMessage.id))
        )
        return [(r.member_id, str(Reply.from_json(r.payload).text)) for r in rows]


async def test_preview_counts_and_warns_without_writing(db: Database) -> None:
    await seed(db)
    plenary = draft(Audience(AudienceKind.ALL))
    plenary = replace(
        plenary,
        kind=MeetingKind.PLENARY,
        starts_at=NOW + timedelta(days=5),
        reply_deadline=NOW + timedelta(days=3),
    )
    shown = await preview(db.session, plenary, rules=RULES, zone=ZONE, now=NOW)
    assert shown.recipients == 6
    assert shown.warning is not None and shown.warning.required_days == 7
    assert "【全体会议】" in str(shown.text)
    async with db.session() as s:
        assert await NoticesRepo(s).list() == []


async def test_send_correct_cancel_each_reach_every_recipient_once(db: Database) -> None:
    ids = await seed(db)
    await bind_all_but(db, ids)
    nid = await create_notice(
        db.session, draft(Audience(AudienceKind.STANDING)), rules=RULES, created_by="cli:t"
    )
    assert await send_notice(db.session, nid, zone=ZONE) == 2
    assert await send_notice(db.session, nid, zone=ZONE) == 0  # a second press sends nothing
    await correct_notice(db.session, nid, note="地点改为二楼", zone=ZONE, place="二楼会议室")
    await cancel_notice(db.session, nid, reason="因故取消", zone=ZONE)
    sent = await outbox(db, f"notice:{nid}")
    assert len(sent) == 6
    assert sum("二楼会议室" in text and "【更正通知】" in text for _, text in sent) == 2
    assert sum("【会议取消】" in text for _, text in sent) == 2
    async with db.session() as s:
        code = (await NoticesRepo(s).require(nid)).check_in_code
    assert code is not None and len(code) == RULES.check_in.code_length


async def test_reminders_go_once_to_the_right_members(db: Database) -> None:
    ids = await seed(db)
    await bind_all_but(db, ids)
    nid = await create_notice(
        db.session,
        draft(Audience(AudienceKind.SECTORS, ("经济界", "教育界")), AttendanceMode.SIGNUP),
        rules=RULES,
        created_by="cli:t",
    )
    await send_notice(db.session, nid, zone=ZONE)
    async with db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        notice.sent_at = NOW
        s.add(notice)
        await repo.answer(notice, ids["张伟"], Answer.ATTEND, now=NOW)
        await repo.answer(notice, ids["王芳"], Answer.DECLINE, now=NOW)
        deadline, start = notice.reply_deadline, notice.starts_at
    assert (
        await send_due_reminders(db.session, rules=RULES, zone=ZONE, now=NOW + timedelta(hours=1))
        == 0
    )
    before_deadline = deadline - timedelta(hours=2)
    assert await send_due_reminders(db.session, rules=RULES, zone=ZONE, now=before_deadline) == 2
    assert await send_due_reminders(db.session, rules=RULES, zone=ZONE, now=before_deadline) == 0
    unanswered = await outbox(db, f"notice:{nid}:remind:unanswered")
    assert sorted(m for m, _ in unanswered) == sorted([ids["李娜"], ids["刘洋"]])
    day_before = start - timedelta(hours=12)
    assert await send_due_reminders(db.session, rules=RULES, zone=ZONE, now=day_before) == 1
    assert [m for m, _ in await outbox(db, f"notice:{nid}:remind:day_before")] == [ids["张伟"]]
