"""Repository for reading groups: groups, members, plans, sessions, RSVPs, check-ins, notes,
and the reminder rows that are the source of truth for reminders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import UserError
from bot.reading.recurrence import Occurrence, Schedule
from bot.reading.reminder_plan import (
    KnownRow,
    PlanDiff,
    PlannedReminder,
    Recipient,
    ReminderState,
)
from storage.columns import utcnow
from storage.tables import (
    Member,
    ReadingCheckin,
    ReadingGroup,
    ReadingMembership,
    ReadingNote,
    ReadingOccurrence,
    ReadingPlanItem,
    ReadingProgress,
    ReadingReminder,
    ReadingRsvp,
    ReadingSession,
)

__all__ = ["RSVP_ANSWERS", "ReadingRecord", "ReadingRepo", "schedule_of"]

RSVP_ANSWERS = ("yes", "no", "maybe")


def schedule_of(session: ReadingSession) -> Schedule:
    """The domain schedule of a session row."""
    return Schedule(
        start=session.starts_at,
        duration=timedelta(minutes=session.duration_minutes),
        rule=session.rule,
        zone=session.timezone,
    )


@dataclass(frozen=True, slots=True)
class ReadingRecord:
    """A member's reading record (我的读书记录)."""

    sessions_attended: int
    notes_shared: int
    books_finished: list[str]
    groups: list[str]


class ReadingRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # groups ------------------------------------------------------------------
    async def create_group(
        self,
        *,
        name: str,
        theme: str = "",
        description: str = "",
        owner_member_id: int | None = None,
        lead_member_id: int | None = None,
        liaison_member_id: int | None = None,
        offsets: Sequence[str] | None = None,
        created_by: str = "",
    ) -> ReadingGroup:
        name = name.strip()
        if not name or len(name) > 64:
            raise UserError("reading.group_name_invalid")
        if await self.group_by_name(name) is not None:
            raise UserError("reading.group_exists", name=name)
        group = ReadingGroup(
            name=name,
            theme=theme.strip()[:128],
            description=description.strip()[:1000],
            owner_member_id=owner_member_id,
            lead_member_id=lead_member_id,
            liaison_member_id=liaison_member_id,
            created_by=created_by[:64],
        )
        if offsets is not None:
            group.reminder_offsets = list(offsets)
        try:
            async with self.session.begin_nested():
                self.session.add(group)
        except IntegrityError:  # a concurrent create with the same name
            raise UserError("reading.group_exists", name=name) from None
        return group

    async def group(self, group_id: int) -> ReadingGroup | None:
        return await self.session.get(ReadingGroup, group_id)

    async def group_by_name(self, name: str) -> ReadingGroup | None:
        stmt = select(ReadingGroup).where(ReadingGroup.name == name.strip())
        return (await self.session.exec(stmt)).first()

    async def groups(self, *, include_archived: bool = False) -> list[ReadingGroup]:
        stmt = select(ReadingGroup)
        if not include_archived:
            stmt = stmt.where(col(ReadingGroup.archived_at).is_(None))
        return list(await self.session.exec(stmt.order_by(col(ReadingGroup.id))))

    async def save(self, row: Any) -> None:
        self.session.add(row)
        await self.session.flush()

    # memberships ---------------------------------------------------------------
    async def membership(self, group_id: int, member_id: int) -> ReadingMembership | None:
        stmt = select(ReadingMembership).where(
            ReadingMembership.group_id == group_id, ReadingMembership.member_id == member_id
        )
        return (await self.session.exec(stmt)).first()

    async def join(
        self, group_id: int, member_id: int, *, via: str = "self", now: datetime | None = None
    ) -> bool:
        """True when the member was not in the group before (or had left)."""
        now = now or utcnow()
        row = await self.membership(group_id, member_id)
        if row is not None and row.left_at is None:
            return False
        if row is None:
            row = ReadingMembership(group_id=group_id, member_id=member_id)
        row.joined_at = now
        row.left_at = None
        row.via = via[:64]
        await self.save(row)
        return True

    async def join_many(
        self, group_id: int, member_ids: Iterable[int], *, via: str, now: datetime | None = None
    ) -> int:
        added = 0
        for member_id in dict.fromkeys(member_ids):
            added += await self.join(group_id, member_id, via=via, now=now)
        return added

    async def leave(self, group_id: int, member_id: int, *, now: datetime | None = None) -> bool:
        row = await self.membership(group_id, member_id)
        if row is None or row.left_at is not None:
            return False
        row.left_at = now or utcnow()
        await self.save(row)
        return True

    async def set_muted(self, group_id: int, member_id: int, muted: bool) -> bool:
        row = await self.membership(group_id, member_id)
        if row is None or row.left_at is not None:
            return False
        row.muted = muted
        await self.save(row)
        return True

    async def memberships(
        self, group_id: int, *, current_only: bool = True
    ) -> list[ReadingMembership]:
        stmt = select(ReadingMembership).where(ReadingMembership.group_id == group_id)
        if current_only:
            stmt = stmt.where(col(ReadingMembership.left_at).is_(None))
        return list(await self.session.exec(stmt.order_by(col(ReadingMembership.id))))

    async def groups_of(self, member_id: int) -> list[tuple[ReadingGroup, ReadingMembership]]:
        stmt = (
            select(ReadingGroup, ReadingMembership)
            .join(ReadingMembership, col(ReadingMembership.group_id) == col(ReadingGroup.id))
            .where(
                ReadingMembership.member_id == member_id,
                col(ReadingMembership.left_at).is_(None),
                col(ReadingGroup.archived_at).is_(None),
            )
            .order_by(col(ReadingGroup.id))
        )
        return [(g, m) for g, m in await self.session.exec(stmt)]

    async def recipients(self, group_id: int) -> list[Recipient]:
        """Current members with what planning needs, including their 请假 answers."""
        members = await self.memberships(group_id)
        declined: dict[int, set[str]] = defaultdict(set)
        stmt = (
            select(ReadingRsvp.member_id, ReadingOccurrence.session_id, ReadingOccurrence.key)
            .join(ReadingOccurrence, col(ReadingOccurrence.id) == col(ReadingRsvp.occurrence_id))
            .join(ReadingSession, col(ReadingSession.id) == col(ReadingOccurrence.session_id))
            .where(ReadingSession.group_id == group_id, ReadingRsvp.answer == "no")
        )
        for member_id, session_id, key in await self.session.exec(stmt):
            declined[member_id].add(f"{session_id}:{key}")
        return [
            Recipient(
                member_id=m.member_id,
                joined_at=m.joined_at,
                left_at=m.left_at,
                muted=m.muted,
                declined=frozenset(declined.get(m.member_id, ())),
            )
            for m in members
        ]

    # plan ------------------------------------------------------------------------
    async def add_plan_item(
        self,
        *,
        group_id: int,
        book: str,
        starts_on: date,
        ends_on: date,
        author: str = "",
        chapter: str = "",
        note: str = "",
    ) -> ReadingPlanItem:
        book = book.strip().strip("《》").strip()
        if not book or len(book) > 128:
            raise UserError("reading.book_invalid")
        if ends_on < starts_on:
            raise UserError("reading.period_invalid")
        item = ReadingPlanItem(
            group_id=group_id,
            book=book,
            author=author.strip()[:64],
            chapter=chapter.strip()[:128],
            starts_on=starts_on,
            ends_on=ends_on,
            note=note.strip()[:500],
        )
        await self.save(item)
        return item

    async def plan(self, group_id: int) -> list[ReadingPlanItem]:
        stmt = (
            select(ReadingPlanItem)
            .where(ReadingPlanItem.group_id == group_id, col(ReadingPlanItem.removed_at).is_(None))
            .order_by(col(ReadingPlanItem.starts_on), col(ReadingPlanItem.id))
        )
        return list(await self.session.exec(stmt))

    async def plan_item(self, item_id: int) -> ReadingPlanItem | None:
        return await self.session.get(ReadingPlanItem, item_id)

    async def current_items(self, group_id: int, today: date) -> list[ReadingPlanItem]:
        return [i for i in await self.plan(group_id) if i.starts_on <= today <= i.ends_on]

    async def remove_plan_item(self, item: ReadingPlanItem, *, now: datetime | None = None) -> None:
        now = now or utcnow()
        await self.session.exec(
            update(ReadingReminder)
            .where(
                col(ReadingReminder.plan_item_id) == item.id,
                col(ReadingReminder.state) == ReminderState.PLANNED,
            )
            .values(state=ReminderState.CANCELLED, done_at=now)
        )
        item.removed_at = now
        await self.save(item)

    # sessions --------------------------------------------------------------------
    async def add_session(
        self,
        *,
        group_id: int,
        title: str,
        starts_at: datetime,
        duration_minutes: int = 90,
        rule: str | None = None,
        rule_text: str = "",
        timezone: str = "Asia/Shanghai",
        place: str = "",
        online_link: str = "",
        agenda: str = "",
        created_by: str = "",
    ) -> ReadingSession:
        title = title.strip()
        if not title or len(title) > 128:
            raise UserError("reading.title_invalid")
        if not 10 <= duration_minutes <= 12 * 60:
            raise UserError("reading.duration_invalid")
        row = ReadingSession(
            group_id=group_id,
            title=title,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            rule=rule,
            rule_text=rule_text[:128],
            timezone=timezone,
            place=place.strip()[:255],
            online_link=online_link.strip()[:500],
            agenda=agenda.strip()[:2000],
            created_by=created_by[:64],
        )
        await self.save(row)
        return row

    async def reading_session(self, session_id: int) -> ReadingSession | None:
        return await self.session.get(ReadingSession, session_id)

    async def sessions(
        self, group_id: int | None = None, *, include_cancelled: bool = False
    ) -> list[ReadingSession]:
        stmt = select(ReadingSession)
        if group_id is not None:
            stmt = stmt.where(ReadingSession.group_id == group_id)
        if not include_cancelled:
            stmt = stmt.where(col(ReadingSession.cancelled_at).is_(None))
        return list(await self.session.exec(stmt.order_by(col(ReadingSession.id))))

    async def touch_session(self, row: ReadingSession, *, now: datetime | None = None) -> None:
        """Record a change (time, place, cancellation): the .ics SEQUENCE goes up."""
        row.version += 1
        row.updated_at = now or utcnow()
        await self.save(row)

    # occurrences, RSVPs, check-ins ------------------------------------------------
    async def occurrence(self, session_id: int, key: str) -> ReadingOccurrence | None:
        stmt = select(ReadingOccurrence).where(
            ReadingOccurrence.session_id == session_id, ReadingOccurrence.key == key
        )
        return (await self.session.exec(stmt)).first()

    async def occurrence_by_id(self, occurrence_id: int) -> ReadingOccurrence | None:
        return await self.session.get(ReadingOccurrence, occurrence_id)

    async def ensure_occurrence(self, session_id: int, occ: Occurrence) -> ReadingOccurrence:
        row = await self.occurrence(session_id, occ.key)
        if row is not None:
            return row
        row = ReadingOccurrence(
            session_id=session_id, key=occ.key, starts_at=occ.start, ends_at=occ.end
        )
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:  # written concurrently by another update
            found = await self.occurrence(session_id, occ.key)
            assert found is not None
            return found
        return row

    async def cancelled_keys(self, session_ids: Sequence[int]) -> set[tuple[int, str]]:
        if not session_ids:
            return set()
        stmt = select(ReadingOccurrence.session_id, ReadingOccurrence.key).where(
            col(ReadingOccurrence.session_id).in_(list(session_ids)),
            col(ReadingOccurrence.cancelled).is_(True),
        )
        return {(sid, key) for sid, key in await self.session.exec(stmt)}

    async def rsvp(self, occurrence_id: int, member_id: int, answer: str) -> None:
        if answer not in RSVP_ANSWERS:
            raise ValueError(f"unknown RSVP answer {answer!r}")
        stmt = select(ReadingRsvp).where(
            ReadingRsvp.occurrence_id == occurrence_id, ReadingRsvp.member_id == member_id
        )
        row = (await self.session.exec(stmt)).first() or ReadingRsvp(
            occurrence_id=occurrence_id, member_id=member_id, answer=answer
        )
        row.answer = answer
        row.at = utcnow()
        await self.save(row)

    async def rsvps(self, occurrence_id: int) -> dict[int, str]:
        stmt = select(ReadingRsvp.member_id, ReadingRsvp.answer).where(
            ReadingRsvp.occurrence_id == occurrence_id
        )
        return {m: a for m, a in await self.session.exec(stmt)}

    async def check_in(
        self, occurrence_id: int, member_id: int, *, now: datetime | None = None
    ) -> bool:
        """False when the member had already checked in (a double tap counts once)."""
        stmt = select(ReadingCheckin.id).where(
            ReadingCheckin.occurrence_id == occurrence_id, ReadingCheckin.member_id == member_id
        )
        if (await self.session.exec(stmt)).first() is not None:
            return False
        row = ReadingCheckin(occurrence_id=occurrence_id, member_id=member_id, at=now or utcnow())
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return False
        return True

    async def checkins(self, occurrence_id: int) -> dict[int, datetime]:
        stmt = select(ReadingCheckin.member_id, ReadingCheckin.at).where(
            ReadingCheckin.occurrence_id == occurrence_id
        )
        return {m: at for m, at in await self.session.exec(stmt)}

    async def occurrences_of(self, session_id: int) -> list[ReadingOccurrence]:
        stmt = (
            select(ReadingOccurrence)
            .where(ReadingOccurrence.session_id == session_id)
            .order_by(col(ReadingOccurrence.starts_at))
        )
        return list(await self.session.exec(stmt))

    # notes and progress --------------------------------------------------------------
    async def add_note(
        self,
        *,
        group_id: int,
        member_id: int,
        text: str = "",
        occurrence_id: int | None = None,
        plan_item_id: int | None = None,
        document_name: str | None = None,
        document_mime: str | None = None,
        document: bytes | None = None,
    ) -> ReadingNote:
        if not text.strip() and not document:
            raise UserError("reading.note_empty")
        if len(text) > 8000:
            raise UserError("reading.note_too_long", limit=8000)
        note = ReadingNote(
            group_id=group_id,
            member_id=member_id,
            text=text.strip(),
            occurrence_id=occurrence_id,
            plan_item_id=plan_item_id,
            document_name=(document_name or "")[:255] or None,
            document_mime=(document_mime or "")[:128] or None,
            document=document,
        )
        await self.save(note)
        return note

    async def notes(
        self,
        *,
        group_id: int | None = None,
        member_id: int | None = None,
        occurrence_id: int | None = None,
    ) -> list[ReadingNote]:
        stmt = select(ReadingNote)
        if group_id is not None:
            stmt = stmt.where(ReadingNote.group_id == group_id)
        if member_id is not None:
            stmt = stmt.where(ReadingNote.member_id == member_id)
        if occurrence_id is not None:
            stmt = stmt.where(ReadingNote.occurrence_id == occurrence_id)
        return list(await self.session.exec(stmt.order_by(col(ReadingNote.id))))

    async def mark_finished(self, plan_item_id: int, member_id: int) -> bool:
        stmt = select(ReadingProgress.id).where(
            ReadingProgress.plan_item_id == plan_item_id, ReadingProgress.member_id == member_id
        )
        if (await self.session.exec(stmt)).first() is not None:
            return False
        await self.save(ReadingProgress(plan_item_id=plan_item_id, member_id=member_id))
        return True

    async def record(self, member_id: int) -> ReadingRecord:
        attended = (
            await self.session.exec(
                select(func.count())
                .select_from(ReadingCheckin)
                .where(ReadingCheckin.member_id == member_id)
            )
        ).one()
        notes = (
            await self.session.exec(
                select(func.count())
                .select_from(ReadingNote)
                .where(ReadingNote.member_id == member_id)
            )
        ).one()
        stmt = (
            select(ReadingPlanItem.book, ReadingPlanItem.chapter)
            .join(ReadingProgress, col(ReadingProgress.plan_item_id) == col(ReadingPlanItem.id))
            .where(ReadingProgress.member_id == member_id)
            .order_by(col(ReadingProgress.finished_at))
        )
        books: list[str] = []
        for book, chapter in await self.session.exec(stmt):
            # a book counts as finished once, whichever chapters were marked
            if book not in books and not chapter:
                books.append(book)
        groups = [g.name for g, _ in await self.groups_of(member_id)]
        return ReadingRecord(
            sessions_attended=int(attended),
            notes_shared=int(notes),
            books_finished=books,
            groups=groups,
        )

    async def member_names(self, member_ids: Iterable[int]) -> dict[int, str]:
        ids = list(set(member_ids))
        if not ids:
            return {}
        stmt = select(Member.id, Member.name).where(col(Member.id).in_(ids))
        return {i: n for i, n in await self.session.exec(stmt) if i is not None}

    # reminders -----------------------------------------------------------------------
    async def known_reminders(self, group_id: int, *, now: datetime) -> dict[str, KnownRow]:
        """Rows still relevant to planning (deadline not passed), by key."""
        stmt = select(ReadingReminder.key, ReadingReminder.state, ReadingReminder.deadline).where(
            ReadingReminder.group_id == group_id, col(ReadingReminder.deadline) > now
        )
        return {
            key: KnownRow(state=ReminderState(state), deadline=_aware(deadline))
            for key, state, deadline in await self.session.exec(stmt)
        }

    async def apply_diff(self, diff: PlanDiff, *, now: datetime) -> list[ReadingReminder]:
        """Write a plan diff; returns the rows it cancelled (who was to be reminded)."""
        if diff.add:
            await self.session.exec(insert(ReadingReminder), params=[_row(p) for p in diff.add])
        for p in diff.revive:
            await self.session.exec(
                update(ReadingReminder)
                .where(col(ReadingReminder.key) == p.key)
                .values(state=ReminderState.PLANNED, fire_at=p.fire_at, deadline=p.deadline)
                .values(done_at=None)
            )
        cancelled: list[ReadingReminder] = []
        for chunk in _chunks(diff.cancel, 500):
            stmt = select(ReadingReminder).where(col(ReadingReminder.key).in_(chunk))
            for row in await self.session.exec(stmt):
                row.state = ReminderState.CANCELLED
                row.done_at = now
                self.session.add(row)
                cancelled.append(row)
        await self.session.flush()
        return cancelled

    async def due_reminders(
        self, *, now: datetime, limit: int = 500, skip_locked: bool = False
    ) -> list[ReadingReminder]:
        stmt = (
            select(ReadingReminder)
            .where(
                ReadingReminder.state == ReminderState.PLANNED,
                col(ReadingReminder.fire_at) <= now,
            )
            .order_by(col(ReadingReminder.fire_at), col(ReadingReminder.id))
            .limit(limit)
        )
        if skip_locked:
            stmt = stmt.with_for_update(skip_locked=True)
        return list(await self.session.exec(stmt))

    async def next_fire_at(self) -> datetime | None:
        stmt = select(func.min(ReadingReminder.fire_at)).where(
            ReadingReminder.state == ReminderState.PLANNED
        )
        value = (await self.session.exec(stmt)).one()
        return None if value is None else _aware(value)

    async def finish_reminders(
        self, ids: Sequence[int], *, state: ReminderState, now: datetime
    ) -> int:
        """Move planned rows to their final state; returns how many this pass moved (a row
        another pass finished first is not counted)."""
        moved = 0
        for chunk in _chunks(list(ids), 500):
            result = await self.session.exec(
                update(ReadingReminder)
                .where(
                    col(ReadingReminder.id).in_(chunk),
                    col(ReadingReminder.state) == ReminderState.PLANNED,
                )
                .values(state=state, done_at=now)
                # no in-session synchronisation: it evaluates every loaded object
                .execution_options(synchronize_session=False)
            )
            moved += int(result.rowcount or 0)
        return moved

    async def reminders(
        self,
        *,
        session_id: int | None = None,
        member_id: int | None = None,
        states: Sequence[str] | None = None,
    ) -> list[ReadingReminder]:
        stmt = select(ReadingReminder)
        if session_id is not None:
            stmt = stmt.where(ReadingReminder.session_id == session_id)
        if member_id is not None:
            stmt = stmt.where(ReadingReminder.member_id == member_id)
        if states:
            stmt = stmt.where(col(ReadingReminder.state).in_(list(states)))
        stmt = stmt.order_by(col(ReadingReminder.fire_at), col(ReadingReminder.id))
        return list(await self.session.exec(stmt))

    async def reminded_members(
        self, session_id: int, *, now: datetime, occurrence_key: str | None = None
    ) -> dict[int, datetime]:
        """Members with a reminder (still pending, or already sent) for an occurrence of this
        session that has not started: whom a change or cancellation concerns, with the
        earliest such occurrence's start."""
        stmt = select(ReadingReminder.member_id, ReadingReminder.deadline).where(
            ReadingReminder.session_id == session_id,
            col(ReadingReminder.deadline) > now,
            col(ReadingReminder.state).in_(
                [ReminderState.PLANNED, ReminderState.SENT, ReminderState.LATE]
            ),
        )
        if occurrence_key is not None:
            stmt = stmt.where(ReadingReminder.occurrence_key == occurrence_key)
        found: dict[int, datetime] = {}
        for member_id, deadline in await self.session.exec(stmt):
            deadline = _aware(deadline)
            found[member_id] = min(found.get(member_id, deadline), deadline)
        return found

    async def reminder_counts(self, group_id: int | None = None) -> dict[str, int]:
        stmt = select(ReadingReminder.state, func.count()).group_by(ReadingReminder.state)
        if group_id is not None:
            stmt = stmt.where(ReadingReminder.group_id == group_id)
        return {state: int(n) for state, n in await self.session.exec(stmt)}


def _row(p: PlannedReminder) -> dict[str, Any]:
    return {
        "key": p.key,
        "kind": p.kind,
        "group_id": p.group_id,
        "member_id": p.member_id,
        "session_id": p.session_id,
        "occurrence_key": p.occurrence_key,
        "plan_item_id": p.plan_item_id,
        "offset": p.offset,
        "fire_at": p.fire_at,
        "deadline": p.deadline,
        "state": ReminderState.PLANNED.value,
    }


def _chunks(items: Sequence[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _aware(value: datetime) -> datetime:
    # SQLite aggregates (min) lose the column type and return naive UTC
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
