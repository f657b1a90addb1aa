"""Turning due reminder rows into outbox messages, exactly once, and telling members when a
session they were to be reminded of changes.

Exactly once: a due row moves from ``planned`` to ``sent``/``late``/``dropped`` in the same
transaction that writes its outbox row (``dedupe_key`` = the reminder's key). A crash
before the commit leaves both undone, and the next pass (after restart: the start-up
pass) redoes them, sending late or dropping per ``verdict``. A crash after leaves both
done. A second process (or pass) finds the row no longer ``planned``; even if it raced
past that check the outbox's unique key refuses the copy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reading.planner import replan_all
from bot.reading.reminder_plan import ReminderState, Verdict, verdict
from bot.types import Reply
from storage.db import Database
from storage.outbox_batch import Draft, enqueue_batch
from storage.reading import ReadingRepo
from storage.tables import (
    ReadingGroup,
    ReadingPlanItem,
    ReadingReminder,
    ReadingSession,
)

__all__ = [
    "DispatchStats",
    "ReadingReminders",
    "ReminderInfo",
    "dispatch_due",
]


@dataclass(frozen=True, slots=True)
class ReminderInfo:
    """Everything a reminder message shows, loaded once per pass."""

    row: ReadingReminder
    group: ReadingGroup
    late: bool
    session: ReadingSession | None = None
    item: ReadingPlanItem | None = None
    at: datetime | None = None  # when the member receives it (its moment, or now if late)


Composer = Callable[[ReminderInfo], Reply]


@dataclass(slots=True)
class DispatchStats:
    sent: int = 0
    late: int = 0
    dropped: int = 0
    cancelled: int = 0

    def add(self, other: DispatchStats) -> None:
        self.sent += other.sent
        self.late += other.late
        self.dropped += other.dropped
        self.cancelled += other.cancelled


async def dispatch_due(
    db: Database,
    *,
    now: datetime,
    compose: Composer,
    lead: timedelta = timedelta(0),
    batch: int = 500,
) -> DispatchStats:
    """Handle every reminder due at ``now``, one transaction per batch.

    With ``lead``, reminders due within that long are written ahead with ``not_before``
    = their moment, so the delivery worker sends them on the dot however many fall due
    in the same second.
    """
    total = DispatchStats()
    while True:
        async with db.session() as session:
            repo = ReadingRepo(session)
            rows = await repo.due_reminders(now=now + lead, limit=batch, skip_locked=db.is_postgres)
            stats = await _dispatch_rows(repo, rows, now=now, compose=compose)
        total.add(stats)
        if len(rows) < batch:
            return total


class _Loader:
    """Rows a batch of reminders refers to, each loaded once."""

    def __init__(self, repo: ReadingRepo) -> None:
        self.repo = repo
        self.groups: dict[int, ReadingGroup | None] = {}
        self.active: dict[int, set[int]] = {}
        self.sessions: dict[int, ReadingSession | None] = {}
        self.items: dict[int, ReadingPlanItem | None] = {}

    async def group(self, group_id: int) -> ReadingGroup | None:
        if group_id not in self.groups:
            self.groups[group_id] = await self.repo.group(group_id)
            members = await self.repo.memberships(group_id)
            self.active[group_id] = {m.member_id for m in members if not m.muted}
        return self.groups[group_id]

    async def session(self, session_id: int | None) -> ReadingSession | None:
        if session_id is not None and session_id not in self.sessions:
            self.sessions[session_id] = await self.repo.reading_session(session_id)
        return None if session_id is None else self.sessions[session_id]

    async def item(self, item_id: int | None) -> ReadingPlanItem | None:
        if item_id is not None and item_id not in self.items:
            self.items[item_id] = await self.repo.plan_item(item_id)
        return None if item_id is None else self.items[item_id]


async def _dispatch_rows(
    repo: ReadingRepo,
    rows: Iterable[ReadingReminder],
    *,
    now: datetime,
    compose: Composer,
) -> DispatchStats:
    load = _Loader(repo)
    finished: dict[ReminderState, list[int]] = defaultdict(list)
    drafts: list[Draft] = []
    for row in rows:
        assert row.id is not None
        group = await load.group(row.group_id)
        session = await load.session(row.session_id)
        item = await load.item(row.plan_item_id)
        # Re-checked here because a change may not have been re-planned yet (another
        # process, a crash between the change and its re-plan).
        still_wanted = (
            group is not None
            and group.archived_at is None
            and row.member_id in load.active[row.group_id]
            and (session is None or session.cancelled_at is None)
            and (item is None or item.removed_at is None)
            and (session is not None or item is not None)
        )
        if not still_wanted:
            finished[ReminderState.CANCELLED].append(row.id)
            continue
        assert group is not None
        # A row written ahead (within the lead) is judged at its own moment.
        decision = verdict(fire_at=row.fire_at, deadline=row.deadline, now=max(now, row.fire_at))
        if decision == Verdict.DROP:
            finished[ReminderState.DROPPED].append(row.id)
            continue
        late = decision == Verdict.LATE
        drafts.append(
            Draft(
                member_id=row.member_id,
                reply=compose(
                    ReminderInfo(
                        row=row,
                        group=group,
                        late=late,
                        session=session,
                        item=item,
                        at=max(now, row.fire_at),
                    )
                ),
                dedupe_key=row.key,
                kind="reading",
                ref=f"reading:s{row.session_id}"
                if row.session_id
                else f"reading:n{row.plan_item_id}",
                not_before=row.fire_at if row.fire_at > now else None,
            )
        )
        finished[ReminderState.LATE if late else ReminderState.SENT].append(row.id)
    # The outbox rows and the state changes commit together: exactly once.
    await enqueue_batch(repo.session, drafts)
    stats = DispatchStats()
    for state, ids in finished.items():
        moved = await repo.finish_reminders(ids, state=state, now=now)
        setattr(stats, _STAT[state], moved)
    return stats


_STAT = {
    ReminderState.SENT: "sent",
    ReminderState.LATE: "late",
    ReminderState.DROPPED: "dropped",
    ReminderState.CANCELLED: "cancelled",
}


class ReadingReminders:
    """The scheduler task for reading reminders (see bot.scheduler.Task)."""

    def __init__(
        self,
        *,
        db: Database,
        zone: ZoneInfo,
        compose: Composer,
        on_enqueued: Callable[[], None] = lambda: None,
        lead: timedelta = timedelta(seconds=30),
    ) -> None:
        self.db = db
        self.zone = zone
        self.compose = compose
        self.on_enqueued = on_enqueued
        self.lead = lead
        self.stats = DispatchStats()

    async def start(self, now: datetime) -> None:
        await self.daily(now)

    async def daily(self, now: datetime) -> None:
        async with self.db.session() as session:
            await replan_all(ReadingRepo(session), now=now, zone=self.zone)

    async def run(self, now: datetime) -> datetime | None:
        stats = await dispatch_due(self.db, now=now, compose=self.compose, lead=self.lead)
        self.stats.add(stats)
        if stats.sent or stats.late:
            self.on_enqueued()
        async with self.db.session() as session:
            next_at = await ReadingRepo(session).next_fire_at()
        return None if next_at is None else next_at - self.lead
