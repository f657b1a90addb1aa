"""Plan a reading group's reminders from its rows: the bridge between storage and the
pure planning in ``bot.reading.reminder_plan``.

``replan_group`` is idempotent and depends only on the rows and ``now``: it is what a
change (new session, member joined or left, muted, session moved or cancelled) calls, and
what the start-up pass calls for every group. It returns the reminder rows it cancelled so
the caller can tell those members what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.reading.recurrence import occurrences
from bot.reading.reminder_plan import (
    PlanPeriod,
    QuietHours,
    SessionSlot,
    parse_offsets,
    plan_group,
    reconcile,
)
from storage.reading import ReadingRepo, schedule_of
from storage.tables import ReadingReminder

__all__ = ["HORIZON", "ReplanResult", "replan_all", "replan_group"]

# Reminders are written this far ahead; the daily pass extends the window. Longer than
# any outage we plan for, so a restart always finds the rows it needs.
HORIZON = timedelta(days=35)


@dataclass(frozen=True, slots=True)
class ReplanResult:
    added: int
    revived: int
    cancelled: list[ReadingReminder]


async def replan_group(
    repo: ReadingRepo,
    group_id: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    horizon: timedelta = HORIZON,
    quiet: QuietHours | None = None,
) -> ReplanResult:
    group = await repo.group(group_id)
    if group is None:
        return ReplanResult(added=0, revived=0, cancelled=[])
    slots: list[SessionSlot] = []
    periods: list[PlanPeriod] = []
    if group.archived_at is None:
        sessions = await repo.sessions(group_id)
        cancelled = await repo.cancelled_keys([s.id for s in sessions if s.id is not None])
        for row in sessions:
            assert row.id is not None
            for occ in occurrences(schedule_of(row), since=now, until=now + horizon):
                if occ.start > now:
                    slots.append(
                        SessionSlot(
                            session_id=row.id,
                            occurrence=occ,
                            cancelled=(row.id, occ.key) in cancelled,
                        )
                    )
        today = now.astimezone(zone).date()
        periods = [
            PlanPeriod(item_id=i.id, starts_on=i.starts_on, ends_on=i.ends_on)
            for i in await repo.plan(group_id)
            if i.id is not None and i.ends_on >= today and i.starts_on <= (now + horizon).date()
        ]
    planned = plan_group(
        group_id=group_id,
        slots=slots,
        periods=periods,
        recipients=await repo.recipients(group_id),
        offsets=parse_offsets(group.reminder_offsets),
        zone=zone,
        quiet=quiet,
        nudge_at=time.fromisoformat(group.nudge_at),
    )
    diff = reconcile(planned, await repo.known_reminders(group_id, now=now), now=now)
    removed = await repo.apply_diff(diff, now=now)
    return ReplanResult(added=len(diff.add), revived=len(diff.revive), cancelled=removed)


async def replan_all(
    repo: ReadingRepo, *, now: datetime | None = None, zone: ZoneInfo
) -> ReplanResult:
    """The start-up and daily pass: every group, including archived ones (to cancel)."""
    now = now or datetime.now(UTC)
    added = revived = 0
    cancelled: list[ReadingReminder] = []
    for group in await repo.groups(include_archived=True):
        assert group.id is not None
        result = await replan_group(repo, group.id, now=now, zone=zone)
        added += result.added
        revived += result.revived
        cancelled += result.cancelled
    return ReplanResult(added=added, revived=revived, cancelled=cancelled)
