"""Reading groups (书香政协): groups, memberships, plans, sessions, check-ins, notes, reminders.

``ReadingReminder`` rows are the source of truth for reminders: APScheduler only wakes the
process, and a start-up pass re-plans from these rows. Their ``key`` is unique and is the
outbox's ``dedupe_key``, so a reminder is enqueued at most once whatever restarts.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Column, Field

from storage.columns import json_column, utc_column, utcnow
from storage.tables.base import Table

__all__ = [
    "ReadingCheckin",
    "ReadingGroup",
    "ReadingMembership",
    "ReadingNote",
    "ReadingOccurrence",
    "ReadingPlanItem",
    "ReadingProgress",
    "ReadingReminder",
    "ReadingRsvp",
    "ReadingSession",
]


class ReadingGroup(Table, table=True):
    """A reading group (读书群) with its theme and the people who run it."""

    __tablename__ = "reading_group"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    theme: str = Field(default="", max_length=128, description="读书主题")
    description: str = Field(default="", max_length=1000)
    owner_member_id: int | None = Field(default=None, foreign_key="member.id", description="群主")
    lead_member_id: int | None = Field(default=None, foreign_key="member.id", description="领读人")
    liaison_member_id: int | None = Field(
        default=None, foreign_key="member.id", description="联络员"
    )
    # Offset codes (see bot.reading.reminder_plan.Offset), e.g. ["1d@20:00", "1h"].
    reminder_offsets: list[str] = Field(
        default_factory=lambda: ["1d@20:00", "1h"], sa_column=json_column()
    )
    nudge_at: str = Field(default="09:00", max_length=5, description="plan nudge, local HH:MM")
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    archived_at: datetime | None = Field(default=None, sa_column=utc_column())


class ReadingMembership(Table, table=True):
    """A member in a group. Leaving keeps the row (the reading record stays)."""

    __tablename__ = "reading_membership"
    __table_args__ = (UniqueConstraint("group_id", "member_id", name="uq_reading_membership"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="reading_group.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    joined_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    left_at: datetime | None = Field(default=None, sa_column=utc_column())
    muted: bool = Field(default=False)
    via: str = Field(default="self", max_length=64, description="self, bulk:专委会:…, cli")


class ReadingPlanItem(Table, table=True):
    """A book, or a chapter of one, with the local dates it is read in."""

    __tablename__ = "reading_plan_item"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="reading_group.id", index=True)
    book: str = Field(max_length=128)
    author: str = Field(default="", max_length=64)
    chapter: str = Field(default="", max_length=128)
    starts_on: date
    ends_on: date
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    # Removed items stay: notes, progress and sent reminders refer to them.
    removed_at: datetime | None = Field(default=None, sa_column=utc_column())


class ReadingSession(Table, table=True):
    """A reading session (读书会): one-off, or recurring by ``rule`` (RRULE body).

    ``starts_at`` is the first occurrence; the rule is expanded on the wall clock of
    ``timezone`` (see bot.reading.recurrence).
    """

    __tablename__ = "reading_session"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="reading_group.id", index=True)
    title: str = Field(max_length=128)
    starts_at: datetime = Field(sa_column=utc_column(nullable=False))
    duration_minutes: int = Field(default=90)
    rule: str | None = Field(default=None, max_length=255)
    rule_text: str = Field(default="", max_length=128, description="the phrase as typed")
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    place: str = Field(default="", max_length=255)
    online_link: str = Field(default="", max_length=500)
    agenda: str = Field(default="", max_length=2000)
    version: int = Field(default=0, description="raised on every change; the .ics SEQUENCE")
    cancelled_at: datetime | None = Field(default=None, sa_column=utc_column())
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class ReadingOccurrence(Table, table=True):
    """One meeting of a session, written when something attaches to it (RSVP, check-in,
    cancellation of this one date)."""

    __tablename__ = "reading_occurrence"
    __table_args__ = (UniqueConstraint("session_id", "key", name="uq_reading_occurrence"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="reading_session.id", index=True)
    key: str = Field(max_length=16, description="local start, 20250313T1930")
    starts_at: datetime = Field(sa_column=utc_column(nullable=False))
    ends_at: datetime = Field(sa_column=utc_column(nullable=False))
    cancelled: bool = Field(default=False)


class ReadingRsvp(Table, table=True):
    """A member's answer for one occurrence: yes (参加), no (请假), maybe."""

    __tablename__ = "reading_rsvp"
    __table_args__ = (UniqueConstraint("occurrence_id", "member_id", name="uq_reading_rsvp"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="reading_occurrence.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    answer: str = Field(max_length=8)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class ReadingCheckin(Table, table=True):
    """打卡: the member was there (checked in within the window around the occurrence)."""

    __tablename__ = "reading_checkin"
    __table_args__ = (UniqueConstraint("occurrence_id", "member_id", name="uq_reading_checkin"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="reading_occurrence.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class ReadingNote(Table, table=True):
    """读书心得: text, or a document the member sent, optionally tied to a session or book."""

    __tablename__ = "reading_note"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="reading_group.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    occurrence_id: int | None = Field(default=None, foreign_key="reading_occurrence.id")
    plan_item_id: int | None = Field(default=None, foreign_key="reading_plan_item.id")
    text: str = Field(default="", max_length=8000)
    document_name: str | None = Field(default=None, max_length=255)
    document_mime: str | None = Field(default=None, max_length=128)
    document: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class ReadingProgress(Table, table=True):
    """A member finished a plan item (book or chapter): for the reading record."""

    __tablename__ = "reading_progress"
    __table_args__ = (UniqueConstraint("plan_item_id", "member_id", name="uq_reading_progress"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_item_id: int = Field(foreign_key="reading_plan_item.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    finished_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class ReadingReminder(Table, table=True):
    """One planned reminder to one member (see bot.reading.reminder_plan).

    ``state``: planned → sent | late (enqueued into the outbox under the same key) | dropped |
    cancelled (no longer applies; may be planned again).
    """

    __tablename__ = "reading_reminder"
    __table_args__ = (Index("ix_reading_reminder_due", "state", "fire_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, unique=True)
    kind: str = Field(max_length=8, description="session or nudge")
    group_id: int = Field(foreign_key="reading_group.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="reading_session.id", index=True)
    occurrence_key: str | None = Field(default=None, max_length=16)
    plan_item_id: int | None = Field(default=None, foreign_key="reading_plan_item.id")
    offset: str = Field(default="", max_length=16)
    fire_at: datetime = Field(sa_column=utc_column(nullable=False))
    deadline: datetime = Field(sa_column=utc_column(nullable=False))
    state: str = Field(default="planned", max_length=12)
    done_at: datetime | None = Field(default=None, sa_column=utc_column())
