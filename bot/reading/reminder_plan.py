"""Who is reminded of which reading session, when: pure planning, no ORM, no scheduler.

The plan is a list of ``PlannedReminder`` with a deterministic ``key``
(session + occurrence + member + offset, or plan item + member for a nudge). The key is
the reminder row's unique key and the outbox's ``dedupe_key``, so planning twice, a
restart, or two passes racing each other enqueue a reminder at most once.

Rules, in the order they apply:
- offsets per group (default: the evening before at 20:00, and one hour before);
- a reading-plan nudge when a new book or chapter period starts (default 09:00);
- quiet hours: nothing strictly between 22:00 and 07:00, unless the session itself starts
  then; a reminder that would fall inside moves to 07:00 if that is still before the
  session, else back to 22:00 the evening before;
- no reminder for a member who left, muted the group, declined (请假) the occurrence, or
  joined after the reminder's moment; none for a cancelled occurrence.

When a reminder is due, ``verdict`` decides: sent on time, sent marked late (its moment
passed while the process was down but the session has not started), or dropped (the
session already started, or the plan period is over).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.reading.recurrence import Occurrence

__all__ = [
    "DEFAULT_OFFSETS",
    "LATE_AFTER",
    "KnownRow",
    "Offset",
    "PlanDiff",
    "PlanPeriod",
    "PlannedReminder",
    "QuietHours",
    "Recipient",
    "ReminderState",
    "SessionSlot",
    "Verdict",
    "nudge_key",
    "parse_offsets",
    "plan_group",
    "reconcile",
    "session_key",
    "verdict",
]

DEFAULT_OFFSETS: tuple[str, ...] = ("1d@20:00", "1h")
# A reminder sent more than this after its moment is marked late (the process was down).
LATE_AFTER = timedelta(minutes=2)
_MIN_BEFORE = timedelta(minutes=5)
_MAX_BEFORE = timedelta(days=7)
_OFFSET_RE = re.compile(
    r"^(?:(?P<days>\d)d@(?P<hh>\d{1,2}):(?P<mm>\d{2})|(?:(?P<h>\d{1,3})h)?(?:(?P<m>\d{1,4})m)?)$"
)


@dataclass(frozen=True, slots=True)
class Offset:
    """When before a session to remind.

    ``1h``/``90m``/``2h30m``: that long before the start. ``1d@20:00``: that many days
    before, at that local time (``0d@08:00``: the morning of the session day).
    ``code`` is canonical (``60m`` becomes ``1h``) because it is part of the key.
    """

    code: str
    before: timedelta | None = None
    days: int = 0
    at: time | None = None

    @classmethod
    def parse(cls, raw: str) -> Offset:
        text = raw.strip().lower().replace(" ", "").replace("：", ":")
        m = _OFFSET_RE.match(text)
        if not text or m is None:
            raise UserError("reading.offset_invalid", offset=raw)
        if m.group("days") is not None:
            days, hh, mm = int(m.group("days")), int(m.group("hh")), int(m.group("mm"))
            if hh > 23 or mm > 59 or days > 7:
                raise UserError("reading.offset_invalid", offset=raw)
            return cls(code=f"{days}d@{hh:02d}:{mm:02d}", days=days, at=time(hh, mm))
        before = timedelta(hours=int(m.group("h") or 0), minutes=int(m.group("m") or 0))
        if not _MIN_BEFORE <= before <= _MAX_BEFORE:
            raise UserError("reading.offset_invalid", offset=raw)
        hours, minutes = divmod(int(before.total_seconds()) // 60, 60)
        code = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
        return cls(code=code, before=before)

    def fire_local(self, start_local: datetime) -> datetime:
        """The reminder's naive local moment for a session starting at ``start_local``."""
        if self.before is not None:
            return start_local - self.before
        assert self.at is not None
        return datetime.combine(start_local.date() - timedelta(days=self.days), self.at)


def parse_offsets(codes: Iterable[str]) -> list[Offset]:
    """Offsets without repeats, in the order given; UserError on the first bad one."""
    out: list[Offset] = []
    for code in codes:
        offset = Offset.parse(code)
        if all(o.code != offset.code for o in out):
            out.append(offset)
    return out


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window (exclusive at both ends) in which no reminder is sent."""

    start: time = time(22, 0)
    end: time = time(7, 0)

    def contains(self, moment: time) -> bool:
        if self.start > self.end:  # crosses midnight
            return moment > self.start or moment < self.end
        return self.start < moment < self.end

    def adjust(self, fire_local: datetime, start_local: datetime) -> datetime:
        """Move a reminder out of the quiet window, keeping it before the session."""
        if self.contains(start_local.time()) or not self.contains(fire_local.time()):
            return fire_local
        end_day = fire_local.date()
        if self.start > self.end and fire_local.time() > self.start:
            end_day += timedelta(days=1)
        morning = datetime.combine(end_day, self.end)
        if morning < start_local:
            return morning
        start_day = fire_local.date()
        if self.start > self.end and fire_local.time() < self.end:
            start_day -= timedelta(days=1)
        return datetime.combine(start_day, self.start)


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    """A member of the group as planning needs them."""

    member_id: int
    joined_at: datetime
    left_at: datetime | None = None
    muted: bool = False
    declined: frozenset[str] = frozenset()  # "session_id:occurrence_key" answered 请假

    @property
    def active(self) -> bool:
        return self.left_at is None and not self.muted


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSlot:
    """One occurrence of one session, to plan reminders for."""

    session_id: int
    occurrence: Occurrence
    cancelled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanPeriod:
    """A reading-plan item's period (local dates, both inclusive)."""

    item_id: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedReminder:
    """One reminder to one member. ``deadline``: after it the reminder is pointless."""

    key: str
    kind: Literal["session", "nudge"]
    group_id: int
    member_id: int
    fire_at: datetime
    deadline: datetime
    offset: str = ""
    session_id: int | None = None
    occurrence_key: str | None = None
    plan_item_id: int | None = None


