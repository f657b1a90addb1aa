"""The year's figures a work report quotes, as a pure function over proposal and report rows.

Definitions (stated so the figures can be checked by hand):
- received: every proposal submitted that year (not drafts; withdrawn ones included);
- registered: proposals that got a number (立案), whatever happened next (a registered
  proposal later merged still counts); by kind and by field are over registered ones;
- answered rate (办复率): registered proposals with an answer / registered proposals;
- satisfaction rate: 满意 + 基本满意 over rated proposals (latest rating);
- reports: submitted reports of the year; adopted ones by level (one report may be adopted
  at several levels, so the levels may add up to more than the adopted count);
- 第一提案人 and 联名 are never mixed: proposals are counted by 界别 once, under the lead
  author's 界别 (as frozen at submission); confirmed co-signatures are counted apart, under
  each co-signer's 界别. Per member, proposals led and proposals co-signed are two figures,
  over received proposals other than withdrawn ones (as the duty record counts them);
- excellent (优秀提案): registered proposals the secretariat marked excellent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.catalogue import catalogue

__all__ = [
    "MemberCount",
    "ProposalFacts",
    "ReportFacts",
    "SignerFacts",
    "YearStats",
    "format_stats",
    "year_stats",
]

_TOP_MEMBERS = 5  # members named in the text lines; the web console lists them all


class ProposalFacts(Protocol):
    id: int | None
    author_id: int
    proposer: dict[str, Any]
    excellent: bool
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


class SignerFacts(Protocol):
    member_id: int
    status: str
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class MemberCount:
    """One member's proposals of the year: as 第一提案人 and as confirmed co-signer."""

    member_id: int
    name: str
    sector: str
    lead: int
    cosigned: int


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
    excellent: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)  # registered, lead author's 界别
    cosigned_by_sector: dict[str, int] = field(default_factory=dict)  # on registered ones
    by_member: tuple[MemberCount, ...] = ()

    @property
    def lead_authors(self) -> int:
        return sum(m.lead > 0 for m in self.by_member)

    @property
    def cosigners(self) -> int:
        return sum(m.cosigned > 0 for m in self.by_member)

    @property
    def cosignatures(self) -> int:
        return sum(m.cosigned for m in self.by_member)

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


def _sector(details: Mapping[str, Any] | None) -> str:
    return str((details or {}).get("sector") or "—")


def _by_member(
    counted: Sequence[ProposalFacts], cosigners: Mapping[int, Sequence[SignerFacts]]
) -> tuple[MemberCount, ...]:
    """Led and co-signed proposals per member, most led first."""
    lead: Counter[int] = Counter()
    signed: Counter[int] = Counter()
    who: dict[int, Mapping[str, Any]] = {}
    for p in counted:
        lead[p.author_id] += 1
        who.setdefault(p.author_id, p.proposer or {})
        for s in _confirmed(cosigners, p):
            signed[s.member_id] += 1
            who.setdefault(s.member_id, s.details or {})
    rows = [
        MemberCount(
            member_id=mid,
            name=str(who[mid].get("name") or f"#{mid}"),
            sector=_sector(who[mid]),
            lead=lead[mid],
            cosigned=signed[mid],
        )
        for mid in who
    ]
    rows.sort(key=lambda m: (-m.lead, -m.cosigned, m.name, m.member_id))
    return tuple(rows)


def _confirmed(
    cosigners: Mapping[int, Sequence[SignerFacts]], p: ProposalFacts
) -> list[SignerFacts]:
    return [s for s in cosigners.get(p.id or 0, ()) if s.status == "confirmed"]


def year_stats(
    proposals: Iterable[ProposalFacts],
    reports: Iterable[ReportFacts],
    *,
    year: int,
    now: datetime,
    fields: Sequence[str] = (),
    cosigners: Mapping[int, Sequence[SignerFacts]] | None = None,
) -> YearStats:
    """The year's figures; ``cosigners`` maps a proposal id to its co-signer rows (any
    status: only confirmed ones count)."""
    signers = cosigners or {}
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
        excellent=sum(p.excellent for p in registered),
        by_sector=_ordered(Counter(_sector(p.proposer) for p in registered), ()),
        cosigned_by_sector=_ordered(
            Counter(_sector(s.details) for p in registered for s in _confirmed(signers, p)), ()
        ),
        by_member=_by_member([p for p in received if p.status != "withdrawn"], signers),
    )


def _top_members(stats: YearStats) -> str:
    cat = catalogue()
    leading = [m for m in stats.by_member if m.lead][:_TOP_MEMBERS]
    if not leading:
        return cat.s("proposals.stats.none")
    return "，".join(
        cat.s("proposal_roles.stats.top_part", name=m.name, lead=m.lead, cosigned=m.cosigned)
        for m in leading
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
        cat.s("proposal_roles.stats.excellent", count=stats.excellent),
        cat.s("proposals.stats.by_kind", parts=parts(stats.by_kind, "proposals.kind.")),
        cat.s("proposals.stats.by_field", parts=parts(stats.by_field, None)),
        cat.s("proposal_roles.stats.by_sector", parts=parts(stats.by_sector, None)),
        cat.s(
            "proposal_roles.stats.cosigned_by_sector",
            parts=parts(stats.cosigned_by_sector, None),
        ),
        cat.s(
            "proposal_roles.stats.members",
            lead=stats.lead_authors,
            cosigners=stats.cosigners,
            cosignatures=stats.cosignatures,
        ),
        cat.s("proposal_roles.stats.top", parts=_top_members(stats)),
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
