"""优秀提案 in chat for the secretariat: ``/excellent`` lists this year's and last year's
registered proposals (answered ones first, as they are appraised after the answer) with a
button to mark or unmark each. The same operation is ``committee-bot proposals excellent``;
both go through ``bot.proposals.excellence.mark_excellent`` (audited, told to the proposers).
"""

from __future__ import annotations

from bot.context import Context
from bot.errors import PayloadError
from bot.proposals.drafting import id_arg
from bot.proposals.excellence import can_be_excellent, mark_excellent
from bot.proposals.office import Office, proposal_label
from bot.proposals.proposal_lifecycle import ANSWERED_STATUSES
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from storage.proposals import Proposals

__all__ = ["router"]

router = Router("proposal_excellence")

_LINES = 30  # a longer year is for the CLI or the web console
_BUTTONS = 10


@router.command(
    "excellent", "优秀提案", roles=SECRETARIAT, menu="proposal_roles.menu_excellent", order=62
)
async def excellent(ctx: Context) -> Reply:
    """Registered proposals of this year and last, each with 评为优秀 / 撤销优秀."""
    repo = Proposals(ctx.session)
    year = ctx.local(ctx.now()).year
    rows = [p for y in (year, year - 1) for p in await repo.of_year(y) if can_be_excellent(p)]
    if not rows:
        return ctx.reply("proposal_roles.excellent_empty")
    rows.sort(key=lambda p: (p.status not in ANSWERED_STATUSES, -(p.year), p.seq or 0))
    lines = [
        ctx.t(
            "proposal_roles.excellent_line",
            label=proposal_label(p),
            title=p.title,
            name=p.proposer.get("name", ""),
            status=ctx.t(f"proposals.status.{p.status}"),
            mark=ctx.t("proposal_roles.excellent_mark") if p.excellent else Text.of(""),
        )
        for p in rows[:_LINES]
    ]
    text = ctx.t("proposal_roles.excellent_head", count=len(rows)) + Text.join("\n", lines)
    if len(rows) > _LINES:
        text = text + ctx.t("proposal_roles.excellent_more", count=len(rows) - _LINES)
    buttons = tuple(
        (
            ctx.button(
                ctx.t(
                    "proposal_roles.btn_excellent_undo"
                    if p.excellent
                    else "proposal_roles.btn_excellent",
                    label=proposal_label(p),
                ),
                "review.excellent",
                p.id or 0,
                0 if p.excellent else 1,
            ),
        )
        for p in rows[:_BUTTONS]
    )
    return Reply(text=text, buttons=buttons)


@router.action("review.excellent", roles=SECRETARIAT)
async def toggle(ctx: Context) -> Reply:
    """Marks (1) or unmarks (0) the proposal; a stale button is refused in Chinese."""
    if len(ctx.args) != 2 or ctx.args[1] not in ("0", "1"):
        raise PayloadError("core.button_forged")
    flag = ctx.args[1] == "1"
    p = await mark_excellent(Office.of(ctx), id_arg(ctx), flag=flag, at=ctx.now())
    key = "proposal_roles.done_excellent" if flag else "proposal_roles.done_excellent_undo"
    return ctx.reply(key, label=proposal_label(p), title=p.title)
