"""Repository for meeting notices: drafts, audiences, recipients, answers, attendance.

Rules live in ``bot.notices.rules``; this module loads rows, asks the rules, and stores
the outcome, so a refusal (after the deadline, no reason) never touches the database.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.roles import Role, parse_roles
from bot.errors import UserError
from bot.notices.draft import NoticeDraft
from bot.notices.rules import (
    Answer,
    AnswerState,
    AttendanceMode,
    Audience,
    AudienceKind,
    CheckInRules,
    LeaveDecision,
    NoticeFacts,
    NoticeStatus,
    RsvpOutcome,
    check_in,
    counts_by_answer,
    decide_leave,
    rsvp,
)
from storage.columns import utcnow
from storage.reading import ReadingRepo
from storage.tables import Member, Notice, NoticeRecipient, OutboxMessage

__all__ = [
    "AttendanceCounts",
    "AttendanceRow",
    "MemberAttendance",
    "NoticesRepo",
    "answer_state",
    "notice_facts",
    "notice_from_draft",
    "notice_outbox_ref",
]


def notice_outbox_ref(notice_id: int) -> str:
    """The outbox ``ref`` of a notice's first sending (``bot.notices.broadcast.wave_ref``)."""
    return f"notice:{notice_id}"


# The outbox's outcome of a member's notice row, as a recipient's delivery state.
_OUTBOX_OUTCOME = {"sent": "sent", "dead": "unreachable"}


@dataclass(frozen=True, slots=True)
class AttendanceCounts:
    recipients: int
    answers: dict[str, int]  # see bot.notices.rules.counts_by_answer
    delivery: dict[str, int]  # pending / sent / unreachable


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """One line of the attendance export."""

    member_id: int
    name: str
    sector: str
    committee: str
    answer: str | None
    leave_reason: str | None
    leave_decision: str | None
    answered_at: datetime | None
    checked_in_at: datetime | None
    delivery_state: str
    delivery_error: str | None


@dataclass(frozen=True, slots=True)
class MemberAttendance:
    """A member's meetings for the record (履职档案): past, live notices only."""

    meetings: int
    checked_in: int
    leave_approved: int
    absent: int  # neither checked in nor on approved/noted leave


def notice_from_draft(draft: NoticeDraft, **stored: Any) -> Notice:
    """The notice row a draft describes; ``stored`` adds what only a stored notice has
    (sender, check-in code). Unsaved, it is what the preview shows."""
    return Notice(
        kind=draft.kind.value,
        title=draft.title,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        place=draft.place,
        agenda=draft.agenda,
        mode=draft.mode.value,
        reply_deadline=draft.reply_deadline,
        attachment_name=draft.attachment_name,
        attachment=draft.attachment,
        audience=draft.audience.to_json(),
        **stored,
    )


def notice_facts(notice: Notice) -> NoticeFacts:
    assert notice.id is not None
    return NoticeFacts(
        id=notice.id,
        status=NoticeStatus(notice.status),
        mode=AttendanceMode(notice.mode),
        starts_at=notice.starts_at,
        ends_at=notice.ends_at,
        reply_deadline=notice.reply_deadline,
        check_in_code=notice.check_in_code,
    )


def answer_state(row: NoticeRecipient | None) -> AnswerState:
    if row is None:
        return AnswerState()
    return AnswerState(
        answer=Answer(row.answer) if row.answer else None,
        leave_reason=row.leave_reason,
        leave_decision=LeaveDecision(row.leave_decision) if row.leave_decision else None,
        checked_in_at=row.checked_in_at,
    )


class NoticesRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # notices -----------------------------------------------------------------------------
    async def create(
        self,
        draft: NoticeDraft,
        *,
        created_by: str,
        created_by_member_id: int | None = None,
        check_in_code: str | None = None,
    ) -> Notice:
        notice = notice_from_draft(
            draft,
            created_by=created_by[:64],
            created_by_member_id=created_by_member_id,
            check_in_code=check_in_code,
        )
        self.session.add(notice)
        await self.session.flush()
        return notice

    async def get(self, notice_id: int) -> Notice | None:
        return await self.session.get(Notice, notice_id)

    async def require(self, notice_id: int) -> Notice:
        notice = await self.get(notice_id)
        if notice is None:
            raise UserError("notices.not_found")
        return notice

    async def list(
        self,
        *,
        statuses: Sequence[NoticeStatus] | None = None,
        starting_after: datetime | None = None,
        limit: int = 50,
    ) -> list[Notice]:
        stmt = select(Notice)
        if statuses:
            stmt = stmt.where(col(Notice.status).in_([s.value for s in statuses]))
        if starting_after is not None:
            stmt = stmt.where(col(Notice.starts_at) >= starting_after)
        stmt = stmt.order_by(col(Notice.starts_at).desc(), col(Notice.id).desc()).limit(limit)
        return list(await self.session.exec(stmt))

    async def mark_sent(self, notice: Notice, *, at: datetime | None = None) -> None:
        if notice.status == NoticeStatus.DRAFT:
            notice.status = NoticeStatus.SENT.value
            notice.sent_at = at or utcnow()
            self.session.add(notice)
            await self.session.flush()

    async def correct(self, notice: Notice, *, note: str, **changes: Any) -> int:
        """Applies changes to a live notice; returns the new revision (each one is sent once)."""
        if not NoticeStatus(notice.status).is_live:
            raise UserError("notices.not_sent")
        allowed = {"title", "starts_at", "ends_at", "place", "agenda", "reply_deadline"}
        for name, value in changes.items():
            if name not in allowed:
                raise ValueError(f"cannot correct {name}")
            setattr(notice, name, value)
        notice.revision += 1
        notice.correction_note = note[:1000]
        notice.status = NoticeStatus.CORRECTED.value
        notice.corrected_at = utcnow()
        self.session.add(notice)
        await self.session.flush()
        return notice.revision

    async def cancel(self, notice: Notice, *, reason: str) -> None:
        if notice.status == NoticeStatus.CANCELLED:
            raise UserError("notices.cancelled_already")
        notice.status = NoticeStatus.CANCELLED.value
        notice.cancel_reason = reason[:1000]
        notice.cancelled_at = utcnow()
        self.session.add(notice)
        await self.session.flush()

    # audience ----------------------------------------------------------------------------
    async def resolve_audience(self, audience: Audience) -> builtins.list[int]:
        """Active members the spec names, in roster order; refuses names nobody has."""
        if audience.kind == AudienceKind.READING_GROUP:
            ids = await self._reading_group(audience.values[0])
        elif audience.kind == AudienceKind.MEMBERS:
            ids = await self._named(audience.values)
        else:
            ids = await self._by_roster(audience)
        if not ids:
            raise UserError("notices.audience_nobody")
        return ids

    async def _by_roster(self, audience: Audience) -> builtins.list[int]:
        stmt = select(Member.id, Member.roles, Member.sector, Member.committee).where(
            Member.status == "active"
        )
        column = {AudienceKind.SECTORS: Member.sector, AudienceKind.COMMITTEES: Member.committee}
        if audience.kind in column:
            stmt = stmt.where(col(column[audience.kind]).in_(list(audience.values)))
        rows = list(await self.session.exec(stmt.order_by(col(Member.id))))
        if audience.kind in column:
            index = 2 if audience.kind == AudienceKind.SECTORS else 3
            missing = [v for v in audience.values if v not in {r[index] for r in rows}]
            if missing:
                key = (
                    "notices.audience_unknown_sector"
                    if audience.kind == AudienceKind.SECTORS
                    else "notices.audience_unknown_committee"
                )
                raise UserError(key, values="、".join(missing))
        wanted = Role.STANDING if audience.kind == AudienceKind.STANDING else Role.MEMBER
        # Secretariat staff are on the roster too, but a notice goes to 委员 only.
        # (A stored member always has an id; the check narrows the column's optional type.)
        return [r[0] for r in rows if r[0] is not None and wanted in parse_roles(r[1])]

    async def _named(self, names: Sequence[str]) -> builtins.list[int]:
        ids: list[int] = []
        missing: list[str] = []
        for name in names:
            if name.startswith("#") and name[1:].isdigit():
                member = await self.session.get(Member, int(name[1:]))
                found = [member] if member is not None and member.status == "active" else []
            else:
                stmt = select(Member).where(Member.name == name, Member.status == "active")
                found = list(await self.session.exec(stmt.order_by(col(Member.id))))
            if not found:
                missing.append(name)
            elif len(found) > 1:
                raise UserError(
                    "notices.audience_ambiguous_member",
                    name=name,
                    ids="、".join(f"#{m.id}" for m in found),
                )
            elif found[0].id not in ids:
                ids.append(int(found[0].id or 0))
        if missing:
            raise UserError("notices.audience_unknown_member", values="、".join(missing))
        return ids

    async def _reading_group(self, name: str) -> builtins.list[int]:
        """The group's current members (muted ones too: muting silences reading reminders,
        not meeting notices)."""
        reading = ReadingRepo(self.session)
        group = await reading.group_by_name(name)
        if group is None or group.id is None or group.archived_at is not None:
            raise UserError("notices.audience_unknown_group", values=name)
        ids = [m.member_id for m in await reading.memberships(group.id)]
        active = select(Member.id).where(col(Member.id).in_(ids), Member.status == "active")
        keep = {i for i in await self.session.exec(active) if i is not None}
        return [i for i in ids if i in keep]

    # recipients --------------------------------------------------------------------------
    async def add_recipients(self, notice_id: int, member_ids: Sequence[int]) -> int:
        """Adds the members not yet on the notice (safe to repeat); returns how many were new."""
        existing = set(
            await self.session.exec(
                select(NoticeRecipient.member_id).where(NoticeRecipient.notice_id == notice_id)
            )
        )
        new = [m for m in dict.fromkeys(member_ids) if m not in existing]
        for start in range(0, len(new), 500):
            await self.session.exec(
                insert(NoticeRecipient),
                params=[{"notice_id": notice_id, "member_id": m} for m in new[start : start + 500]],
            )
        return len(new)

    async def recipient(self, notice_id: int, member_id: int) -> NoticeRecipient | None:
        stmt = select(NoticeRecipient).where(
            NoticeRecipient.notice_id == notice_id, NoticeRecipient.member_id == member_id
        )
        return (await self.session.exec(stmt)).first()

    async def _require_recipient(self, notice_id: int, member_id: int) -> NoticeRecipient:
        row = await self.recipient(notice_id, member_id)
        if row is None:
            raise UserError("notices.not_recipient")
        return row

    async def recipient_ids(self, notice_id: int) -> builtins.list[int]:
        stmt = (
            select(NoticeRecipient.member_id)
            .where(NoticeRecipient.notice_id == notice_id)
            .order_by(col(NoticeRecipient.id))
        )
        return [int(i) for i in await self.session.exec(stmt)]

    async def unanswered_ids(self, notice_id: int) -> builtins.list[int]:
        stmt = select(NoticeRecipient.member_id).where(
            NoticeRecipient.notice_id == notice_id, col(NoticeRecipient.answer).is_(None)
        )
        return [int(i) for i in await self.session.exec(stmt.order_by(col(NoticeRecipient.id)))]

    async def attending_ids(self, notice_id: int) -> builtins.list[int]:
        stmt = select(NoticeRecipient.member_id).where(
            NoticeRecipient.notice_id == notice_id, NoticeRecipient.answer == Answer.ATTEND.value
        )
        return [int(i) for i in await self.session.exec(stmt.order_by(col(NoticeRecipient.id)))]

    async def pending_leave(self, notice_id: int) -> builtins.list[NoticeRecipient]:
        stmt = select(NoticeRecipient).where(
            NoticeRecipient.notice_id == notice_id,
            NoticeRecipient.leave_decision == LeaveDecision.PENDING.value,
        )
        return list(await self.session.exec(stmt.order_by(col(NoticeRecipient.answered_at))))

    async def set_delivery(
        self, notice_id: int, member_id: int, *, state: str, error: str | None = None
    ) -> None:
        row = await self.recipient(notice_id, member_id)
        if row is None:
            return
        row.delivery_state = state
        row.delivery_error = error[:255] if error else None
        if state == "sent":
            row.delivered_at = utcnow()
        self.session.add(row)
        await self.session.flush()

    # answers -----------------------------------------------------------------------------
    async def answer(
        self,
        notice: Notice,
        member_id: int,
        answer: Answer,
        *,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> RsvpOutcome:
        now = now or utcnow()
        row = await self._require_recipient(int(notice.id or 0), member_id)
        outcome = rsvp(notice_facts(notice), answer_state(row), answer, reason=reason, now=now)
        if outcome.changed:
            row.answer = outcome.answer.value
            row.leave_reason = outcome.leave_reason
            row.answered_at = now
            if row.leave_decision != (outcome.leave_decision and outcome.leave_decision.value):
                row.leave_decided_by = None
                row.leave_decided_at = None
            row.leave_decision = outcome.leave_decision.value if outcome.leave_decision else None
            self.session.add(row)
            await self.session.flush()
        return outcome

    async def decide_leave(
        self, notice: Notice, member_id: int, *, approve: bool, by: str
    ) -> LeaveDecision:
        row = await self._require_recipient(int(notice.id or 0), member_id)
        decision = decide_leave(notice_facts(notice), answer_state(row), approve=approve)
        row.leave_decision = decision.value
        row.leave_decided_by = by[:64]
        row.leave_decided_at = utcnow()
        self.session.add(row)
        await self.session.flush()
        return decision

    async def check_in(
        self,
        notice: Notice,
        member_id: int,
        *,
        rules: CheckInRules,
        code: str | None = None,
        via: str = "button",
        now: datetime | None = None,
    ) -> bool:
        """True for a new check-in, False if the member was already checked in."""
        now = now or utcnow()
        row = await self._require_recipient(int(notice.id or 0), member_id)
        new = check_in(rules, notice_facts(notice), answer_state(row), now=now, code=code)
        if new:
            row.checked_in_at = now
            row.checked_in_via = via
            self.session.add(row)
            await self.session.flush()
        return new

    # attendance --------------------------------------------------------------------------
    async def delivery_outcomes(self, notice_id: int) -> dict[int, tuple[str, str | None]]:
        """``member → (delivery state, error)`` for every recipient whose notice row the
        outbox has finished with. The outbox is the truth whoever sent the notice (chat or
        CLI): the recipients' ``delivery_state`` is only refreshed by ``sync_delivery``."""
        stmt = select(OutboxMessage.member_id, OutboxMessage.state, OutboxMessage.last_error).where(
            OutboxMessage.ref == notice_outbox_ref(notice_id),
            col(OutboxMessage.state).in_(list(_OUTBOX_OUTCOME)),
        )
        return {
            int(m): (_OUTBOX_OUTCOME[st], None if st == "sent" else (err or "")[:255])
            for m, st, err in await self.session.exec(stmt)
            if m is not None
        }

    @staticmethod
    def _delivery(
        row: NoticeRecipient, outcomes: dict[int, tuple[str, str | None]]
    ) -> tuple[str, str | None]:
        """The outbox's outcome, else what was known when the notice was queued (pending,
        or unreachable: never verified, blocked)."""
        return outcomes.get(row.member_id, (row.delivery_state, row.delivery_error))

    async def counts(self, notice_id: int) -> AttendanceCounts:
        stmt = select(NoticeRecipient).where(NoticeRecipient.notice_id == notice_id)
        rows = list(await self.session.exec(stmt))
        outcomes = await self.delivery_outcomes(notice_id)
        delivery: dict[str, int] = {}
        for row in rows:
            state, _ = self._delivery(row, outcomes)
            delivery[state] = delivery.get(state, 0) + 1
        return AttendanceCounts(
            recipients=len(rows),
            answers=counts_by_answer(answer_state(r) for r in rows),
            delivery=delivery,
        )

    async def export_rows(self, notice_id: int) -> builtins.list[AttendanceRow]:
        stmt = (
            select(NoticeRecipient, Member)
            .join(Member, col(Member.id) == NoticeRecipient.member_id)
            .where(NoticeRecipient.notice_id == notice_id)
            .order_by(col(Member.sector), col(Member.name), col(Member.id))
        )
        outcomes = await self.delivery_outcomes(notice_id)
        return [
            AttendanceRow(
                member_id=int(m.id or 0),
                name=m.name,
                sector=m.sector,
                committee=m.committee,
                answer=r.answer,
                leave_reason=r.leave_reason,
                leave_decision=r.leave_decision,
                answered_at=r.answered_at,
                checked_in_at=r.checked_in_at,
                delivery_state=state,
                delivery_error=error,
            )
            for r, m in await self.session.exec(stmt)
            for state, error in (self._delivery(r, outcomes),)
        ]

    async def upcoming_for_member(
        self, member_id: int, *, now: datetime | None = None
    ) -> builtins.list[tuple[Notice, NoticeRecipient]]:
        """Live notices of this member whose meeting has not started yet, soonest first."""
        stmt = (
            select(Notice, NoticeRecipient)
            .join(NoticeRecipient, col(NoticeRecipient.notice_id) == Notice.id)
            .where(
                NoticeRecipient.member_id == member_id,
                col(Notice.status).in_([NoticeStatus.SENT.value, NoticeStatus.CORRECTED.value]),
                col(Notice.starts_at) >= (now or utcnow()),
            )
            .order_by(col(Notice.starts_at))
        )
        return [(n, r) for n, r in await self.session.exec(stmt)]

    async def member_attendance(
        self, member_id: int, *, now: datetime | None = None, since: datetime | None = None
    ) -> MemberAttendance:
        """Meetings held before ``now`` (and from ``since``, e.g. the start of the year)."""
        stmt = (
            select(NoticeRecipient, Notice.mode)
            .join(Notice, col(Notice.id) == NoticeRecipient.notice_id)
            .where(
                NoticeRecipient.member_id == member_id,
                col(Notice.status).in_([NoticeStatus.SENT.value, NoticeStatus.CORRECTED.value]),
                col(Notice.starts_at) < (now or utcnow()),
            )
        )
        if since is not None:
            stmt = stmt.where(col(Notice.starts_at) >= since)
        rows = list(await self.session.exec(stmt))
        excused = {LeaveDecision.APPROVED.value, LeaveDecision.NOTED.value}
        checked = on_leave = absent = 0
        for row, mode in rows:
            if row.checked_in_at is not None:
                checked += 1
            elif row.leave_decision in excused:
                on_leave += 1
            # 报名参加: only someone who signed up and stayed away is absent.
            elif mode == AttendanceMode.REQUIRED.value or row.answer == Answer.ATTEND.value:
                absent += 1
        return MemberAttendance(
            meetings=len(rows), checked_in=checked, leave_approved=on_leave, absent=absent
        )

    async def stats(self) -> dict[str, int]:
        """Figures for ``committee-bot stats``."""
        by_status = dict(
            (s, int(n))
            for s, n in await self.session.exec(
                select(Notice.status, func.count()).group_by(Notice.status)
            )
        )
        recipients = int(
            (await self.session.exec(select(func.count()).select_from(NoticeRecipient))).one()
        )
        answered = int(
            (
                await self.session.exec(
                    select(func.count())
                    .select_from(NoticeRecipient)
                    .where(col(NoticeRecipient.answer).is_not(None))
                )
            ).one()
        )
        checked = int(
            (
                await self.session.exec(
                    select(func.count())
                    .select_from(NoticeRecipient)
                    .where(col(NoticeRecipient.checked_in_at).is_not(None))
                )
            ).one()
        )
        return {
            "notices": sum(by_status.values()),
            **{f"notices_{k}": v for k, v in sorted(by_status.items())},
            "recipients": recipients,
            "answered": answered,
            "checked_in": checked,
        }
