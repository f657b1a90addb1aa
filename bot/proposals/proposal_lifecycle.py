"""A proposal's life as a pure state machine (domain.md §1).

```mermaid
stateDiagram-v2
    draft --> submitted: submit
    submitted --> under_review: start_review
    submitted --> withdrawn: withdraw
    under_review --> withdrawn: withdraw
    submitted --> registered: register (立案, number)
    under_review --> registered: register
    submitted --> not_registered: decline (ground, note, maybe converted)
    under_review --> not_registered: decline
    submitted --> merged: merge (并案)
    under_review --> merged: merge
    registered --> merged: merge
    registered --> assigned: assign (主办 + 会办, deadline)
    assigned --> assigned: assign (reassigned)
    assigned --> answered: answer (A/B/C)
    merged --> answered: answer (each proposer still gets one)
    answered --> rated: rate 满意 / 基本满意
    answered --> assigned: rate 不满意 (handled again)
    assigned --> assigned: urge (催办) / extend (延期, a later deadline and a reason)
```

``apply(state, event, at=..., actor_id=...)`` returns the new state and the history entry to
record, or raises ``IllegalTransition``. Key proposals (重点提案) are a flag, not a state.
Nothing here touches storage: ``storage/proposals.py`` maps rows to states and back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from dateutil.relativedelta import relativedelta

from bot.errors import UserError
from bot.proposals.config import GROUNDS, Rules
from bot.proposals.config import rules as default_rules
from bot.proposals.lifecycle import HistoryEntry, IllegalTransition, transition

__all__ = [
    "ANSWERED_STATUSES",
    "Answer",
    "AnswerCategory",
    "Assign",
    "Conversion",
    "Decline",
    "Event",
    "Extend",
    "HistoryEntry",
    "IllegalTransition",
    "Kind",
    "MarkKey",
    "Merge",
    "ProposalState",
    "Rate",
    "Rating",
    "Register",
    "StartReview",
    "Status",
    "Submit",
    "Urge",
    "Withdraw",
    "add_months",
    "apply",
    "is_overdue",
]


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    REGISTERED = "registered"
    NOT_REGISTERED = "not_registered"
    MERGED = "merged"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    RATED = "rated"
    WITHDRAWN = "withdrawn"


ANSWERED_STATUSES = frozenset({Status.ANSWERED, Status.RATED})


class Kind(StrEnum):
    INDIVIDUAL = "individual"
    JOINT = "joint"


class AnswerCategory(StrEnum):
    A = "A"  # 已解决
    B = "B"  # 正在解决或列入计划
    C = "C"  # 留作参考


class Rating(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


class Conversion(StrEnum):
    """Where a declined proposal's text may go instead."""

    REPORT = "report"  # 社情民意信息
    OPINION = "opinion"  # 意见建议


@dataclass(frozen=True, slots=True)
class ProposalState:
    status: Status = Status.DRAFT
    submitted_at: datetime | None = None
    number: str | None = None
    seq: int | None = None
    registered_at: datetime | None = None
    ground: str | None = None
    decline_note: str = ""
    converted_to: Conversion | None = None
    merged_into: int | None = None
    lead_unit: str | None = None
    co_units: tuple[str, ...] = ()
    assigned_at: datetime | None = None
    deadline_at: datetime | None = None
    answer_category: AnswerCategory | None = None
    answer_text: str = ""
    answer_document_name: str | None = None
    answered_at: datetime | None = None
    rating: Rating | None = None
    rating_comment: str = ""
    rated_at: datetime | None = None
    is_key: bool = False
    round: int = 1


# Events ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Submit:
    kind: Kind = Kind.INDIVIDUAL
    confirmed_cosigners: int = 0
    blocking_findings: int = 0
    action = "submit"


@dataclass(frozen=True, slots=True)
class Withdraw:
    note: str = ""
    action = "withdraw"


@dataclass(frozen=True, slots=True)
class StartReview:
    action = "start_review"


@dataclass(frozen=True, slots=True)
class Register:
    number: str
    seq: int
    action = "register"


@dataclass(frozen=True, slots=True)
class Decline:
    ground: str
    note: str = ""
    convert_to: Conversion | None = None
    action = "decline"


@dataclass(frozen=True, slots=True)
class Merge:
    into: int
    into_label: str = ""
    action = "merge"


@dataclass(frozen=True, slots=True)
class Assign:
    lead_unit: str
    co_units: tuple[str, ...] = ()
    deadline_at: datetime | None = None
    action = "assign"


@dataclass(frozen=True, slots=True)
class Answer:
    category: AnswerCategory
    text: str = ""
    document_name: str | None = None
    action = "answer"


@dataclass(frozen=True, slots=True)
class Rate:
    rating: Rating
    comment: str = ""
    action = "rate"


@dataclass(frozen=True, slots=True)
class MarkKey:
    flag: bool = True
    action = "mark_key"


@dataclass(frozen=True, slots=True)
class Urge:
    """催办: the secretariat presses the units; the state stays, the history records it."""

    action = "urge"


@dataclass(frozen=True, slots=True)
class Extend:
    """延期: a later deadline, with the reason the units gave."""

    deadline_at: datetime
    reason: str
    action = "extend"


Event = (
    Submit
    | Withdraw
    | StartReview
    | Register
    | Decline
    | Merge
    | Assign
    | Answer
    | Rate
    | MarkKey
    | Urge
    | Extend
)

