"""社情民意: the public-opinion report as a kind of the drafting engine
(``bot/proposals/drafting.py``); ``/myreports`` lists the member's reports and drafts.

```mermaid
flowchart LR
    category --> title --> situation --> cause --> suggestions --> public
    public -->|not public| private_reason --> urgency
    public -->|public| urgency
    urgency --> preview
    preview -->|edit a part| category & title & situation & cause & suggestions & public & urgency
    preview -->|submit, nothing blocking| confirm --> submitted
```

Changed to "not public" from the preview, the member is asked why before returning to it.
The secretariat decides in ``report_review.py``.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.domain.roles import Role
from bot.errors import UserError
from bot.flows import Choice, Step
from bot.proposals.checks import Finding, char_count
from bot.proposals.config import rules
from bot.proposals.documents.report_docx import report_docx, report_file_name
from bot.proposals.documents.word import DOCX_MIME
from bot.proposals.drafting import (
    DraftKind,
    draft_buttons,
    draft_flow,
    draft_lines,
    id_arg,
    member_id,
)
from bot.proposals.report_checks import ReportText, check_report
from bot.router import Router
from bot.text import Text
from bot.types import Button, OutDocument, Reply
from storage.proposals import Reports
from storage.tables import Report

__all__ = ["FLOW", "KIND", "level_text", "router"]

router = Router("report")

# Parts the preview can send the member back to; "public" brings its reason along.
PARTS = ("category", "title", "situation", "cause", "suggestions", "public", "urgency")
TEXT_PARTS = ("category", "title", "situation", "cause", "suggestions", "private_reason")


def _text_of(data: dict[str, Any]) -> ReportText:
    return ReportText(
        **{k: str(data.get(k) or "") for k in TEXT_PARTS if k != "private_reason"},
        public=data.get("public", "yes") != "no",
        private_reason=str(data.get("private_reason") or "") if data.get("public") == "no" else "",
    )


def _load(row: Report) -> dict[str, Any]:
    """A draft row back into flow data (resuming from /myreports)."""
    data: dict[str, Any] = {"report_id": row.id}
    data |= {k: getattr(row, k) for k in TEXT_PARTS if getattr(row, k)}
    # The row cannot tell "public" and "urgency" answered from their defaults; once the
    # text is complete they are taken as answered (the preview shows them, to change).
    if all(k in data for k in TEXT_PARTS[:5]):
        data["public"] = "yes" if row.public else "no"
        data["urgency"] = row.urgency
    return data


def _categories(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    return [Choice(c, Text.plain(c)) for c in rules().report.categories]


def _body_step(name: str) -> Step:
    def prompt(ctx: Context, data: dict[str, Any]) -> Text:
        return ctx.t(f"reports.flow.{name}_prompt", limit=rules().report.body_max_chars)

    # The checks warn past the configured length; the step refuses only what is far beyond.
    return Step(name, prompt, max_chars=rules().report.body_max_chars * 2)


async def _findings(ctx: Context, data: dict[str, Any]) -> list[Finding]:
    return check_report(_text_of(data))


async def _preview(ctx: Context, data: dict[str, Any]) -> Text:
    text = _text_of(data)
    row = await Reports(ctx.session).require(int(data["report_id"]))
    who = row.reporter
    reporter = ctx.t(
        "reports.flow.reporter",
        name=who.get("name", ""),
        unit=who.get("unit", "") or "—",
        phone=who.get("phone", "") or "—",
    )
    body = "\n".join((text.situation, text.cause, text.suggestions))
    return ctx.t(
        "reports.flow.preview",
        category=text.category or "—",
        urgency=ctx.t(f"reports.urgency.{data.get('urgency', 'normal')}"),
        title=text.title,
        reporter=reporter,
        public=public_text(ctx, public=text.public, reason=text.private_reason),
        situation=text.situation,
        cause=text.cause,
        suggestions=text.suggestions,
        count=char_count(body),
        limit=rules().report.body_max_chars,
    )


def public_text(ctx: Context, *, public: bool, reason: str) -> Text:
    if public:
        return ctx.t("reports.flow.public_yes")
    return ctx.t("reports.flow.public_no_because", reason=reason or "—")


async def _write(ctx: Context, row: Report, data: dict[str, Any], step: str) -> None:
    repo = Reports(ctx.session)
    if ctx.member is not None:
        await repo.refresh_reporter(row, ctx.member)
    text = _text_of(data)
    parts: dict[str, Any] = {k: data[k] for k in TEXT_PARTS if k in data}
    parts["public"] = text.public
    parts["private_reason"] = text.private_reason
    if data.get("urgency") in rules().report.urgencies:
        parts["urgency"] = data["urgency"]
    await repo.save_draft(row, **parts)


def _redirect(data: dict[str, Any], step: str) -> str | None:
    """Changed to "not public" from the preview: ask why."""
    if step == "preview" and data.get("public") == "no" and not data.get("private_reason"):
        return "private_reason"
    return None


def _staff_notice(ctx: Context, row: Report) -> Text:
    assert ctx.member is not None
    return ctx.t(
        "reports.notice_staff",
        id=row.id,
        title=row.title,
        name=ctx.member.name,
        category=row.category,
        urgent=ctx.t("reports.urgent_mark") if row.urgency == "urgent" else "",
    )


def _submitted(ctx: Context, row: Report) -> Reply:
    return ctx.reply("reports.flow.submitted", title=row.title, id=row.id)


KIND = DraftKind(
    name="report",
    namespace="reports",
    steps=(
        Step("category", "reports.flow.category_prompt", choices=_categories, columns=3),
        Step("title", "reports.flow.title_prompt", max_chars=60),
        _body_step("situation"),
        _body_step("cause"),
        _body_step("suggestions"),
        Step(
            "public",
            "reports.flow.public_prompt",
            choices=(
                Choice("yes", "reports.flow.btn_public_yes"),
                Choice("no", "reports.flow.btn_public_no"),
            ),
            columns=1,
        ),
        Step(
            "private_reason",
            "reports.flow.private_reason_prompt",
            max_chars=300,
            when=lambda d: d.get("public") == "no",
        ),
        Step(
            "urgency",
            "reports.flow.urgency_prompt",
            choices=tuple(Choice(u, f"reports.urgency.{u}") for u in rules().report.urgencies),
        ),
    ),
    parts=PARTS,
    repository=Reports,
    findings=_findings,
    preview=_preview,
    write=_write,
    staff_notice=_staff_notice,
    submitted=_submitted,
    redirect=_redirect,
    load=_load,
)

FLOW = draft_flow(KIND, router)


@router.command("report", "社情民意", menu="reports.menu", order=20)
async def report(ctx: Context) -> list[Reply]:
    """Starts a new report (or offers to resume the unfinished one)."""
    return await ctx.begin(FLOW)


@router.command("myreports", "我的社情民意", menu="reports.menu_mine", order=21)
async def my_reports(ctx: Context) -> Reply:
    """Submitted reports with their status and adoption levels; drafts to resume or delete."""
    repo = Reports(ctx.session)
    drafts, sent = await repo.drafts_of(member_id(ctx)), await repo.of_member(member_id(ctx))
    if not drafts and not sent:
        return ctx.reply("reports.mine_empty")
    parts: list[Text] = []
    if sent:
        parts.append(ctx.t("reports.mine_head"))
        parts += [
            ctx.t(
                "reports.mine_line",
                id=r.id,
                title=r.title,
                status=ctx.t(f"reports.status.{r.status}"),
                levels=level_text(ctx, r),
                at=ctx.fmt_time(r.submitted_at),
            )
            for r in sent
        ]
    if drafts:
        parts.append(ctx.t("reports.drafts_head"))
        parts += draft_lines(ctx, drafts, KIND)
    buttons = _docx_buttons(ctx, sent) + draft_buttons(ctx, [r.id for r in drafts], KIND)
    return Reply(text=Text.join("\n", parts), buttons=buttons)


def _docx_buttons(ctx: Context, rows: list[Report]) -> tuple[tuple[Button, ...], ...]:
    """下载 Word for the latest sent reports, two to a row."""
    buttons = [
        ctx.button(ctx.t("documents.report.btn", id=r.id), "report.docx", r.id or 0)
        for r in rows[:6]
    ]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


@router.action("report.docx")
async def docx(ctx: Context) -> Reply:
    """The report as a Word document in the usual layout, for its author and the secretariat."""
    row = await Reports(ctx.session).require(id_arg(ctx))
    if row.author_id != member_id(ctx) and Role.SECRETARIAT not in ctx.roles:
        raise UserError("reports.not_yours")
    content = report_docx(row, committee=ctx.settings.committee_name, zone=ctx.settings.zone)
    return Reply(
        text=ctx.t("documents.report.ready", title=row.title),
        document=OutDocument(report_file_name(row), content, DOCX_MIME),
    )


def level_text(ctx: Context, row: Report) -> Text:
    if not row.levels:
        return Text.plain("")
    names = [ctx.t(f"reports.level.{v}") for v in row.levels]
    return ctx.t("reports.levels_suffix", levels=Text.join("、", names))
