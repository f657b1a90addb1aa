"""我的履职: a member's record for the current year, gathered from every capability.

Meetings (attended = checked in, on leave = approved or noted leave, absent = required or
signed up and neither), proposals submitted and registered (as first proposer or confirmed
co-signer), reports submitted and adopted, and reading activity (attended sessions and
shared notes; the reading record is not kept per year, so it is shown as a running total).
"""

from __future__ import annotations

from datetime import datetime

from bot.context import Context
from bot.proposals.report_lifecycle import ReportStatus
from bot.router import Router
from bot.types import Reply
from storage.notices import NoticesRepo
from storage.proposals import Proposals, Reports
from storage.reading import ReadingRepo

__all__ = ["router"]

router = Router("record")


@router.command("record", "履职", menu="record.menu", order=45)
async def record(ctx: Context) -> Reply:
    member = ctx.member
    assert member is not None and member.id is not None
    now = ctx.now()
    year = ctx.local(now).year
    year_start = datetime(year, 1, 1, tzinfo=ctx.settings.zone)
    meetings = await NoticesRepo(ctx.session).member_attendance(
        member.id, now=now, since=year_start
    )
    proposals = [p for p in await Proposals(ctx.session).of_member(member.id) if p.year == year]
    reports = [r for r in await Reports(ctx.session).of_member(member.id) if r.year == year]
    reading = await ReadingRepo(ctx.session).record(member.id)

    text = ctx.t("record.title", name=member.name, year=year)
    text += ctx.t(
        "record.meetings",
        meetings=meetings.meetings,
        attended=meetings.checked_in,
        leave=meetings.leave_approved,
        absent=meetings.absent,
    )
    text += ctx.t(
        "record.proposals",
        submitted=len(proposals),
        registered=sum(p.registered_at is not None for p in proposals),
    )
    text += ctx.t(
        "record.reports",
        submitted=len(reports),
        adopted=sum(r.status == ReportStatus.ADOPTED for r in reports),
    )
    text += ctx.t("record.reading", sessions=reading.sessions_attended, notes=reading.notes_shared)
    if reading.groups:
        text += ctx.t("record.reading_groups", groups="、".join(reading.groups))
    if not (meetings.meetings or proposals or reports):
        text += ctx.t("record.empty_note")
    return Reply(text=text)
