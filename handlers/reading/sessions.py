"""A member and one session date: RSVP (请假 stops that date's reminders), the calendar
file, and 打卡 in the window around the session. Every date is checked against the session's
real schedule."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.reading.checkin import WindowState
from bot.reading.recurrence import Occurrence
from bot.reading.service import CHECKIN_WINDOW as WINDOW
from bot.reading.service import find_occurrence, ics_for
from bot.router import Router
from bot.types import Reply
from handlers.reading.common import int_arg, me, reading_repo, replan
from storage.tables import ReadingGroup, ReadingSession

__all__ = ["router"]

router = Router("reading/sessions")


async def _occurrence(ctx: Context) -> tuple[ReadingSession, Occurrence, ReadingGroup]:
    """The session date a button names, checked against the session's real schedule."""
    row = await reading_repo(ctx).reading_session(int_arg(ctx, 0))
    if row is None or len(ctx.args) < 2:
        raise UserError("reading.session_not_found")
    if row.cancelled_at is not None:  # an old button (group page, reminder) of it
        raise UserError("reading.session_cancelled_all", title=row.title)
    key = ctx.args[1]
    found = find_occurrence(row, key, now=ctx.now())
    if found is None:
        raise UserError("reading.session_not_found")
    stored = await reading_repo(ctx).occurrence(row.id or 0, key)
    if stored is not None and stored.cancelled:
        raise UserError(
            "reading.session_cancelled_answer", title=row.title, when=ctx.fmt_time(found.start)
        )
    group = await reading_repo(ctx).group(row.group_id)
    membership = await reading_repo(ctx).membership(row.group_id, me(ctx))
    if group is None or membership is None or membership.left_at is not None:
        raise UserError("reading.not_member")
    return row, found, group


@router.action("rd.rsvp")
async def rsvp(ctx: Context) -> Reply:
    row, occ, group = await _occurrence(ctx)
    answer = ctx.args[2] if len(ctx.args) > 2 else ""
    if answer not in {"yes", "no"}:
        raise UserError("core.button_forged")
    stored = await reading_repo(ctx).ensure_occurrence(row.id or 0, occ)
    await reading_repo(ctx).rsvp(stored.id or 0, me(ctx), answer)
    await replan(ctx, group.id or 0)  # 请假 means no more reminders for that date
    return Reply(
        text=ctx.t(
            "reading.rsvp_saved",
            title=row.title,
            when=ctx.fmt_time(occ.start),
            answer=ctx.t(f"reading.answer_{answer}"),
        )
    )


@router.action("rd.ics")
async def calendar_file(ctx: Context) -> Reply:
    row, occ, group = await _occurrence(ctx)
    return Reply(
        text=ctx.t("reading.ics_caption", title=row.title, when=ctx.fmt_time(occ.start)),
        document=ics_for(row, occ, group, zone=ctx.settings.zone),
    )


@router.action("rd.in")
async def check_in(ctx: Context) -> Reply:
    """打卡, only inside the window around the session."""
    row, occ, _ = await _occurrence(ctx)
    state = WINDOW.state(start=occ.start, end=occ.end, now=ctx.now())
    if state == WindowState.EARLY:
        return Reply(
            text=ctx.t("reading.checkin_early", minutes=int(WINDOW.before.total_seconds() // 60))
        )
    if state == WindowState.CLOSED:
        return Reply(text=ctx.t("reading.checkin_closed"))
    stored = await reading_repo(ctx).ensure_occurrence(row.id or 0, occ)
    if not await reading_repo(ctx).check_in(stored.id or 0, me(ctx), now=ctx.now()):
        return Reply(text=ctx.t("reading.checkin_again"))
    return Reply(text=ctx.t("reading.checkin_done", title=row.title, when=ctx.fmt_time(occ.start)))
