"""A member's meetings: ``/notices`` (upcoming meetings with my answers), the calendar file
of a meeting, and 签到 by button or by the code announced in the room."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.context import Context
from bot.domain.local_times import format_local
from bot.errors import UserError
from bot.ics import CalendarEvent, ics_bytes, ics_file_name
from bot.notices.messages import answer_text
from bot.notices.rules import NoticeStatus, check_in_window, normalise_code
from bot.notices.service import notice_rules
from bot.router import Router
from bot.text import Text
from bot.types import Button, OutDocument, Reply
from handlers.notices.common import member_id, notice_from_args
from storage.notices import NoticesRepo, notice_facts
from storage.tables import Notice

__all__ = ["meeting_ics", "router"]

router = Router("notices/meetings")


@router.command("notices", "会议", menu="notices.menu", order=40)
async def my_notices(ctx: Context) -> Reply:
    """Upcoming meetings with my answers, answer buttons and a calendar file each."""
    # Meetings under way stay listed for a few hours: their check-in button is still useful.
    rows = await NoticesRepo(ctx.session).upcoming_for_member(
        member_id(ctx), now=ctx.now() - timedelta(hours=6)
    )
    if not rows:
        return ctx.reply("notices.mine_empty")
    zone = ctx.settings.zone
    text = ctx.t("notices.mine_title")
    buttons: list[tuple[Button, ...]] = []
    rules = notice_rules()
    for n, (notice, row) in enumerate(rows[:10], start=1):
        text += ctx.t(
            "notices.mine_line",
            n=n,
            kind=ctx.t(f"notices.kind.{notice.kind}"),
            title=notice.title,
            when=format_local(notice.starts_at, zone),
            place=notice.place,
        ) + answer_text(row)
        opens, closes = check_in_window(rules.check_in, notice_facts(notice))
        row_buttons = [
            ctx.button(
                Text.plain(f"{n}. ") + ctx.t("notices.btn_ics"), "notice.ics", notice.id or 0
            )
        ]
        if opens <= ctx.now() <= closes and row.checked_in_at is None:
            row_buttons.insert(
                0,
                ctx.button(
                    Text.plain(f"{n}. ") + ctx.t("notices.btn_check_in"),
                    "notice.checkin",
                    notice.id or 0,
                ),
            )
        elif ctx.now() <= notice.reply_deadline:
            row_buttons.insert(
                0,
                ctx.button(
                    Text.plain(f"{n}. ") + ctx.t("notices.btn_attend"),
                    "notice.attend",
                    notice.id or 0,
                ),
            )
            row_buttons.insert(
                1,
                ctx.button(
                    Text.plain(f"{n}. ") + ctx.t("notices.btn_leave"),
                    "notice.leave",
                    notice.id or 0,
                ),
            )
        buttons.append(tuple(row_buttons))
    return Reply(text=text, buttons=tuple(buttons))


@router.action("notice.ics")
async def calendar_file(ctx: Context) -> Reply:
    notice = await notice_from_args(ctx)
    if await NoticesRepo(ctx.session).recipient(int(notice.id or 0), member_id(ctx)) is None:
        raise UserError("notices.not_recipient")
    return Reply(
        text=ctx.t("notices.body_attachment", name=f"{notice.title}.ics"),
        document=meeting_ics(notice, zone_name=ctx.settings.timezone, stamp=ctx.now()),
    )


# A notice without an end time is put in the calendar for this long.
DEFAULT_LENGTH = timedelta(hours=3)


def meeting_ics(notice: Notice, *, zone_name: str, stamp: datetime | None = None) -> OutDocument:
    """The meeting as a calendar file: one UID per notice, so a corrected notice updates the
    same entry (``sequence`` = corrections) and a cancelled one is marked cancelled."""
    event = CalendarEvent(
        uid=f"notice-{notice.id}@committee-bot",
        title=notice.title,
        start=notice.starts_at,
        end=notice.ends_at or notice.starts_at + DEFAULT_LENGTH,
        location=notice.place,
        description=notice.agenda,
        zone_name=zone_name,
        sequence=notice.revision,
        cancelled=notice.status == NoticeStatus.CANCELLED,
    )
    return OutDocument(
        file_name=ics_file_name(notice.title, notice.starts_at, zone_name=zone_name),
        content=ics_bytes(event, stamp=stamp),
        mime_type="text/calendar",
    )


async def _check_in(ctx: Context, notice: Notice, *, code: str | None) -> Reply:
    new = await NoticesRepo(ctx.session).check_in(
        notice,
        member_id(ctx),
        rules=notice_rules().check_in,
        code=code,
        via="code" if code else "button",
        now=ctx.now(),
    )
    key = "notices.checked_in" if new else "notices.checked_in_already"
    return ctx.reply(key, title=notice.title, at=format_local(ctx.now(), ctx.settings.zone))


@router.action("notice.checkin")
async def check_in_button(ctx: Context) -> Reply:
    return await _check_in(ctx, await notice_from_args(ctx), code=None)


@router.command("checkin", "签到")
async def check_in_code(ctx: Context) -> Reply:
    """``/签到 4821``: the code announced in the room picks the meeting."""
    code = ctx.args[0].strip() if ctx.args else ""
    if not code:
        return ctx.reply("notices.check_in_usage")
    rows = await NoticesRepo(ctx.session).upcoming_for_member(
        member_id(ctx),
        now=ctx.now() - timedelta(days=2),  # meetings under way count too
    )
    rules = notice_rules().check_in
    open_now = [
        notice
        for notice, _ in rows
        if (w := check_in_window(rules, notice_facts(notice)))[0] <= ctx.now() <= w[1]
    ]
    if not open_now:
        return ctx.reply("notices.check_in_nothing_open")
    wanted = normalise_code(code)
    notice = next((n for n in open_now if n.check_in_code == wanted), open_now[0])
    return await _check_in(ctx, notice, code=code)
