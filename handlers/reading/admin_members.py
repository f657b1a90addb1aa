"""Adding members to a group in bulk by 专委会 or 界别 (everyone matching when confirmed)."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.flows import Choice, Flow, Step
from bot.router import Router
from bot.text import Text
from bot.types import Reply
from handlers.reading.common import reading_repo
from handlers.reading.manage import (
    CONFIRM,
    back_button,
    begin_on_group,
    on_group,
    replan_and_wake,
    start_on_group,
)
from storage.tables import ReadingGroup

__all__ = ["ASSIGN_FLOW", "router"]

router = Router("reading/admin_members")


_BY = (
    Choice("committee", "reading.admin_by_committee"),
    Choice("sector", "reading.admin_by_sector"),
)


async def _values(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    """The committees (or sectors) present on the roster."""
    people = await ctx.roster.list()
    found = sorted({getattr(m, data["by"]) for m in people if getattr(m, data["by"])})
    return [Choice(v, Text.plain(v)) for v in found[:40]]


async def _matching(ctx: Context, data: dict[str, Any]) -> list[int]:
    kind, value = data["by"], data["value"]
    people = await ctx.roster.list(**{kind: value})
    return [m.id for m in people if m.id is not None]


async def _assign_confirm(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(
        "reading.admin_assign_confirm",
        group=data["group"],
        value=data["value"],
        count=len(await _matching(ctx, data)),
    )


async def _assign(ctx: Context, group: ReadingGroup, data: dict[str, Any]) -> Reply:
    """Adds everyone matching now (the roster may have changed while the flow waited)."""
    ids = await _matching(ctx, data)
    via = f"bulk:{data['by']}:{data['value']}"
    added = await reading_repo(ctx).join_many(group.id or 0, ids, via=via, now=ctx.now())
    await ctx.audit.record(
        "rd.assign",
        actor=ctx.member,
        target=f"reading:g{group.id}",
        by=data["by"],
        value=data["value"],
    )
    await replan_and_wake(ctx, group.id or 0)
    return ctx.reply(
        "reading.cli_assigned",
        added=added,
        matched=len(ids),
        buttons=[back_button(ctx, group.id or 0)],
    )


ASSIGN_FLOW = router.flow(
    Flow(
        name="reading_assign",
        title="reading.admin_assign_title",
        steps=(
            Step("by", "reading.admin_by_prompt", choices=_BY),
            Step("value", "reading.admin_value_prompt", choices=_values, columns=1),
            Step("confirm", _assign_confirm, choices=CONFIRM),
        ),
        done=on_group(_assign),
        start=start_on_group,
    )
)


@router.action("rda.asg")
async def assign(ctx: Context) -> list[Reply]:
    return await begin_on_group(ctx, ASSIGN_FLOW)