S = Status
_FROM: dict[str, frozenset[Status]] = {
    "submit": frozenset({S.DRAFT}),
    "withdraw": frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    "start_review": frozenset({S.SUBMITTED}),
    "register": frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    "decline": frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    "merge": frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.REGISTERED}),
    "assign": frozenset({S.REGISTERED, S.ASSIGNED}),
    "answer": frozenset({S.ASSIGNED, S.MERGED}),
    "rate": frozenset({S.ANSWERED}),
    "mark_key": frozenset({S.REGISTERED, S.ASSIGNED, S.ANSWERED, S.RATED}),
    "urge": frozenset({S.ASSIGNED}),
    "extend": frozenset({S.ASSIGNED}),
}


def add_months(at: datetime, months: int) -> datetime:
    """Calendar months (31 Jan + 1 month = 28/29 Feb), as deadlines are written."""
    return at + relativedelta(months=months)


def is_overdue(state: ProposalState, now: datetime) -> bool:
    return (
        state.status == Status.ASSIGNED
        and state.deadline_at is not None
        and state.deadline_at < now
    )


def apply(
    state: ProposalState,
    event: Event,
    *,
    at: datetime,
    actor_id: int | None = None,
    rules: Rules | None = None,
) -> tuple[ProposalState, HistoryEntry]:
    """The state after ``event`` and the history entry recording it."""
    r = rules or default_rules()
    return transition(
        state,
        event,
        allowed=_FROM,
        change=lambda s, e: _next(s, e, at, r),
        at=at,
        actor_id=actor_id,
        namespace="proposals",
    )


def _next(
    s: ProposalState, e: Event, at: datetime, r: Rules
) -> tuple[ProposalState, str, dict[str, Any]]:
    match e:
        case Submit():
            if e.blocking_findings:
                raise UserError("proposals.submit_blocked", count=e.blocking_findings)
            if e.kind == Kind.JOINT and e.confirmed_cosigners < 1:
                raise UserError("proposals.joint_needs_cosigner")
            return replace(s, status=S.SUBMITTED, submitted_at=at), "", {"kind": e.kind.value}
        case Withdraw():
            return replace(s, status=S.WITHDRAWN), e.note, {}
        case StartReview():
            return replace(s, status=S.UNDER_REVIEW), "", {}
        case Register():
            if not e.number.strip() or e.seq < 1:
                raise UserError("proposals.number_missing")
            new = replace(s, status=S.REGISTERED, number=e.number, seq=e.seq, registered_at=at)
            return new, "", {"number": e.number}
        case Decline():
            if e.ground not in GROUNDS:
                raise UserError("proposals.unknown_ground", ground=e.ground)
            new = replace(
                s,
                status=S.NOT_REGISTERED,
                ground=e.ground,
                decline_note=e.note.strip(),
                converted_to=e.convert_to,
            )
            data: dict[str, Any] = {"ground": e.ground}
            if e.convert_to:
                data["converted_to"] = e.convert_to.value
            return new, e.note.strip(), data
        case Merge():
            return (
                replace(s, status=S.MERGED, merged_into=e.into),
                "",
                {"into": e.into, "into_label": e.into_label},
            )
        case Assign():
            lead = e.lead_unit.strip()
            if not lead:
                raise UserError("proposals.lead_unit_missing")
            co = tuple(
                dict.fromkeys(u.strip() for u in e.co_units if u.strip() and u.strip() != lead)
            )
            deadline = e.deadline_at or add_months(at, r.proposal.handling_months)
            if deadline <= at:
                raise UserError("proposals.deadline_past")
            new = replace(
                s,
                status=S.ASSIGNED,
                lead_unit=lead,
                co_units=co,
                assigned_at=at,
                deadline_at=deadline,
            )
            return (
                new,
                "",
                {"lead_unit": lead, "co_units": list(co), "deadline_at": deadline.isoformat()},
            )
        case Answer():
            if not e.text.strip() and not e.document_name:
                raise UserError("proposals.answer_empty")
            new = replace(
                s,
                status=S.ANSWERED,
                answer_category=e.category,
                answer_text=e.text.strip(),
                answer_document_name=e.document_name,
                answered_at=at,
                rating=None,
                rating_comment="",
                rated_at=None,
            )
            return new, "", {"category": e.category.value, "round": s.round}
        case Rate():
            comment = e.comment.strip()
            data = {"rating": e.rating.value, "round": s.round}
            if e.rating == Rating.DISSATISFIED:
                # 不满意: the unit handles it again and answers again within the rehandle time.
                new = replace(
                    s,
                    status=S.ASSIGNED,
                    rating=e.rating,
                    rating_comment=comment,
                    rated_at=at,
                    assigned_at=at,
                    deadline_at=add_months(at, r.proposal.rehandle_months),
                    round=s.round + 1,
                )
                return new, comment, data
            new = replace(s, status=S.RATED, rating=e.rating, rating_comment=comment, rated_at=at)
            return new, comment, data
        case MarkKey():
            return replace(s, is_key=e.flag), "", {"flag": e.flag}
        case Urge():
            due = s.deadline_at.isoformat() if s.deadline_at else ""
            return s, "", {"deadline_at": due}
        case Extend():
            reason = e.reason.strip()
            if not reason:
                raise UserError("proposals.extend_reason_missing")
            if s.deadline_at is not None and e.deadline_at <= s.deadline_at:
                raise UserError(
                    "proposals.extend_not_later", deadline=s.deadline_at.date().isoformat()
                )
            if e.deadline_at <= at:
                raise UserError("proposals.extend_past")
            old = s.deadline_at.isoformat() if s.deadline_at else ""
            return (
                replace(s, deadline_at=e.deadline_at),
                reason,
                {"deadline_from": old, "deadline_at": e.deadline_at.isoformat()},
            )
    raise TypeError(f"not a proposal event: {e!r}")  # pragma: no cover
