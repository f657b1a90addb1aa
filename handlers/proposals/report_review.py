"""The secretariat's decision on public-opinion reports in chat: ``/reports`` lists submitted
and kept reports (urgent first); a decision (采用 at a level, 不予采用, 留存) goes through
``Office.decide_report``, which notifies the member through the outbox, exactly as
``committee-bot reports`` does from the terminal.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Choice, Flow, Step
from bot.proposals.drafting import begin_afresh, id_arg
from bot.proposals.office import Office
from bot.proposals.report_lifecycle import DECISIONS, ReportStatus, decision_event
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from handlers.proposals.reports import level_text, public_text
from storage.proposals import Reports
from storage.tables import Conversation

__all__ = ["DECIDE", "router"]

router = Router("report_review")


@router.command("reports", "社情民意审核", roles=SECRETARIAT, menu="reports.menu_review", order=62)
async def review(ctx: Context) -> Reply:
    """Submitted and kept reports, urgent first, each with a button to decide."""
    queue = await Reports(ctx.session).review_queue()
    if not queue:
        return ctx.reply("reports.review_empty")
    lines = [
        ctx.t(
            "reports.review_line",
            id=r.id,
            title=r.title,
            name=r.reporter.get("name", ""),
            category=r.category,
            status=ctx.t(f"reports.status.{r.status}"),
            urgent=ctx.t("reports.urgent_mark") if r.urgency == "urgent" else "",
            at=ctx.fmt_time(r.submitted_at),
        )
        for r in queue
    ]
    buttons = tuple(
        (
            ctx.button(ctx.t("reports.btn_decide", id=r.id), "reports.decide", r.id or 0),
            ctx.button(ctx.t("documents.report.btn", id=r.id), "report.docx", r.id or 0),
        )
        for r in queue[:10]
    )
    return Reply(
        text=ctx.t("reports.review_head", count=len(queue)) + Text.join("\n", lines),
        buttons=buttons,
    )


async def _decide_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """The whole report, so the clerk decides on what the member wrote."""
    row = await Reports(ctx.session).require(int(data["report_id"]))
    return ctx.t(
        "reports.decide_prompt",
        id=row.id,
        title=row.title,
        category=row.category,
        urgency=ctx.t(f"reports.urgency.{row.urgency}"),
        name=row.reporter.get("name", ""),
        unit=row.reporter.get("unit", "") or "—",
        public=public_text(ctx, public=row.public, reason=row.private_reason),
        situation=row.situation,
        cause=row.cause,
        suggestions=row.suggestions,
        status=ctx.t(f"reports.status.{row.status}"),
        levels=level_text(ctx, row),
    )


async def _decide_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    event = decision_event(d["decision"], d.get("note") or "")
    row = await Office.of(ctx).decide_report(int(d["report_id"]), event)
    return ctx.reply(
        "reports.done_decide",
        id=row.id,
        title=row.title,
        outcome=ctx.t(f"reports.decision.{d['decision']}"),
    )


DECIDE = router.flow(
    Flow(
        name="report_decide",
        title="reports.decide_title",
        roles=SECRETARIAT,
        steps=(
            Step(
                "decision",
                _decide_prompt,
                choices=tuple(Choice(d, f"reports.decision.{d}") for d in DECISIONS),
                columns=2,
            ),
            Step("note", "reports.note_prompt", optional=True, max_chars=500),
        ),
        done=_decide_done,
    )
)


@router.action("reports.decide", roles=SECRETARIAT)
async def decide(ctx: Context) -> list[Reply]:
    report_id = id_arg(ctx)
    row = await Reports(ctx.session).require(report_id)
    if row.status not in (ReportStatus.SUBMITTED, ReportStatus.KEPT, ReportStatus.ADOPTED):
        raise UserError("reports.not_decidable", title=row.title)
    # A half-done decision on another report: start over.
    return await begin_afresh(ctx, DECIDE, {"report_id": report_id})
