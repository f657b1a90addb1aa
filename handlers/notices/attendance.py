"""The secretariat follows a notice: the status message refreshed on demand, the counts
with the 签到 code, who has not answered (and a button that reminds them through the
outbox) and pending leave requests (approve / refuse buttons), ``/attendance`` for recent
notices."""

from __future__ import annotations

from bot.context import Context
from bot.domain.local_times import format_local
from bot.notices.broadcast import enqueue_wave, same_session
from bot.notices.messages import counts_text, reminder_text
from bot.notices.progress import status_text
from bot.notices.rules import NoticeStatus, ReminderKind
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Button, Reply
from handlers.notices.common import (
    after_queuing,
    answer_buttons_here,
    notice_from_args,
    status_buttons_here,
)
from storage.notices import NoticesRepo
from storage.tables import Notice

__all__ = ["router"]

router = Router("notices/attendance")

# Names listed under 未回复 before "… 等 N 人": enough for a committee's plenary.
UNANSWERED_NAMES_SHOWN = 60


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
    if notice.check_in_code:
        text += ctx.t("notices.counts_check_in_code", code=notice.check_in_code)
    unanswered = await repo.unanswered_ids(nid)
    if unanswered:
        text += ctx.t(
            "notices.counts_unanswered",
            count=len(unanswered),
            names=await _names(ctx, unanswered),
        )
    buttons: list[tuple[Button, ...]] = []
    live = NoticeStatus(notice.status).is_live
    if unanswered and live and ctx.now() < notice.starts_at:
        buttons.append((ctx.button("notices.btn_remind_unanswered", "notice.remind", nid),))
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
    if live:
        buttons.append(
            (
                ctx.button("notices.btn_correct", "notice.correct", nid),
                ctx.button("notices.btn_cancel", "notice.cancel", nid),
            )
        )
    return Reply(text=text, buttons=tuple(buttons))


async def _names(ctx: Context, member_ids: list[int]) -> Text:
    names = []
    for mid in member_ids[:UNANSWERED_NAMES_SHOWN]:
        member = await ctx.roster.get(mid)
        names.append(member.name if member else f"#{mid}")
    joined = "、".join(names)
    if len(member_ids) <= UNANSWERED_NAMES_SHOWN:
        return Text.plain(joined)
    return ctx.t("notices.counts_unanswered_more", names=joined, count=len(member_ids))


@router.action("notice.remind", roles=SECRETARIAT)
async def remind_unanswered(ctx: Context) -> Reply:
    """提醒未回复: the unanswered reminder, with the answer buttons, to each member who has
    not answered yet. A second press within the same minute queues nothing twice."""
    notice = await notice_from_args(ctx)
    nid = int(notice.id or 0)
    repo = NoticesRepo(ctx.session)
    unanswered = await repo.unanswered_ids(nid)
    if not unanswered or not NoticeStatus(notice.status).is_live:
        return ctx.reply("notices.reminded_nobody", title=notice.title)
    text = reminder_text(ReminderKind.UNANSWERED, notice, ctx.settings.zone)
    buttons = answer_buttons_here(ctx)
    added = await enqueue_wave(
        same_session(ctx.session),
        nid,
        wave=f"remind:asked:{ctx.now():%Y%m%d%H%M}",
        member_ids=unanswered,
        make_reply=lambda mid: Reply(text=text, buttons=buttons(notice, mid)),
    )
    await ctx.audit.record("notice.remind", actor=ctx.member, target=f"notice:{nid}", count=added)
    after_queuing(ctx)
    return ctx.reply("notices.reminded_unanswered", count=added, title=notice.title)


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
