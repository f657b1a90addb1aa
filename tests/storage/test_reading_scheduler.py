"""The scheduler wakes the process on time through APScheduler, runs a deliberate late
job, and only one process of a deployment runs it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.scheduler import Scheduler, run_task
from storage.db import Database
from storage.locks import DeploymentLock


class Recorder:
    """A task whose next wake is set by the test; records when it ran."""

    def __init__(self) -> None:
        self.next_at: datetime | None = None
        self.ran: list[datetime] = []
        self.started = 0
        self.daily_runs = 0

    async def start(self, now: datetime) -> None:
        self.started += 1

    async def daily(self, now: datetime) -> None:
        self.daily_runs += 1

    async def run(self, now: datetime) -> datetime | None:
        self.ran.append(datetime.now(UTC))
        nxt, self.next_at = self.next_at, None
        return nxt


async def test_wakes_at_the_planned_moment_and_runs_a_job_planned_in_the_past() -> None:
    task = Recorder()
    scheduler = Scheduler(tasks={"t": task}, sweep_seconds=3600)
    assert await scheduler.start()
    try:
        assert task.started == 1 and len(task.ran) == 1  # the start-up pass runs at once
        target = datetime.now(UTC) + timedelta(milliseconds=300)
        scheduler.wake_at("t", target)
        await asyncio.sleep(0.6)
        assert len(task.ran) == 2
        assert abs((task.ran[1] - target).total_seconds()) < 0.2
        # a wake already in the past (the default 1 s grace would drop it) still runs
        scheduler.wake_at("t", datetime.now(UTC) - timedelta(minutes=5))
        await asyncio.sleep(0.2)
        assert len(task.ran) == 3
    finally:
        await scheduler.stop()
    await run_task(scheduler.id, "t")  # a job left after stop is ignored, not an error
    assert len(task.ran) == 3


async def test_only_one_process_holds_the_scheduler_lock(db: Database) -> None:
    first, second = DeploymentLock(db), DeploymentLock(Database(db.url))
    assert await first.acquire()
    try:
        assert not await second.acquire()
        task = Recorder()
        assert not await Scheduler(tasks={"t": task}, lock=second).start()
        assert task.started == 0
    finally:
        await first.release()
    assert await second.acquire()
    await second.release()
    await second.db.dispose()
