"""A member's year as facts: counts by item key, and for each count the things it counts
(the meeting, the proposal, the secretariat's note) so that the export can show them.

Meetings: a 签到 is attendance; approved leave (必须参加) or noted leave (报名参加) is 请假;
otherwise a 必须参加 meeting, or one the member signed up for, is an unexcused absence once
its check-in has closed (a meeting still going on counts nothing yet). A plenary counts in
half-days too (morning and afternoon, from its start to its end).
Proposals: as 第一提案人 or as a confirmed co-signer, never both for one proposal; drafts
and withdrawn ones count nothing; 优秀提案 is the secretariat's mark on the proposal.
Reports: each adoption level counts once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import catalogue
from bot.notices.rules import CheckInRules
from storage.record import MeetingRow, ProposalRow, ReadingRow, RecordRepo, ReportRow

__all__ = ["Fact", "MemberFacts", "gather", "meeting_facts", "plenary_halfdays", "year_bounds"]

# Meeting kinds (bot.notices.rules.MeetingKind values) → the record's item prefix.
_KIND_PREFIX = {
    "plenary": "plenary",
    "standing": "standing",
    "chair": "meeting",
    "bimonthly": "meeting",
    "thematic": "meeting",
    "inspection": "activity",
    "other": "activity",
}
_EXCUSED = {"approved", "noted"}
_HALF_DAY_MIN = timedelta(hours=1)
_LEVEL_ITEM = {
    "city": "report_adopted_city",
    "province": "report_adopted_province",
    "national": "report_adopted_national",
    "instruction": "report_instruction",
}


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing counted under an item: ``count`` units, described for a clerk."""

    item: str
    count: int
    what: str
    when: datetime | None = None
    manual: bool = False


@dataclass(slots=True)
class MemberFacts:
    facts: list[Fact] = field(default_factory=list)

    def add(self, fact: Fact) -> None:
        self.facts.append(fact)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for fact in self.facts:
            out[fact.item] += fact.count
        return dict(out)

    def of(self, item: str) -> list[Fact]:
        return [f for f in self.facts if f.item == item]


def year_bounds(year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The year in the committee's zone: [1 January 00:00, next 1 January 00:00)."""
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def plenary_halfdays(starts_at: datetime, ends_at: datetime | None, zone: ZoneInfo) -> int:
    """Mornings and afternoons a meeting spans in local time, an hour or more of each
    (at least one)."""
    if ends_at is None or ends_at <= starts_at:
        return 1
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    count = 0
    day = start.date()
    while day <= end.date():
        noon = datetime.combine(day, time(12), tzinfo=zone)
        midnight = datetime.combine(day, time(0), tzinfo=zone)
        for low, high in ((midnight, noon), (noon, midnight + timedelta(days=1))):
            # an hour at least: a morning running ten minutes past noon is no afternoon
            if min(end, high) - max(start, low) >= _HALF_DAY_MIN:
                count += 1
        day += timedelta(days=1)
    return max(count, 1)


def meeting_facts(
    row: MeetingRow, *, now: datetime, zone: ZoneInfo, check_in: CheckInRules
) -> list[Fact]:
    prefix = _KIND_PREFIX.get(row.kind, "activity")
    local = row.starts_at.astimezone(zone)
    what = f"{local:%Y-%m-%d %H:%M} {row.title}"
    if row.checked_in_at is not None:
        facts = [Fact(f"{prefix}_attended", 1, what, row.starts_at)]
        if prefix == "plenary":
            halves = plenary_halfdays(row.starts_at, row.ends_at, zone)
            facts.append(Fact("plenary_halfdays", halves, what, row.starts_at))
        return facts
    if row.answer == "leave" and row.leave_decision in _EXCUSED:
        return [Fact(f"{prefix}_leave", 1, what, row.starts_at)]
    closes = row.starts_at + timedelta(minutes=check_in.closes_minutes_after)
    if row.ends_at is not None:
        closes = max(closes, row.ends_at)
    if now <= closes:
        return []  # not over yet: the member may still check in
    if row.mode == "required" or row.answer == "attend":
        return [Fact(f"{prefix}_absent", 1, what, row.starts_at)]
    return []  # 报名参加 and not signed up: nothing to count


def proposal_facts(row: ProposalRow) -> list[Fact]:
    role = "lead" if row.lead else "cosigned"
    what = f"{row.number or '#' + str(row.proposal_id)} {row.title}"
    facts = [Fact(f"proposal_{role}_submitted", 1, what)]
    if row.registered:
        facts.append(Fact(f"proposal_{role}_registered", 1, what))
    if row.is_key:
        facts.append(Fact(f"proposal_{role}_key", 1, what))
    if row.merged:
        facts.append(Fact(f"proposal_{role}_merged", 1, what))
    if row.excellent:
        facts.append(Fact(f"proposal_{role}_excellent", 1, what))
    return facts


def report_facts(row: ReportRow) -> list[Fact]:
    facts = [Fact("report_submitted", 1, row.title)]
    for level in dict.fromkeys(row.levels):
        if level in _LEVEL_ITEM:
            facts.append(Fact(_LEVEL_ITEM[level], 1, row.title))
    return facts


def reading_fact(row: ReadingRow, zone: ZoneInfo) -> Fact:
    item = "reading_checkins" if row.kind == "checkin" else "reading_notes"
    return Fact(item, 1, f"{row.at.astimezone(zone):%Y-%m-%d} {row.label}", row.at)


async def gather(
    session: AsyncSession,
    year: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    check_in: CheckInRules,
    member_id: int | None = None,
) -> dict[int, MemberFacts]:
    """Facts of the year by member id: one member's, or (``member_id`` None) everyone's
    who has any."""
    repo = RecordRepo(session)
    start, end = year_bounds(year, zone)
    out: dict[int, MemberFacts] = defaultdict(MemberFacts)
    for meeting in await repo.meetings(start=start, end=end, member_id=member_id):
        for fact in meeting_facts(meeting, now=now, zone=zone, check_in=check_in):
            out[meeting.member_id].add(fact)
    for proposal in await repo.proposals(year, member_id):
        for fact in proposal_facts(proposal):
            out[proposal.member_id].add(fact)
    for report in await repo.reports(year, member_id):
        for fact in report_facts(report):
            out[report.member_id].add(fact)
    for reading in await repo.reading(start=start, end=end, member_id=member_id):
        out[reading.member_id].add(reading_fact(reading, zone))
    for entry in await repo.entries(year, member_id):
        note = entry.note or catalogue().s("record.entered_by", who=entry.entered_by)
        out[entry.member_id].add(Fact(entry.item, entry.count, note, entry.entered_at, True))
    return dict(out)
