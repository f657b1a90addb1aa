"""The secretariat's overdue list in chat (``/overdue``) with 催办 and 延期 on each row.

Both go through ``Office.urge`` / ``Office.extend``, as ``committee-bot proposals urge /
extend`` and the web console do: once-a-day urging, the later-deadline rule, history, audit
and the proposers' notices live there, not here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.context import Context
from bot.flows import Flow, Step
from bot.proposals.documents.docx import format_date
from bot.proposals.drafting import begin_afresh, id_arg
from bot.proposals.office import Office, deadline_day, overdue_digest_text, proposal_label
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Button, Reply
from storage.proposals import Proposals
from storage.tables import Conversation

__all__ = ["overdue_digest", "router"]

router = Router("proposal_overdue")

# Buttons for the oldest deadlines; the rest are a /overdue away once these are handled.
BUTTON_ROWS = 10


@router.command("overdue", "超期提案", roles=SECRETARIAT, menu="proposals.menu_overdue", order=61)
async def overdue(ctx: Context) -> Reply:
    """Assigned proposals past their deadline, oldest deadline first, each with 催办 / 延期."""
    rows = await Proposals(ctx.session).overdue(ctx.now())
    ids = [p.id for p in rows if p.id is not None]
    urged = await Office.of(ctx).urged_today(ids, at=ctx.now())
    text = overdue_digest_text(
        rows, cat=ctx.services.catalogue, zone=ctx.settings.zone, urged=urged
    )
    buttons: list[tuple[Button, ...]] = []
    for p in rows[:BUTTON_ROWS]:
        label = proposal_label(p)
        buttons.append(
            (
                ctx.button(ctx.t("proposals.btn_urge", label=label), "overdue.urge", p.id or 0),
                ctx.button(ctx.t("proposals.btn_extend", label=label), "overdue.extend", p.id or 0),
            )
        )
    return Reply(text=text, buttons=tuple(buttons))


async def overdue_digest(ctx: Context) -> Text:
    """The overdue list as text; the daily digest job (bot.daily_jobs) sends the same."""
    rows = await Proposals(ctx.session).overdue(ctx.now())
    return overdue_digest_text(rows, cat=ctx.services.catalogue, zone=ctx.settings.zone)


@router.action("overdue.urge", roles=SECRETARIAT)
async def urge(ctx: Context) -> Reply:
    """催办 (a second press today is told it was done, nothing is sent twice)."""
    p = await Office.of(ctx).urge(id_arg(ctx), at=ctx.now())
    return ctx.reply(
        "proposals.done_urge", label=proposal_label(p), title=p.title, lead_unit=p.lead_unit
    )


# -- 延期: the new date, then the reason ------------------------------------------------
async def _date_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """Shows the present deadline, asks for the new one."""
    p = await Proposals(ctx.session).require(int(data["proposal_id"]))
    return ctx.t(
        "proposals.extend_date_prompt",
        label=proposal_label(p),
        title=p.title,
        deadline=format_date(p.deadline_at, ctx.settings.zone),
    )


async def _parse_date(ctx: Context, data: dict[str, Any], text: str) -> str:
    """Reads the date and checks it against the deadline here, so only the date is asked again."""
    day = deadline_day(text, zone=ctx.settings.zone, now=ctx.now())
    p = await Proposals(ctx.session).require(int(data["proposal_id"]))
    Office.of(ctx).check_extension(p, day, at=ctx.now())
    return day.isoformat()


async def _extend_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    office = Office.of(ctx)
    before = await office.find(int(d["proposal_id"]))
    old = format_date(before.deadline_at, ctx.settings.zone)
    p = await office.extend(
        int(d["proposal_id"]), to=date.fromisoformat(d["to"]), reason=d["reason"], at=ctx.now()
    )
    return ctx.reply(
        "proposals.done_extend",
        label=proposal_label(p),
        old=old,
        deadline=format_date(p.deadline_at, ctx.settings.zone),
    )


EXTEND = router.flow(
    Flow(
        name="overdue_extend",
        title="proposals.staff_title_extend",
        roles=SECRETARIAT,
        steps=(
            Step("to", _date_prompt, parse=_parse_date, max_chars=40),
            Step("reason", "proposals.extend_reason_prompt", max_chars=500),
        ),
        done=_extend_done,
    )
)


@router.action("overdue.extend", roles=SECRETARIAT)
async def extend(ctx: Context) -> list[Reply]:
    pid = id_arg(ctx)
    await Proposals(ctx.session).require(pid)
    # A clerk's half-done extension of another proposal: start over.
    return await begin_afresh(ctx, EXTEND, {"proposal_id": pid})
