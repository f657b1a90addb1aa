"""The secretariat's reading-group operations, one transaction each: create a group, add a
plan item, schedule, change or cancel a session (or one date of it). Shared by the web
console's 读书 page and ``committee-bot reading``; each re-plans the group's reminders
and is audited with who did it (a clerk, or ``cli:<user>``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import UserError
from bot.reading.planner import replan_group
from bot.reading.recurrence import Occurrence, ParsedSchedule, parse_phrase, validate_rule
from bot.reading.reminder_plan import parse_offsets
from bot.reading.service import (
    SessionChange,
    cancel_occurrence,
    cancel_session,
    change_session,
    occurrences_on,
    session_time,
)
from storage.audit import Audit
from storage.reading import ReadingRepo
from storage.roster import Roster
from storage.tables import Member, ReadingGroup, ReadingPlanItem, ReadingSession

__all__ = [
    "Actor",
    "add_group",
    "add_plan",
    "add_session",
    "assign",
    "cancel_date",
    "cancel_whole",
    "change",
    "live_session",
]

Actor = Member | str  # a signed-in clerk, or a label such as "cli:alice"


async def _audit(
    session: AsyncSession, action: str, actor: Actor, target: str, **detail: Any
) -> None:
    if isinstance(actor, Member):
        await Audit(session).record(action, actor=actor, target=target, **detail)
    else:
        await Audit(session).record(action, actor_label=actor, target=target, **detail)


def _label(actor: Actor) -> str:
    return actor.name if isinstance(actor, Member) else actor


async def add_group(
    session: AsyncSession,
    *,
    name: str,
    theme: str = "",
    offsets: str = "1d@20:00,1h",
    people: dict[str, int | None] | None = None,
    actor: Actor,
) -> ReadingGroup:
    """``people``: owner, lead, liaison (member ids), who also join the group."""
    people = people or {}
    repo = ReadingRepo(session)
    codes = [o.code for o in parse_offsets(x for x in offsets.split(",") if x.strip())]
    group = await repo.create_group(
        name=name,
        theme=theme,
        owner_member_id=people.get("owner"),
        lead_member_id=people.get("lead"),
        liaison_member_id=people.get("liaison"),
        offsets=codes,
        created_by=_label(actor),
    )
    await session.flush()
    for member_id in {i for i in people.values() if i}:
        await repo.join(group.id or 0, member_id, via="cli" if isinstance(actor, str) else "web")
    await _audit(session, "rd.group_add", actor, f"reading:g{group.id}")
    return group


async def add_plan(
    session: AsyncSession,
    group: ReadingGroup,
    *,
    book: str,
    starts_on: date,
    ends_on: date,
    chapter: str = "",
    author: str = "",
    now: datetime,
    zone: ZoneInfo,
    actor: Actor,
) -> ReadingPlanItem:
    repo = ReadingRepo(session)
    item = await repo.add_plan_item(
        group_id=group.id or 0,
        book=book,
        chapter=chapter,
        author=author,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    await replan_group(repo, group.id or 0, now=now, zone=zone)
    target = f"reading:g{group.id}"
    await _audit(session, "rd.plan_add", actor, target, book=item.book, chapter=item.chapter)
    return item


async def add_session(
    session: AsyncSession,
    group: ReadingGroup,
    *,
    title: str,
    phrase: str,
    rule: str | None = None,
    duration: int = 90,
    place: str = "",
    link: str = "",
    agenda: str = "",
    now: datetime,
    zone: ZoneInfo,
    actor: Actor,
) -> tuple[ReadingSession, ParsedSchedule]:
    """A session from a typed phrase ("每月第二个星期四 19:30"); ``rule`` (RRULE) overrides
    the phrase's repetition. A one-off time already past is refused."""
    if rule:
        today = now.astimezone(zone).date()
        parsed = replace(parse_phrase(phrase, today=today), rule=validate_rule(rule))
        start = parsed.first_start(today=today, zone=zone)
    else:
        parsed, start = session_time(phrase, now=now, zone=zone)
    repo = ReadingRepo(session)
    row = await repo.add_session(
        group_id=group.id or 0,
        title=title,
        starts_at=start,
        duration_minutes=duration,
        rule=parsed.rule,
        rule_text=phrase,
        timezone=zone.key,
        place=place,
        online_link=link,
        agenda=agenda,
        created_by=_label(actor),
    )
    await replan_group(repo, group.id or 0, now=now, zone=zone)
    await _audit(session, "rd.session_add", actor, f"reading:s{row.id}")
    return row, parsed


async def live_session(session: AsyncSession, session_id: int) -> ReadingSession:
    row = await ReadingRepo(session).reading_session(session_id)
    if row is None or row.cancelled_at is not None:
        raise UserError("reading.session_not_found")
    return row


async def cancel_whole(
    session: AsyncSession, row: ReadingSession, *, now: datetime, zone: ZoneInfo, actor: Actor
) -> int:
    """Cancels the session; returns how many members were told."""
    count = await cancel_session(session, row, now=now, zone=zone)
    await _audit(session, "rd.session_cancel", actor, f"reading:s{row.id}")
    return count


async def cancel_date(
    session: AsyncSession,
    row: ReadingSession,
    day: date,
    *,
    now: datetime,
    zone: ZoneInfo,
    actor: Actor,
) -> tuple[Occurrence, int]:
    """Cancels the session's meeting on local date ``day``; returns it and how many were
    told. A date without a coming meeting, or one already cancelled, is refused."""
    found = occurrences_on(row, day, zone=zone)
    if not found or found[0].end <= now:
        raise UserError("reading.cli_no_such_date", date=day.isoformat())
    told = await cancel_occurrence(session, row, found[0], now=now, zone=zone)
    if told is None:
        raise UserError("reading.date_already_cancelled")
    await _audit(session, "rd.date_cancel", actor, f"reading:s{row.id}:{found[0].key}")
    return found[0], told


async def change(
    session: AsyncSession,
    row: ReadingSession,
    *,
    phrase: str | None = None,
    place: str | None = None,
    link: str | None = None,
    agenda: str | None = None,
    now: datetime,
    zone: ZoneInfo,
    actor: Actor,
) -> int:
    """Moves the session or changes its place, link or agenda (None keeps it); returns how
    many members were told. Nothing to change is refused."""
    what = SessionChange(place=place, online_link=link, agenda=agenda)
    if phrase:
        schedule, start = session_time(phrase, now=now, zone=zone)
        what = replace(what, schedule=schedule, starts_at=start, phrase=phrase)
    if what.empty:
        raise UserError("reading.cli_nothing_to_change")
    count = await change_session(session, row, what, now=now, zone=zone)
    await _audit(session, "rd.session_change", actor, f"reading:s{row.id}")
    return count


async def assign(
    session: AsyncSession,
    group: ReadingGroup,
    *,
    committee: str | None = None,
    sector: str | None = None,
    now: datetime,
    zone: ZoneInfo,
    actor: Actor,
) -> tuple[int, int]:
    """Joins every active member of a 专委会 and/or 界别 to the group; returns how many
    joined and how many matched (members already in it count as matched only)."""
    if not committee and not sector:
        raise UserError("reading.cli_need_filter")
    repo = ReadingRepo(session)
    people = await Roster(session).list(committee=committee or None, sector=sector or None)
    via = f"bulk:{committee or ''}:{sector or ''}"
    added = await repo.join_many(group.id or 0, [m.id for m in people if m.id], via=via)
    await replan_group(repo, group.id or 0, now=now, zone=zone)
    await _audit(session, "rd.assign", actor, f"reading:g{group.id}", via=via, added=added)
    return added, len(people)
