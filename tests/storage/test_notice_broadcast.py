"""Broadcasting through the outbox: every recipient queued once, outcomes reported."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from bot.catalogue import catalogue
from bot.notices.broadcast import (
    broadcast_progress,
    dedupe_key,
    enqueue_wave,
    unreachable_report,
)
from bot.notices.messages import progress_text, report_text
from bot.notices.rules import Audience, AudienceKind
from bot.text import Text
from bot.types import Reply
from storage.db import Database
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import Member, OutboxMessage
from tests.support.notice_fixtures import seed, sent_notice


def reply_for(member_id: int) -> Reply:
    return Reply(text=Text.plain(f"notice for {member_id}"))


async def bind_all_but(db: Database, ids: dict[str, int], *skip: str) -> None:
    async with db.session() as s:
        roster = Roster(s)
        for name, member_id in ids.items():
            if name not in skip:
                member = await s.get(Member, member_id)
                assert member is not None
                await roster.bind(
                    member,
                    platform="telegram",
                    user_id=str(member_id + 1000),
                    chat_id=str(member_id + 1000),
                    via="phone",
                )


async def test_resumed_enqueue_adds_only_what_is_missing(db: Database) -> None:
    ids = await seed(db)
    await bind_all_but(db, ids, "李娜")  # 李娜 never verified
    nid = await sent_notice(db, Audience(AudienceKind.ALL))
    first_two = [ids["张伟"], ids["王芳"]]
    # the sender dies after its first batch ...
    assert (
        await enqueue_wave(
            db.session, nid, wave="notice", make_reply=reply_for, member_ids=first_two
        )
        == 2
    )
    # ... and the restarted one queues the rest, attachment included, and nothing twice
    added = await enqueue_wave(
        db.session, nid, wave="notice", make_reply=reply_for, attachment=("议程.pdf", b"%PDF")
    )
    assert added == 3  # 刘洋 and both 陈静; 李娜 has no account
    assert await enqueue_wave(db.session, nid, wave="notice", make_reply=reply_for) == 0
    async with db.session() as s:
        keys = list(
            await s.exec(
                select(OutboxMessage.dedupe_key, func.count()).group_by(OutboxMessage.dedupe_key)
            )
        )
        assert all(n == 1 for _, n in keys)
        assert {k for k, _ in keys} >= {dedupe_key(nid, m) for m in first_two}
        texts = [
            r.payload
            for r in await s.exec(select(OutboxMessage).where(OutboxMessage.kind == "notice"))
        ]
    assert len(texts) == 5
    progress = await broadcast_progress(db.session, nid)
    assert (progress.total, progress.sent, progress.failed, progress.pending) == (6, 0, 1, 5)


async def test_outcomes_reach_progress_and_the_final_report(db: Database) -> None:
    ids = await seed(db)
    await bind_all_but(db, ids, "李娜")
    nid = await sent_notice(db, Audience(AudienceKind.SECTORS, ("经济界", "教育界")))
    await enqueue_wave(db.session, nid, wave="notice", make_reply=reply_for)
    async with db.session() as s:
        outbox = Outbox(s)
        rows = await outbox.claim_due(platforms=["telegram"], worker="w", limit=100)
        for row in rows:
            if row.member_id == ids["刘洋"]:
                await outbox.mark_failed(
                    int(row.id or 0), error="Forbidden: bot was blocked by the user", retry_at=None
                )
            else:
                await outbox.mark_sent(int(row.id or 0), message_id=1)
    progress = await broadcast_progress(db.session, nid)
    assert (progress.total, progress.sent, progress.failed, progress.done) == (4, 2, 2, True)
    shown = str(progress_text("常委会", sent=1200, total=5000, failed=3, done=False))
    assert "已发送 1,200 / 5,000" in shown and "失败 3" in shown
    report = await unreachable_report(db.session, nid)
    assert report == [
        ("刘洋", "教育界", "notices.reason_blocked"),
        ("李娜", "教育界", "notices.reason_never_verified"),
    ]
    text = str(report_text(report))
    assert catalogue().s("notices.reason_blocked") in text and "李娜" in text
    # a wave for a correction is a separate set of keys: it reaches the same members again
    assert await enqueue_wave(db.session, nid, wave=1, make_reply=reply_for) == 3