def session_key(session_id: int, occurrence_key: str, member_id: int, offset: str) -> str:
    return f"reading:s{session_id}:{occurrence_key}:m{member_id}:{offset}"


def nudge_key(plan_item_id: int, member_id: int) -> str:
    return f"reading:n{plan_item_id}:m{member_id}"


def plan_group(
    *,
    group_id: int,
    slots: Sequence[SessionSlot],
    periods: Sequence[PlanPeriod],
    recipients: Sequence[Recipient],
    offsets: Sequence[Offset],
    zone: ZoneInfo,
    quiet: QuietHours | None = None,
    nudge_at: time = time(9, 0),
) -> list[PlannedReminder]:
    """Every reminder this group's members should get, sorted by moment then key.

    Includes reminders whose moment has passed (``verdict`` decides about those): planning
    is a function of the rows alone, so re-planning after a restart yields the same set.
    """
    quiet = quiet or QuietHours()
    active = [r for r in recipients if r.active]
    out: list[PlannedReminder] = []
    for slot in slots:
        if slot.cancelled:
            continue
        occ = slot.occurrence
        start_local = occ.start.astimezone(zone).replace(tzinfo=None)
        moments: dict[datetime, Offset] = {}
        for offset in offsets:
            local = quiet.adjust(offset.fire_local(start_local), start_local)
            if local < start_local:
                # two offsets moved to the same moment by quiet hours: remind once
                moments.setdefault(local, offset)
        for local, offset in moments.items():
            fire_at = local.replace(tzinfo=zone).astimezone(UTC)
            for r in active:
                if r.joined_at > fire_at or f"{slot.session_id}:{occ.key}" in r.declined:
                    continue
                out.append(
                    PlannedReminder(
                        key=session_key(slot.session_id, occ.key, r.member_id, offset.code),
                        kind="session",
                        group_id=group_id,
                        member_id=r.member_id,
                        fire_at=fire_at,
                        deadline=occ.start,
                        offset=offset.code,
                        session_id=slot.session_id,
                        occurrence_key=occ.key,
                    )
                )
    for period in periods:
        local = datetime.combine(period.starts_on, nudge_at)
        deadline = datetime.combine(period.ends_on + timedelta(days=1), time(0))
        local = quiet.adjust(local, deadline)
        fire_at = local.replace(tzinfo=zone).astimezone(UTC)
        for r in active:
            if r.joined_at > fire_at:
                continue
            out.append(
                PlannedReminder(
                    key=nudge_key(period.item_id, r.member_id),
                    kind="nudge",
                    group_id=group_id,
                    member_id=r.member_id,
                    fire_at=fire_at,
                    deadline=deadline.replace(tzinfo=zone).astimezone(UTC),
                    plan_item_id=period.item_id,
                )
            )
    out.sort(key=lambda p: (p.fire_at, p.key))
    return out


class Verdict(StrEnum):
    WAIT = "wait"  # not due yet
    SEND = "send"  # due, on time
    LATE = "late"  # due long ago (the process was down) but still useful: send, marked late
    DROP = "drop"  # the session started or the period ended: sending would only confuse


def verdict(*, fire_at: datetime, deadline: datetime, now: datetime) -> Verdict:
    if now < fire_at:
        return Verdict.WAIT
    if now >= deadline:
        return Verdict.DROP
    return Verdict.LATE if now - fire_at > LATE_AFTER else Verdict.SEND


@dataclass(frozen=True, slots=True)
class KnownRow:
    """A reminder row as reconciling needs it."""

    state: ReminderState
    deadline: datetime


class ReminderState(StrEnum):
    PLANNED = "planned"  # waiting for its moment
    SENT = "sent"  # handed to the outbox on time
    LATE = "late"  # handed to the outbox late
    DROPPED = "dropped"  # its moment passed after the session started
    CANCELLED = "cancelled"  # no longer applies (left, muted, moved, cancelled)


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """What to write: rows to add, pending rows to cancel, cancelled rows to plan again."""

    add: list[PlannedReminder] = field(default_factory=list)
    cancel: list[str] = field(default_factory=list)
    revive: list[PlannedReminder] = field(default_factory=list)


def reconcile(
    planned: Sequence[PlannedReminder],
    known: Mapping[str, KnownRow],
    *,
    now: datetime,
) -> PlanDiff:
    """Compare a fresh plan with the rows already written (key → state, deadline).

    A new reminder whose moment already passed is not added (a session created 30 minutes
    ahead gets no "one hour before" message); one that is already a pending row is kept,
    so the late policy applies after a restart. A reminder sent or dropped is never planned
    again. Pending rows missing from the plan are cancelled (member left or muted, session
    moved or cancelled, offsets changed) unless their deadline passed, which the due pass
    drops anyway; cancelled rows wanted again (member unmuted) are revived.
    """
    wanted = {p.key for p in planned}
    add: list[PlannedReminder] = []
    revive: list[PlannedReminder] = []
    for p in planned:
        row = known.get(p.key)
        if row is None:
            if p.fire_at >= now:
                add.append(p)
        elif row.state == ReminderState.CANCELLED and p.fire_at >= now:
            revive.append(p)
    cancel = sorted(
        key
        for key, row in known.items()
        if row.state == ReminderState.PLANNED and key not in wanted and row.deadline > now
    )
    return PlanDiff(add=add, cancel=cancel, revive=revive)
