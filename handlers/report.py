"""社情民意: the member writes a public-opinion report step by step; the secretariat decides.

```mermaid
flowchart LR
    category --> title --> situation --> cause --> suggestions --> public
    public -->|not public| private_reason --> urgency
    public -->|public| urgency
    urgency --> preview
    preview -->|edit a part| category & title & situation & cause & suggestions & public & urgency
    preview -->|submit, nothing blocking| confirm --> submitted
```

Like a proposal draft, the report draft is a row (status draft) written at every step, so
``/myreports`` lists it and resumes it days later. Every button carrying a report id is
checked against the member on arrival. The secretariat's queue is ``/reports``; its decision
(采用 at a level, 不予采用, 留存) goes through ``Office.decide_report``, which notifies the
member through the outbox, exactly as ``committee-bot reports`` does from the terminal.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.domain.drafting import char_count, has_blocking
from bot.domain.proposal_config import rules
from bot.domain.report_checks import ReportText, check_report
from bot.domain.report_lifecycle import (
    Adopt,
    AdoptionLevel,
    Keep,
    Reject,
    ReportEvent,
    ReportStatus,
    SubmitReport,
)
from bot.errors import PayloadError, UserError
from bot.flows import Choice, Flow, Step
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from handlers.draft_flows import (
    back_to_preview,
    draft_buttons,
    drop_conversation,
    reopen,
    tell_secretariat,
)
from handlers.proposal import findings_text, office_for
from storage.proposals_repo import Reports
from storage.tables import Conversation, Report

__all__ = ["DECIDE", "FLOW", "decision_event", "router"]

router = Router("report")

# Parts the preview can send the member back to; "public" brings its reason along.
PARTS = ("category", "title", "situation", "cause", "suggestions", "public", "urgency")
TEXT_PARTS = ("category", "title", "situation", "cause", "suggestions", "private_reason")


def _me(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


def _id_arg(ctx: Context) -> int:
    if not ctx.args or not ctx.args[0].isdigit():
        raise PayloadError("core.button_forged")
    return int(ctx.args[0])


def _text_of(data: dict[str, Any]) -> ReportText:
    return ReportText(
        **{k: str(data.get(k) or "") for k in TEXT_PARTS if k != "private_reason"},
        public=data.get("public", "yes") != "no",
        private_reason=str(data.get("private_reason") or "") if data.get("public") == "no" else "",
    )


def _row_parts(data: dict[str, Any]) -> dict[str, Any]:
    text = _text_of(data)
    parts: dict[str, Any] = {k: data[k] for k in TEXT_PARTS if k in data}
    parts["public"] = text.public
    parts["private_reason"] = text.private_reason
    if data.get("urgency") in rules().report.urgencies:
        parts["urgency"] = data["urgency"]
    return parts


def _data_of(row: Report) -> dict[str, Any]:
    """A draft row back into flow data (resuming from /myreports)."""
    data: dict[str, Any] = {"report_id": row.id}
    data |= {k: getattr(row, k) for k in TEXT_PARTS if getattr(row, k)}
    # The row cannot tell "public" and "urgency" answered from their defaults; once the
    # text is complete they are taken as answered (the preview shows them, to change).
    if all(k in data for k in TEXT_PARTS[:5]):
        data["public"] = "yes" if row.public else "no"
        data["urgency"] = row.urgency
    return data


# -- steps -------------------------------------------------------------------------
async def _start(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    assert ctx.member is not None
    row = await Reports(ctx.session).new_draft(ctx.member, at=ctx.now())
    return data | {"report_id": row.id}


def _categories(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    return [Choice(c, Text.plain(c)) for c in rules().report.categories]


def _body_prompt(key: str) -> Any:
    def prompt(ctx: Context, data: dict[str, Any]) -> Text:
        return ctx.t(key, limit=rules().report.body_max_chars)

    return prompt


async def _preview_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    text = _text_of(data)
    reporter = await _reporter(ctx, data)
    body = "\n".join((text.situation, text.cause, text.suggestions))
    public = (
        ctx.t("reports.flow.public_yes")
        if text.public
        else ctx.t("reports.flow.public_no_because", reason=text.private_reason or "—")
    )
    shown = ctx.t(
        "reports.flow.preview",
        category=text.category or "—",
        urgency=ctx.t(f"reports.urgency.{data.get('urgency', 'normal')}"),
        title=text.title,
        reporter=reporter,
        public=public,
        situation=text.situation,
        cause=text.cause,
        suggestions=text.suggestions,
        count=char_count(body),
        limit=rules().report.body_max_chars,
    )
    shown = shown + Text.plain("\n\n") + findings_text(ctx, check_report(text))
    notice = data.get("_notice")
    if notice:
        shown = ctx.t(notice["key"], **notice.get("params", {})) + Text.plain("\n\n") + shown
    return shown


async def _reporter(ctx: Context, data: dict[str, Any]) -> Text:
    row = await Reports(ctx.session).require(int(data["report_id"]))
    who = row.reporter
    return ctx.t(
        "reports.flow.reporter",
        name=who.get("name", ""),
        unit=who.get("unit", "") or "—",
        phone=who.get("phone", "") or "—",
    )


def _preview_choices(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    return [Choice("submit", "reports.flow.btn_submit")] + [
        Choice(f"edit_{p}", f"reports.flow.btn_edit_{p}") for p in PARTS
    ]


async def _saved(ctx: Context, conversation: Conversation) -> None:
    """Writes the draft row at every step, and routes the preview's buttons."""
    data = conversation.data
    data.pop("_notice", None)
    repo = Reports(ctx.session)
    row = await repo.own_draft(_me(ctx), int(data["report_id"]))
    if ctx.member is not None:
        await repo.refresh_reporter(row, ctx.member)
    await repo.save_draft(row, **_row_parts(data))
    target = None
    if (
        conversation.step == "preview"
        and data.get("public") == "no"
        and not data.get("private_reason")
    ):
        target = "private_reason"  # changed to "not public" from the preview: ask why
    elif conversation.step == "confirm" and "preview" in data:
        choice = data.pop("preview")
        if choice.startswith("edit_") and choice[5:] in PARTS:
            target = choice[5:]
        elif choice == "submit" and has_blocking(check_report(_text_of(data))):
            data["_notice"] = {"key": "reports.flow.fix_first"}
            target = "preview"
    if target is not None:
        conversation.step = target
        if target != "preview":
            data["_return_to"] = "preview"
        await ctx.conversations.save(conversation)


