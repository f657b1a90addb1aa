"""A group's check-in and notes report, in chat and as XLSX."""

from __future__ import annotations

from bot.context import Context
from bot.reading.report import build_report, report_xlsx
from bot.reading.service import (
    fmt_local,
)
from bot.router import Router
from bot.types import OutDocument, Reply
from handlers.reading.common import int_arg, reading_repo
from handlers.reading.manage import (
    back_button,
    managed,
)

__all__ = ["router"]

router = Router("reading/admin_report")
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_REPORT_LINES = 12


@router.action("rda.rep")
async def report(ctx: Context) -> Reply:
    """Per session date: who checked in, how many asked for leave; per member: totals."""
    group = await managed(ctx, int_arg(ctx))
    found = await build_report(reading_repo(ctx), group)
    zone = ctx.settings.zone
    none = str(ctx.t("reading.record_none"))
    text = ctx.t("reading.admin_report_head", name=group.name, members=found.current_members)
    if not found.occurrences:
        text += ctx.t("reading.admin_report_no_sessions")
    for line in found.occurrences[-_REPORT_LINES:]:
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.admin_report_session",
                when=fmt_local(line.starts_at, zone),
                title=line.title,
                checked=len(line.checkins),
                members=found.current_members,
                leave=sum(1 for a in line.rsvps.values() if a == "no"),
                who="、".join(found.name(m) for m in sorted(line.checkins)) or none,
                cancelled=ctx.t("reading.admin_report_cancelled") if line.cancelled else "",
            )
        )
    text += ctx.t("reading.admin_report_members_head")
    for m in found.members[:50]:
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.admin_report_member",
                name=m.name,
                attended=m.attended,
                notes=m.notes,
                left="" if m.current else ctx.t("reading.admin_report_left"),
            )
        )
    gid = group.id or 0
    return Reply(
        text=text,
        buttons=(
            (ctx.button("reading.admin_btn_xlsx", "rda.xlsx", gid),),
            back_button(ctx, gid),
        ),
    )


@router.action("rda.xlsx")
async def export(ctx: Context) -> Reply:
    group = await managed(ctx, int_arg(ctx))
    found = await build_report(reading_repo(ctx), group)
    day = ctx.local(ctx.now()).strftime("%Y%m%d")
    return ctx.reply(
        "reading.admin_xlsx_caption",
        name=group.name,
        document=OutDocument(
            file_name=ctx.services.catalogue.s("reading.admin_xlsx_name", id=group.id, day=day),
            content=report_xlsx(found, zone=ctx.settings.zone),
            mime_type=_XLSX,
        ),
    )
