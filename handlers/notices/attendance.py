"""The secretariat follows a notice: the status message refreshed on demand, the counts
with pending leave requests (approve / refuse buttons), ``/attendance`` for recent notices."""

from __future__ import annotations

from bot.context import Context
from bot.domain.local_times import format_local
from bot.notices.broadcast import same_session
from bot.notices.messages import counts_text
from bot.notices.progress import status_text
from bot.notices.rules import NoticeStatus
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Button, Reply
from handlers.notices.common import notice_from_args, status_buttons_here
from storage.notices import NoticesRepo
from storage.tables import Notice

__all__ = ["router"]

router = Router("notices/attendance")


@router.action("notice.progress", roles=SECRETARIAT)
async def progress(ctx: Context) -> Reply:
    """Refreshes the status message at once (the scheduler also edits it while sending)."""
    notice = await notice_from_args(ctx)
    text, _ = await status_text(same_session(ctx.session), notice)
    return Reply(text=text, edit=True, buttons=status_buttons_here(ctx)(notice))


@router.action("notice.counts", roles=SECRETARIAT)
async def counts(ctx: Context) -> Reply:
    notice = await notice_from_args(ctx)
    return await _counts_reply(ctx, notice)


async def _counts_reply(ctx: Context, notice: Notice) -> Reply:
    repo = NoticesRepo(ctx.session)
    nid = int(notice.id or 0)
    text = counts_text(notice.title, await repo.counts(nid))
    buttons: list[tuple[Button, ...]] = []
    pending = await repo.pending_leave(nid)
    if pending:
        text += ctx.t("notices.pending_leave_title")
        for row in pending[:20]:
            member = await ctx.roster.get(row.member_id)
            name = member.name if member else "?"
            text += ctx.t(
                "notices.pending_leave_line",
                name=name,
                sector=member.sector if member else "",
                reason=row.leave_reason or "",
            )
            buttons.append(
                (
                    ctx.button(
                        Text.plain(f"{name} ") + ctx.t("notices.btn_approve"),
                        "notice.leave_ok",
                        nid,
                        row.member_id,
                    ),
                    ctx.button(
                        Text.plain(f"{name} ") + ctx.t("notices.btn_reject"),
                        "notice.leave_no",
                        nid,
                        row.member_id,
                    ),
                )
            )
    if NoticeStatus(notice.status).is_live:
        buttons.append(
            (
                ctx.button("notices.btn_correct", "notice.correct", nid),
                ctx.button("notices.btn_cancel", "notice.cancel", nid),
            )
        )
    return Reply(text=text, buttons=tuple(buttons))


@router.command(
    "attendance", "参会情况", roles=SECRETARIAT, menu="notices.menu_attendance", order=42
)
async def attendance(ctx: Context) -> Reply:
    """Recent notices; ``/attendance 12`` shows one notice's counts and pending leave."""
    repo = NoticesRepo(ctx.session)
    if ctx.args and ctx.args[0].strip().lstrip("#").isdigit():
        return await _counts_reply(ctx, await repo.require(int(ctx.args[0].strip().lstrip("#"))))
    notices = await repo.list(
        statuses=[NoticeStatus.SENT, NoticeStatus.CORRECTED, NoticeStatus.CANCELLED], limit=10
    )
    if not notices:
        return ctx.reply("notices.attendance_empty")
    lines = [
        ctx.t(
            "notices.attendance_line",
            id=n.id,
            kind=ctx.t(f"notices.kind.{n.kind}"),
            title=n.title,
            when=format_local(n.starts_at, ctx.settings.zone),
            status=ctx.t(f"notices.status.{n.status}"),
        )
        for n in notices
    ]
    buttons = tuple(
        (
            ctx.button(
                Text.plain(f"#{n.id} ") + ctx.t("notices.btn_counts"), "notice.counts", n.id or 0
            ),
        )
        for n in notices
    )
    return Reply(text=Text.join("\n", lines), buttons=buttons)
