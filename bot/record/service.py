"""The record of a member, or of every active member, for one year: facts gathered, scored
under the rules in force. Used by /record, `committee-bot record` and the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.roles import Role, parse_roles
from bot.notices.rules import CheckInRules
from bot.notices.service import notice_rules
from bot.record.facts import MemberFacts, gather
from bot.record.rules import PointsRules
from bot.record.scoring import Score, score
from storage.roster import Roster
from storage.tables import Member

__all__ = ["MemberRecord", "member_record", "year_records"]


@dataclass(frozen=True, slots=True)
class MemberRecord:
    member: Member
    facts: MemberFacts
    score: Score


async def member_record(
    session: AsyncSession,
    member: Member,
    year: int,
    *,
    rules: PointsRules,
    now: datetime,
    zone: ZoneInfo,
    check_in: CheckInRules | None = None,
) -> MemberRecord:
    assert member.id is not None
    found = await gather(
        session,
        year,
        now=now,
        zone=zone,
        check_in=check_in or notice_rules().check_in,
        member_id=member.id,
    )
    facts = found.get(member.id, MemberFacts())
    return MemberRecord(member=member, facts=facts, score=score(rules, facts.counts))


async def year_records(
    session: AsyncSession,
    year: int,
    *,
    rules: PointsRules,
    now: datetime,
    zone: ZoneInfo,
    check_in: CheckInRules | None = None,
) -> list[MemberRecord]:
    """Every active member (委员 and 常委, those with nothing too; not secretariat staff who
    are not members), in roster order."""
    found = await gather(
        session, year, now=now, zone=zone, check_in=check_in or notice_rules().check_in
    )
    out = []
    for member in await Roster(session).list():
        if Role.MEMBER not in parse_roles(member.roles):
            continue
        facts = found.get(member.id or 0, MemberFacts())
        out.append(MemberRecord(member=member, facts=facts, score=score(rules, facts.counts)))
    return out
