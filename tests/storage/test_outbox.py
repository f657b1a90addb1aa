from __future__ import annotations

from datetime import timedelta

from storage.columns import utcnow
from storage.db import Database
from storage.outbox import Outbox


async def test_the_same_logical_message_is_queued_once(db: Database) -> None:
    async with db.session() as session:
        outbox = Outbox(session)
        first = await outbox.enqueue(
            platform="telegram", chat_id="1", payload={"text": []}, dedupe_key="reminder:1:5"
        )
        again = await outbox.enqueue(
            platform="telegram", chat_id="1", payload={"text": []}, dedupe_key="reminder:1:5"
        )
    assert first is not None and again is None


async def test_claimed_rows_are_not_claimed_twice_until_stale(db: Database) -> None:
    async with db.session() as session:
        for chat in range(3):
            await Outbox(session).enqueue(platform="telegram", chat_id=str(chat), payload={})
    async with db.session() as session:
        a = await Outbox(session).claim_due(platforms=["telegram"], worker="a", limit=2)
    async with db.session() as session:
        b = await Outbox(session).claim_due(platforms=["telegram"], worker="b", limit=5)
    assert len(a) == 2 and len(b) == 1
    assert {r.id for r in a}.isdisjoint({r.id for r in b})
    async with db.session() as session:
        await Outbox(session).mark_sent(a[0].id or 0, message_id=77)
        await Outbox(session).mark_failed(a[1].id or 0, error="500", retry_at=utcnow())
    async with db.session() as session:
        retry = await Outbox(session).claim_due(platforms=["telegram"], worker="c", limit=5)
        assert [r.id for r in retry] == [a[1].id]
        # a worker that died mid-send leaves 'sending' rows; they come back once stale
        stale = await Outbox(session).claim_due(
            platforms=["telegram"], worker="d", limit=5, stale_after=timedelta(seconds=-1)
        )
        assert {r.id for r in stale} == {a[1].id, b[0].id}
    async with db.session() as session:
        counts = await Outbox(session).counts("")
    assert counts == {"sent": 1, "sending": 2}
