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
from typing import Any

from bot.catalogue import catalogue
from bot.errors import UserError
from bot.proposals.lifecycle import HistoryEntry, transition

__all__ = [
    "DECISIONS",
    "Adopt",
    "AdoptionLevel",
    "Keep",
    "Reject",
    "ReportEvent",
    "ReportState",
    "ReportStatus",
    "SubmitReport",
    "apply_report",
    "decision_event",
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
    return transition(
        state,
        event,
        allowed=_FROM,
        change=lambda s, e: _next(s, e, at),
        at=at,
        actor_id=actor_id,
        namespace="reports",
    )


def _next(s: ReportState, e: ReportEvent, at: datetime) -> tuple[ReportState, str, dict[str, Any]]:
    match e:
        case SubmitReport():
            if e.blocking_findings:
                raise UserError("reports.submit_blocked", count=e.blocking_findings)
            return replace(s, status=R.SUBMITTED, submitted_at=at), "", {}
        case Adopt():
            if e.level in s.levels:
                raise UserError(
                    "reports.already_adopted_at",
                    level=catalogue().s(f"reports.level.{e.level.value}"),
                )
            note = e.note.strip()
            new = replace(
                s,
                status=R.ADOPTED,
                levels=(*s.levels, e.level),
                decided_at=at,
                decision_note=note or s.decision_note,
            )
            return new, note, {"level": e.level.value}
        case Reject() | Keep():
            note = e.note.strip()
            status = R.NOT_ADOPTED if isinstance(e, Reject) else R.KEPT
            return replace(s, status=status, decided_at=at, decision_note=note), note, {}
    raise TypeError(f"not a report event: {e!r}")  # pragma: no cover


DECISIONS = (*(f"adopt_{level.value}" for level in AdoptionLevel), "reject", "keep")


def decision_event(decision: str, note: str = "") -> ReportEvent:
    """``adopt_city`` … ``adopt_instruction``, ``reject`` or ``keep`` as a lifecycle event."""
    if decision.startswith("adopt_"):
        return Adopt(level=AdoptionLevel(decision.removeprefix("adopt_")), note=note)
    if decision == "reject":
        return Reject(note=note)
    if decision == "keep":
        return Keep(note=note)
    raise ValueError(decision)
