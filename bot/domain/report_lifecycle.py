"""A public-opinion report's life (domain.md §2): no handling unit answers, it is adopted or not.

```mermaid
stateDiagram-v2
    draft --> submitted: submit
    submitted --> adopted: adopt (市 / 省 / 全国政协, or 批示)
    kept --> adopted: adopt
    adopted --> adopted: adopt at another level
    submitted --> not_adopted: reject
    kept --> not_adopted: reject
    submitted --> kept: keep (留存)
```
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.catalogue import catalogue
from bot.domain.proposal_lifecycle import HistoryEntry, IllegalTransition
from bot.errors import UserError

__all__ = [
    "Adopt",
    "AdoptionLevel",
    "Keep",
    "Reject",
    "ReportEvent",
    "ReportState",
    "ReportStatus",
    "SubmitReport",
    "apply_report",
]


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"
    KEPT = "kept"


class AdoptionLevel(StrEnum):
    CITY = "city"  # 市政协采用
    PROVINCE = "province"  # 省政协采用
    NATIONAL = "national"  # 全国政协采用
    INSTRUCTION = "instruction"  # 领导批示


@dataclass(frozen=True, slots=True)
class ReportState:
    status: ReportStatus = ReportStatus.DRAFT
    submitted_at: datetime | None = None
    levels: tuple[AdoptionLevel, ...] = ()
    decided_at: datetime | None = None
    decision_note: str = ""


@dataclass(frozen=True, slots=True)
class SubmitReport:
    blocking_findings: int = 0
    action = "submit"


@dataclass(frozen=True, slots=True)
class Adopt:
    level: AdoptionLevel
    note: str = ""
    action = "adopt"


@dataclass(frozen=True, slots=True)
class Reject:
    note: str = ""
    action = "reject"


@dataclass(frozen=True, slots=True)
class Keep:
    note: str = ""
    action = "keep"


ReportEvent = SubmitReport | Adopt | Reject | Keep

R = ReportStatus
_FROM: dict[str, frozenset[ReportStatus]] = {
    "submit": frozenset({R.DRAFT}),
    "adopt": frozenset({R.SUBMITTED, R.KEPT, R.ADOPTED}),
    "reject": frozenset({R.SUBMITTED, R.KEPT}),
    "keep": frozenset({R.SUBMITTED}),
}


def apply_report(
    state: ReportState, event: ReportEvent, *, at: datetime, actor_id: int | None = None
) -> tuple[ReportState, HistoryEntry]:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("transition times must be timezone-aware")
    if state.status not in _FROM[event.action]:
        raise IllegalTransition(action=event.action, status=state.status, namespace="reports")
    note = ""
    data: dict[str, str] = {}
    match event:
        case SubmitReport():
            if event.blocking_findings:
                raise UserError("reports.submit_blocked", count=event.blocking_findings)
            new = replace(state, status=R.SUBMITTED, submitted_at=at)
        case Adopt():
            if event.level in state.levels:
                raise UserError(
                    "reports.already_adopted_at",
                    level=catalogue().s(f"reports.level.{event.level.value}"),
                )
            note = event.note.strip()
            data = {"level": event.level.value}
            new = replace(
                state,
                status=R.ADOPTED,
                levels=(*state.levels, event.level),
                decided_at=at,
                decision_note=note or state.decision_note,
            )
        case Reject() | Keep():
            note = event.note.strip()
            status = R.NOT_ADOPTED if isinstance(event, Reject) else R.KEPT
            new = replace(state, status=status, decided_at=at, decision_note=note)
    entry = HistoryEntry(
        at=at,
        action=event.action,
        status_from=state.status.value,
        status_to=new.status.value,
        actor_id=actor_id,
        note=note,
        data=dict(data),
    )
    return new, entry
