"""我的履职: the member's duty record (履职档案) for the current year, scored under the
committee's points rules (bot/record/): each item with its count and points, the total,
the grade, and what the yearly minimum still asks for. Proposals as 第一提案人 and as
联名提案人 are always shown apart.
"""

from __future__ import annotations

import logging

from bot.context import Context
from bot.errors import ConfigError
from bot.record.rules import current_points
from bot.record.service import member_record
from bot.record.view import record_text
from bot.router import Router
from bot.types import Reply

__all__ = ["record_reply", "router"]

log = logging.getLogger(__name__)

router = Router("record")


@router.command("record", "履职", menu="record.menu", order=45)
async def record(ctx: Context) -> Reply:
    return await record_reply(ctx)


async def record_reply(ctx: Context) -> Reply:
    """The member's record this year; also the answer to 我现在积分多少 asked in chat."""
    member = ctx.member
    assert member is not None and member.id is not None
    try:
        rules = current_points(ctx.settings.points_file)
    except ConfigError as exc:
        # The file was edited into a broken state while the bot runs: the clerk finds why
        # in the log; the member is told plainly instead of meeting an internal error.
        log.error("points rules: %s", exc)
        return ctx.reply("record.rules_broken")
    now = ctx.now()
    year = ctx.local(now).year
    found = await member_record(
        ctx.session, member, year, rules=rules, now=now, zone=ctx.settings.zone
    )
    text = record_text(
        ctx.services.catalogue,
        name=member.name,
        year=year,
        rules=rules,
        score=found.score,
        counts=found.facts.counts,
    )
    return Reply(text=text)