async def _done(ctx: Context, conversation: Conversation) -> list[Reply]:
    """Submits on confirmation; otherwise goes back to the preview."""
    data = conversation.data
    back = await back_to_preview(ctx, FLOW, conversation)
    if back is not None:
        return back
    repo = Reports(ctx.session)
    row = await repo.own_draft(_me(ctx), int(data["report_id"]))
    findings = check_report(_text_of(data))
    await repo.transition(
        row,
        SubmitReport(blocking_findings=sum(f.blocking for f in findings)),
        actor_id=_me(ctx),
        at=ctx.now(),
    )
    await ctx.conversations.delete(conversation)
    await _tell_staff(ctx, row)
    return [ctx.reply("reports.flow.submitted", title=row.title, id=row.id)]


async def _tell_staff(ctx: Context, row: Report) -> None:
    assert ctx.member is not None
    text = ctx.t(
        "reports.notice_staff",
        id=row.id,
        title=row.title,
        name=ctx.member.name,
        category=row.category,
        urgent=ctx.t("reports.urgent_mark") if row.urgency == "urgent" else "",
    )
    await tell_secretariat(ctx, Reply(text=text), kind="report", ref=f"report:{row.id}")


def _body_step(name: str) -> Step:
    # The checks warn past the configured length; the step refuses only what is far beyond.
    return Step(name, _body_prompt(f"reports.flow.{name}_prompt"), max_chars=_hard_limit())


def _hard_limit() -> int:
    return rules().report.body_max_chars * 2


FLOW = router.flow(
    Flow(
        name="report",
        title="reports.flow.title",
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
            Step("preview", _preview_prompt, choices=_preview_choices, columns=2),
            Step(
                "confirm",
                "reports.flow.confirm_prompt",
                choices=(
                    Choice("confirm", "reports.flow.btn_confirm"),
                    Choice("edit", "reports.flow.btn_back_to_preview"),
                ),
            ),
        ),
        start=_start,
        saved=_saved,
        done=_done,
        keep_on_done=True,
    )
)


