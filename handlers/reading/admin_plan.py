"""Adding a reading-plan item (book or chapter, for a period) to a group."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Flow, Step
from bot.reading.period import parse_period
from bot.router import Router
from bot.types import Reply
from handlers.reading.common import reading_repo
from handlers.reading.manage import (
    back_button,
    begin_on_group,
    on_group,
    replan_and_wake,
    start_on_group,
)
from storage.tables import ReadingGroup

__all__ = ["PLAN_FLOW", "router"]

router = Router("reading/admin_plan")


def _book(ctx: Context, data: dict[str, Any], text: str) -> str:
    book = text.strip().strip("《》").strip()
    if not book or len(book) > 128:
        raise UserError("reading.book_invalid")
    return book


def _period(ctx: Context, data: dict[str, Any], text: str) -> list[str]:
    start, end = parse_period(text, today=ctx.local(ctx.now()).date())
    return [start.isoformat(), end.isoformat()]


async def _add_plan(ctx: Context, group: ReadingGroup, data: dict[str, Any]) -> Reply:
    """Adds the book or chapter; members get the nudge when its period starts."""
    start, end = (date.fromisoformat(d) for d in data["period"])
    item = await reading_repo(ctx).add_plan_item(
        group_id=group.id or 0,
        book=data["book"],
        chapter=data.get("chapter") or "",
        starts_on=start,
        ends_on=end,
    )
    await ctx.audit.record(  # the same action as ``committee-bot reading add-plan``
        "rd.plan_add",
        actor=ctx.member,
        target=f"reading:g{group.id}",
        book=item.book,
        chapter=item.chapter,
    )
    await replan_and_wake(ctx, group.id or 0)
    return ctx.reply(
        "reading.cli_plan_added",
        book=item.book,
        chapter=item.chapter,
        start=item.starts_on.isoformat(),
        end=item.ends_on.isoformat(),
        buttons=[back_button(ctx, group.id or 0)],
    )


PLAN_FLOW = router.flow(
    Flow(
        name="reading_plan_add",
        title="reading.admin_plan_title",
        steps=(
            Step("book", "reading.admin_book_prompt", parse=_book, max_chars=130),
            Step("chapter", "reading.admin_chapter_prompt", optional=True, max_chars=128),
            Step("period", "reading.admin_period_prompt", parse=_period, max_chars=60),
        ),
        done=on_group(_add_plan),
        start=start_on_group,
    )
)


@router.action("rda.plan")
async def add_plan(ctx: Context) -> list[Reply]:
    return await begin_on_group(ctx, PLAN_FLOW)
