"""Time-driven work (reading reminders, later meeting reminders and deadline checks), on
APScheduler 3.x, wrapped so nothing else sees it.

Our own rows are the source of truth; APScheduler only wakes the process. Each capability
registers a ``Task``:

    start(now)  the start-up pass: re-plan from the rows (nothing is in APScheduler's
                memory job store after a restart, and nothing needs to be)
    run(now)    do what is due, return when to wake next (None: nothing planned)
    daily(now)  extend plans (a recurring session's next dates), once a day

Every APScheduler job calls the one module-level function ``run_task(scheduler_id,
task_name, what)`` with plain strings; it looks the running scheduler up and calls the task,
which reloads state from the database. So a job never holds a stale object, a renamed
function never strands a persisted job, and tasks are testable without APScheduler.

Misfires are handled on purpose: ``misfire_grace_time=None`` (run however late: the rows
decide whether a late reminder is still sent or dropped) and ``coalesce=True`` (one run
catches up on everything). A sweep every ``sweep_seconds`` covers rows written by another
process (the CLI) that could not poke this one.

One scheduler per deployment: ``start`` takes the deployment lock (storage/locks.py) and
returns False without scheduling anything when another process holds it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from storage.columns import utcnow

__all__ = ["Scheduler", "Task", "run_task"]

log = logging.getLogger(__name__)

_RUNNING: dict[str, Scheduler] = {}
_JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


class Task(Protocol):
    async def start(self, now: datetime) -> None: ...

    async def run(self, now: datetime) -> datetime | None: ...

    async def daily(self, now: datetime) -> None: ...


class _Lock(Protocol):
    async def acquire(self) -> bool: ...

    async def release(self) -> None: ...


async def run_task(scheduler_id: str, task_name: str, what: str = "run") -> None:
    """The only callable APScheduler holds. Plain ids in; the task reloads its state."""
    scheduler = _RUNNING.get(scheduler_id)
    if scheduler is None:  # a job left over from a stopped scheduler
        log.info("scheduler %s is not running; job for %s ignored", scheduler_id, task_name)
        return
    await scheduler.execute(task_name, what)


class Scheduler:
    def __init__(
        self,
        *,
        tasks: Mapping[str, Task],
        zone: str = "Asia/Shanghai",
        clock: Callable[[], datetime] = utcnow,
        lock: _Lock | None = None,
        sweep_seconds: float = 60.0,
        daily_at: time = time(3, 0),
        scheduler_id: str | None = None,
    ) -> None:
        self.tasks = dict(tasks)
        self.zone = zone
        self.clock = clock
        self.lock = lock
        self.sweep_seconds = sweep_seconds
        self.daily_at = daily_at
        self.id = scheduler_id or f"sched-{id(self):x}"
        self._aps: AsyncIOScheduler | None = None
        self._guards = {name: asyncio.Lock() for name in self.tasks}
        self.runs: dict[str, int] = dict.fromkeys(self.tasks, 0)

    @property
    def running(self) -> bool:
        return self._aps is not None

    async def start(self) -> bool:
        """Take the deployment lock, run each start-up pass, schedule the wakes."""
        if self.running:
            raise RuntimeError("scheduler already started")
        if self.lock is not None and not await self.lock.acquire():
            log.warning("another process runs the scheduler; this one will not")
            return False
        _RUNNING[self.id] = self
        self._aps = AsyncIOScheduler(timezone=UTC, job_defaults=_JOB_DEFAULTS)
        self._aps.start()
        for name in self.tasks:
            await self.execute(name, "start")
            self._aps.add_job(
                run_task,
                IntervalTrigger(seconds=self.sweep_seconds, timezone=UTC),
                args=[self.id, name, "run"],
                id=f"{name}:sweep",
                replace_existing=True,
            )
            self._aps.add_job(
                run_task,
                CronTrigger(
                    hour=self.daily_at.hour, minute=self.daily_at.minute, timezone=self.zone
                ),
                args=[self.id, name, "daily"],
                id=f"{name}:daily",
                replace_existing=True,
            )
        return True

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        _RUNNING.pop(self.id, None)
        if self.lock is not None:
            await self.lock.release()

    async def execute(self, name: str, what: str = "run") -> None:
        """Run one task step now (serialised per task) and schedule its next wake."""
        task = self.tasks[name]
        async with self._guards[name]:
            now = self.clock()
            try:
                if what == "start":
                    await task.start(now)
                elif what == "daily":
                    await task.daily(now)
                next_at = await task.run(now)
            except Exception:
                # A failing pass must not kill the scheduler; the sweep retries.
                log.exception("scheduled task %s (%s) failed", name, what)
                return
            self.runs[name] += 1
        self.wake_at(name, next_at)

    def poke(self, name: str, when: datetime | None = None) -> None:
        """Something changed (a session planned, a member joined): wake at ``when`` or now."""
        self.wake_at(name, when or self.clock())

    def wake_at(self, name: str, when: datetime | None) -> None:
        """Move the task's wake job to ``when`` if that is earlier than the one planned."""
        if self._aps is None or when is None:
            return
        job_id = f"{name}:wake"
        job = self._aps.get_job(job_id)
        if job is not None and job.next_run_time is not None and job.next_run_time <= when:
            return  # an earlier wake is planned; after running it plans the next one
        self._aps.add_job(
            run_task,
            DateTrigger(run_date=when.astimezone(UTC), timezone=UTC),
            args=[self.id, name, "run"],
            id=job_id,
            replace_existing=True,
        )

    def next_wake(self, name: str) -> datetime | None:
        job = self._aps.get_job(f"{name}:wake") if self._aps is not None else None
        return None if job is None else job.next_run_time