@router.command("report", "社情民意", menu="reports.menu", order=20)
async def report(ctx: Context) -> list[Reply]:
    """Starts a new report (or offers to resume the unfinished one)."""
    return await ctx.begin(FLOW)


# -- the member's reports and drafts --------------------------------------------------
@router.command("myreports", "我的社情民意", menu="reports.menu_mine", order=21)
async def my_reports(ctx: Context) -> Reply:
    """Submitted reports with their status and adoption levels; drafts to resume or delete."""
    repo = Reports(ctx.session)
    drafts, sent = await repo.drafts_of(_me(ctx)), await repo.of_member(_me(ctx))
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
                levels=_level_text(ctx, r),
                at=ctx.fmt_time(r.submitted_at),
            )
            for r in sent
        ]
    if drafts:
        parts.append(ctx.t("reports.drafts_head"))
        parts += [
            ctx.t(
                "reports.draft_line",
                id=r.id,
                title=r.title or ctx.t("reports.untitled"),
                saved=ctx.fmt_time(r.updated_at),
            )
            for r in drafts
        ]
    buttons = draft_buttons(ctx, [r.id for r in drafts], "reports", "report")
    return Reply(text=Text.join("\n", parts), buttons=buttons)


def _level_text(ctx: Context, row: Report) -> Text:
    if not row.levels:
        return Text.plain("")
    names = [ctx.t(f"reports.level.{v}") for v in row.levels]
    return ctx.t("reports.levels_suffix", levels=Text.join("、", names))


@router.action("report.resume")
async def resume(ctx: Context) -> list[Reply]:
    """Continues a draft at its first missing part, or at the preview."""
    row = await Reports(ctx.session).own_draft(_me(ctx), _id_arg(ctx))
    data = _data_of(row)
    step = next(
        s.name for s in FLOW.steps if (s.when is None or s.when(data)) and s.key not in data
    )
    return await reopen(ctx, FLOW, data, step)


@router.action("report.delete")
async def delete(ctx: Context) -> Reply:
    """Deletes the member's own draft (and the conversation writing it)."""
    report_id = _id_arg(ctx)
    repo = Reports(ctx.session)
    await repo.own_draft(_me(ctx), report_id)
    await drop_conversation(ctx, FLOW, "report_id", report_id)
    await repo.delete_draft(_me(ctx), report_id)
    return ctx.reply("reports.draft_deleted", id=report_id, edit=True)


# -- the secretariat ------------------------------------------------------------------
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
        (ctx.button(ctx.t("reports.btn_decide", id=r.id), "reports.decide", r.id or 0),)
        for r in queue[:10]
    )
    return Reply(
        text=ctx.t("reports.review_head", count=len(queue)) + Text.join("\n", lines),
        buttons=buttons,
    )


DECISIONS = (*(f"adopt_{level.value}" for level in AdoptionLevel), "reject", "keep")


def decision_event(decision: str, note: str = "") -> ReportEvent:
    """``adopt_city`` … ``adopt_instruction``, ``reject`` or ``keep`` as a lifecycle event."""
    if decision.startswith("adopt_"):
        return Adopt(level=AdoptionLevel(decision.removeprefix("adopt_")), note=note)
    if decision == "reject":
        return Reject(note=note)
    if decision == "keep":
        return Keep(note=note)
    raise ValueError(decision)


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
        public=ctx.t("reports.flow.public_yes")
        if row.public
        else ctx.t("reports.flow.public_no_because", reason=row.private_reason or "—"),
        situation=row.situation,
        cause=row.cause,
        suggestions=row.suggestions,
        status=ctx.t(f"reports.status.{row.status}"),
        levels=_level_text(ctx, row),
    )


async def _decide_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    event = decision_event(d["decision"], d.get("note") or "")
    row = await office_for(ctx).decide_report(int(d["report_id"]), event)
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
    report_id = _id_arg(ctx)
    row = await Reports(ctx.session).require(report_id)
    if row.status not in (ReportStatus.SUBMITTED, ReportStatus.KEPT, ReportStatus.ADOPTED):
        raise UserError("reports.not_decidable", title=row.title)
    existing = await ctx.conversations.of_flow(_me(ctx), DECIDE.name)
    if existing is not None:  # a half-done decision on another report: start over
        await ctx.conversations.delete(existing)
    return await ctx.begin(DECIDE, {"report_id": report_id})
