"""Reading reminders at scale: plan 10,000 reminders (500 members, 20 sessions), then let the
scheduler deliver them into the outbox in real time and measure how late each one was.

    python bench/reading_bench.py            # SQLite file in a temporary folder
    python bench/reading_bench.py --postgres # also on PostgreSQL (COMMITTEE_BOT_TEST_POSTGRES_URL)

Prints: planning time (pure and with the database), peak memory of planning, and the
lateness of delivery (the moment a delivery worker claimed the outbox row − the reminder's
moment): p50, p99, max, with reminders written 30 s ahead (the default) and with no lead
(written at their moment). Target: p99 under 2 s while the process is up.

The figures do not depend on when the bench runs: every pass starts on a chosen day and time
(``START``, a Tuesday morning in Shanghai, outside the 22:00–07:00 quiet hours) and the
clock ticks from there at the real rate (time-machine), so the scheduler, APScheduler and
the delivery loop wait real seconds. Time and memory are measured in separate passes:
tracemalloc slows allocation-heavy code several times, so it runs only in the memory pass.
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

import time_machine
from sqlalchemy import update
from sqlmodel import col, select

from bot.reading.planner import replan_group
from bot.reading.recurrence import Schedule, occurrences
from bot.reading.reminder_plan import (
    Recipient,
    SessionSlot,
    parse_offsets,
    plan_group,
)
from bot.reading.reminders import ReadingReminders
from bot.scheduler import Scheduler
from bot.text import Text
from bot.types import Reply
from storage.db import Database
from storage.outbox import Outbox
from storage.reading import ReadingRepo
from storage.tables import Identity, Member, OutboxMessage, ReadingReminder
from tests.support.databases import scratch_schema

MEMBERS = 500
SESSIONS = 20
ZONE = ZoneInfo("Asia/Shanghai")
# Every pass starts here, whatever the wall clock says (see the module docstring).
START = datetime(2026, 3, 3, 10, 0, tzinfo=ZONE)
PURE_REPEATS = 5


def compose(info) -> Reply:  # type: ignore[no-untyped-def]
    return Reply(text=Text.plain(f"{info.group.name}: {info.session.title}"))


async def _seed(db: Database, *, first_fire: datetime) -> int:
    """500 members with a Telegram identity, one group, 20 sessions one second apart."""
    async with db.session() as s:
        members = [Member(name=f"委员{i}", phone=f"139{i:08d}") for i in range(MEMBERS)]
        s.add_all(members)
        await s.flush()
        s.add_all(
            Identity(
                member_id=m.id,
                platform="telegram",
                user_id=str(10_000 + i),
                chat_id=str(10_000 + i),
            )
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


def _pure_inputs() -> dict[str, object]:
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
    return {
        "group_id": 1,
        "slots": slots,
        "periods": [],
        "recipients": people,
        "offsets": parse_offsets(["1h"]),
        "zone": ZONE,
    }


def _pure_planning() -> tuple[int, float, float]:
    """plan_group alone: the median of a few timed runs, then one run under tracemalloc."""
    with time_machine.travel(START, tick=True):
        inputs = _pure_inputs()
        timings = []
        for _ in range(PURE_REPEATS):
            t0 = clock.perf_counter()
            planned = plan_group(**inputs)  # type: ignore[arg-type]
            timings.append(clock.perf_counter() - t0)
        tracemalloc.start()
        plan_group(**inputs)  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return len(planned), statistics.median(timings), peak / 2**20


async def _db_planning_memory(url: str) -> tuple[int, float]:
    """The memory pass of planning with the database: a fresh one, seeded the same way."""
    with time_machine.travel(START, tick=True):
        db = Database(url)
        await db.create_all()
        group_id = await _seed(db, first_fire=datetime.now(UTC) + timedelta(seconds=8))
        tracemalloc.start()
        async with db.session() as s:
            result = await replan_group(ReadingRepo(s), group_id, now=datetime.now(UTC), zone=ZONE)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        await db.dispose()
    return result.added, peak


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
    with time_machine.travel(START, tick=True):
        await _run(url, label, lead_s=lead_s, schema=schema)


async def _run(url: str, label: str, *, lead_s: float, schema: str | None) -> None:
    db = Database(url, schema=schema)
    await db.create_all()
    first_fire = datetime.now(UTC) + timedelta(seconds=8)
    group_id = await _seed(db, first_fire=first_fire)

    t0 = clock.perf_counter()  # the time pass: no tracemalloc here
    async with db.session() as s:
        result = await replan_group(ReadingRepo(s), group_id, now=datetime.now(UTC), zone=ZONE)
    planning = clock.perf_counter() - t0
    print(
        f"[{label}] planned {result.added} reminder rows in {planning:.2f} s "
        f"(from {first_fire.astimezone(ZONE):%a %Y-%m-%d %H:%M} Shanghai)"
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
        f"[pure] plan_group: {n} reminders in {elapsed * 1000:.0f} ms "
        f"(median of {PURE_REPEATS}); memory pass: peak {peak:.1f} MiB"
    )
    with tempfile.TemporaryDirectory() as folder:
        rows, peak = await _db_planning_memory(f"sqlite+aiosqlite:///{folder}/memory.db")
    print(f"[sqlite] memory pass: planning {rows} reminder rows peaks at {peak:.1f} MiB")
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
