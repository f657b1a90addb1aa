"""The year's figures a work report quotes, as a pure function over proposal and report rows.

Definitions (stated so the figures can be checked by hand):
- received: every proposal submitted that year (not drafts; withdrawn ones included);
- registered: proposals that got a number (立案), whatever happened next (a registered
  proposal later merged still counts); by kind and by field are over registered ones;
- answered rate (办复率): registered proposals with an answer / registered proposals;
- satisfaction rate: 满意 + 基本满意 over rated proposals (latest rating);
- reports: submitted reports of the year; adopted ones by level (one report may be adopted
  at several levels, so the levels may add up to more than the adopted count).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.catalogue import catalogue

__all__ = ["ProposalFacts", "ReportFacts", "YearStats", "format_stats", "year_stats"]


class ProposalFacts(Protocol):
    status: str
    kind: str
    field: str
    number: str | None
    answered_at: datetime | None
    answer_category: str | None
    rating: str | None
    is_key: bool
    deadline_at: datetime | None


class ReportFacts(Protocol):
    status: str
    levels: list[str]


@dataclass(frozen=True, slots=True)
class YearStats:
    year: int
    received: int
    registered: int
    not_registered: int
    merged: int
    key: int
    by_kind: dict[str, int]
    by_field: dict[str, int]
    answered: int
    by_category: dict[str, int]
    ratings: dict[str, int]
    overdue: int
    reports: int
    reports_adopted: int
    reports_by_level: dict[str, int]

    @property
    def registered_rate(self) -> float | None:
        return self.registered / self.received if self.received else None

    @property
    def answered_rate(self) -> float | None:
        return self.answered / self.registered if self.registered else None

    @property
    def satisfaction_rate(self) -> float | None:
        rated = sum(self.ratings.values())
        good = self.ratings.get("satisfied", 0) + self.ratings.get("basically_satisfied", 0)
        return good / rated if rated else None


def _ordered(counter: Counter[str], order: Sequence[str]) -> dict[str, int]:
    """Known names in their configured order, then anything else by count."""
    out = {name: counter[name] for name in order if counter[name]}
    rest = sorted((k for k in counter if k not in out), key=lambda k: (-counter[k], k))
    return out | {k: counter[k] for k in rest}


def year_stats(
    proposals: Iterable[ProposalFacts],
    reports: Iterable[ReportFacts],
    *,
    year: int,
    now: datetime,
    fields: Sequence[str] = (),
) -> YearStats:
    received = [p for p in proposals if p.status != "draft"]
    registered = [p for p in received if p.number]
    answered = [p for p in registered if p.answered_at is not None]
    submitted_reports = [r for r in reports if r.status != "draft"]
    adopted = [r for r in submitted_reports if r.status == "adopted"]
    return YearStats(
        year=year,
        received=len(received),
        registered=len(registered),
        not_registered=sum(p.status == "not_registered" for p in received),
        merged=sum(p.status == "merged" for p in received),
        key=sum(p.is_key for p in registered),
        by_kind=_ordered(Counter(p.kind for p in registered), ("individual", "joint")),
        by_field=_ordered(Counter(p.field or "" for p in registered), fields),
        answered=len(answered),
        by_category=_ordered(
            Counter(p.answer_category for p in answered if p.answer_category), ("A", "B", "C")
        ),
        ratings=_ordered(
            Counter(p.rating for p in registered if p.rating),
            ("satisfied", "basically_satisfied", "dissatisfied"),
        ),
        overdue=sum(
            p.status == "assigned" and p.deadline_at is not None and p.deadline_at < now
            for p in registered
        ),
        reports=len(submitted_reports),
        reports_adopted=len(adopted),
        reports_by_level=_ordered(
            Counter(level for r in adopted for level in r.levels),
            ("city", "province", "national", "instruction"),
        ),
    )


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def format_stats(stats: YearStats) -> list[str]:
    """The figures as lines of Chinese text (CLI output, the secretariat's chat)."""
    cat = catalogue()

    def parts(counts: dict[str, int], namespace: str | None) -> str:
        if not counts:
            return cat.s("proposals.stats.none")
        return "，".join(
            cat.s(
                "proposals.stats.part",
                name=cat.s(f"{namespace}{k}") if namespace else (k or "—"),
                count=v,
            )
            for k, v in counts.items()
        )

    return [
        cat.s("proposals.stats.heading", year=stats.year),
        cat.s("proposals.stats.received", count=stats.received),
        cat.s(
            "proposals.stats.registered", count=stats.registered, rate=_rate(stats.registered_rate)
        ),
        cat.s("proposals.stats.not_registered", count=stats.not_registered),
        cat.s("proposals.stats.merged", count=stats.merged),
        cat.s("proposals.stats.key", count=stats.key),
        cat.s("proposals.stats.by_kind", parts=parts(stats.by_kind, "proposals.kind.")),
        cat.s("proposals.stats.by_field", parts=parts(stats.by_field, None)),
        cat.s("proposals.stats.answered", count=stats.answered, rate=_rate(stats.answered_rate)),
        cat.s(
            "proposals.stats.by_category",
            parts=parts(stats.by_category, "proposals.answer_category."),
        ),
        cat.s(
            "proposals.stats.ratings",
            parts=parts(stats.ratings, "proposals.rating."),
            rate=_rate(stats.satisfaction_rate),
        ),
        cat.s("proposals.stats.overdue", count=stats.overdue),
        cat.s("proposals.stats.reports", count=stats.reports, adopted=stats.reports_adopted),
        cat.s(
            "proposals.stats.reports_by_level",
            parts=parts(stats.reports_by_level, "reports.level."),
        ),
    ]
