"""Reading reminders at scale: plan 10,000 reminders (500 members, 20 sessions), then let the
scheduler deliver them into the outbox in real time and measure how late each one was.

    python bench/reading_bench.py            # SQLite file in a temporary folder
    python bench/reading_bench.py --postgres # also on PostgreSQL (COMMITTEE_BOT_TEST_POSTGRES_URL)

Prints: planning time (pure and with the database), peak memory of planning, and the
lateness of delivery (the moment a delivery worker claimed the outbox row − the reminder's
moment): p50, p99, max, with reminders written 30 s ahead (the default) and with no lead
(written at their moment). Target: p99 under 2 s while the process is up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time as clock
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import update
from sqlmodel import col, select

from bot.domain.recurrence import Schedule, occurrences
from bot.domain.reminder_plan import (
    Recipient,
    SessionSlot,
    parse_offsets,
    plan_group,
)
from bot.reading_planner import replan_group
from bot.reading_reminders import ReadingReminders
from bot.scheduler import Scheduler
from bot.text import Text
from bot.types import Reply
from storage.db import Database
from storage.outbox import Outbox
from storage.reading_repo import ReadingRepo
from storage.tables import Identity, Member, OutboxMessage, ReadingReminder
from tests.support.databases import scratch_schema

MEMBERS = 500
SESSIONS = 20
ZONE = ZoneInfo("Asia/Shanghai")


def compose(info) -> Reply:  # type: ignore[no-untyped-def]
    return Reply(text=Text.plain(f"{info.group.name}: {info.session.title}"))


async def _seed(db: Database, *, first_fire: datetime) -> int:
    """500 members with a Telegram identity, one group, 20 sessions one second apart."""
    async with db.session() as s:
        members = [Member(name=f"委员{i}", phone=f"139{i:08d}") for i in range(MEMBERS)]
        s.add_all(members)
        await s.flush()
        s.add_all(
            Identity(member_id=m.id, platform="telegram", user_id=10_000 + i, chat_id=10_000 + i)  # type: ignore[arg-type]
            for i, m in enumerate(members)
        )
        repo = ReadingRepo(s)
        group = await repo.create_group(name="基准读书群", offsets=["1h"])
        assert group.id is not None
        await repo.join_many(
            group.id,
            [m.id for m in members if m.id],
            via="bench",
            now=first_fire - timedelta(days=1),
        )
        for i in range(SESSIONS):
            await repo.add_session(
                group_id=group.id,
                title=f"读书会{i + 1}",
                starts_at=first_fire + timedelta(hours=1, seconds=i),
            )
        return group.id


def _pure_planning() -> tuple[int, float, float]:
    now = datetime.now(UTC)
    slots = []
    for i in range(SESSIONS):
        start = now + timedelta(days=1, hours=i)
        occ = occurrences(
            Schedule(start=start, duration=timedelta(hours=2)),
            since=now,
            until=now + timedelta(days=3),
        )[0]
        slots.append(SessionSlot(session_id=i + 1, occurrence=occ))
    people = [Recipient(member_id=i, joined_at=now - timedelta(days=9)) for i in range(MEMBERS)]
    tracemalloc.start()
    t0 = clock.perf_counter()
    planned = plan_group(
        group_id=1,
        slots=slots,
        periods=[],
        recipients=people,
        offsets=parse_offsets(["1h"]),
        zone=ZONE,
    )
    elapsed = clock.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return len(planned), elapsed, peak / 2**20


async def _delivery_worker(db: Database, stop: asyncio.Event) -> None:
    """Stands in for the delivery worker: claims due outbox rows as soon as they are due
    (the platform send itself is not measured; Telegram caps it at ~30 messages/s)."""
    while not stop.is_set():
        async with db.session() as s:
            outbox = Outbox(s)
            rows = await outbox.claim_due(platforms=["telegram"], worker="bench", limit=200)
            # one statement for the batch: a row-by-row loop would hold SQLite's write lock
            await s.exec(  # type: ignore[call-overload]
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_([r.id for r in rows]))
                .values(state="sent")
                .execution_options(synchronize_session=False)
            )
            next_due = await outbox.next_due_at(["telegram"])
        if rows:
            continue
        wait = 0.05 if next_due is None else (next_due - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(min(max(wait, 0.0), 0.05))


def _percentiles(values: list[float]) -> str:
    values = sorted(values)
    p50 = statistics.median(values)
    p99 = values[max(int(len(values) * 0.99) - 1, 0)]
    return f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {values[-1] * 1000:.0f} ms"


async def run(url: str, label: str, *, lead_s: float, schema: str | None = None) -> None:
    db = Database(url, schema=schema)
    await db.create_all()
    first_fire = datetime.now(UTC) + timedelta(seconds=8)
    group_id = await _seed(db, first_fire=first_fire)

    tracemalloc.start()
    t0 = clock.perf_counter()
    async with db.session() as s:
        result = await replan_group(ReadingRepo(s), group_id, now=datetime.now(UTC), zone=ZONE)
    planning = clock.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"[{label}] planned {result.added} reminder rows in {planning:.2f} s, "
        f"peak memory {peak:.1f} MiB"
    )

    task = ReadingReminders(db=db, zone=ZONE, compose=compose, lead=timedelta(seconds=lead_s))
    scheduler = Scheduler(tasks={"reading": task}, sweep_seconds=30)
    stop = asyncio.Event()
    worker = asyncio.create_task(_delivery_worker(db, stop))
    await scheduler.start()
    last_fire = first_fire + timedelta(seconds=SESSIONS - 1)
    deadline = last_fire + timedelta(seconds=60)
    while datetime.now(UTC) < last_fire + timedelta(seconds=3) or task.stats.sent < result.added:
        await asyncio.sleep(0.25)
        if datetime.now(UTC) > deadline:
            break
    await asyncio.sleep(1)
    await scheduler.stop()
    stop.set()
    await worker

    async with db.session() as s:
        stmt = select(ReadingReminder.fire_at, OutboxMessage.claimed_at).join(
            OutboxMessage, col(OutboxMessage.dedupe_key) == col(ReadingReminder.key) + ":telegram"
        )
        pairs = list(await s.exec(stmt))
    lateness = [(claimed - fire).total_seconds() for fire, claimed in pairs if claimed]
    p99 = sorted(lateness)[max(int(len(lateness) * 0.99) - 1, 0)]
    print(
        f"[{label}] lead {lead_s:g} s: {len(lateness)} reminders picked up by delivery "
        f"(late-marked {task.stats.late}); lateness {_percentiles(lateness)}"
        f" — target p99 < 2000 ms: {'met' if p99 < 2 else 'NOT met'}"
    )
    await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    n, elapsed, peak = _pure_planning()
    print(
        f"[pure] plan_group: {n} reminders in {elapsed * 1000:.0f} ms, peak memory {peak:.1f} MiB"
    )
    for lead in (30.0, 0.0):
        with tempfile.TemporaryDirectory() as folder:
            await run(f"sqlite+aiosqlite:///{folder}/bench.db", "sqlite", lead_s=lead)
    if args.postgres:
        url = os.environ.get(
            "COMMITTEE_BOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ).replace("postgresql://", "postgresql+asyncpg://")
        async with scratch_schema(url, prefix="bench") as schema:
            await run(url, "postgres", lead_s=30.0, schema=schema)


if __name__ == "__main__":
    asyncio.run(main())
