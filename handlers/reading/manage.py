"""Who may manage a reading group (the secretariat, or the group's current owner), checked
again on every button and flow step, and what the management flows share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.context import Context
from bot.domain.roles import Role
from bot.errors import UserError
from bot.flows import Choice, Flow
from bot.reading.planner import replan_group
from bot.types import Button, Reply
from handlers.reading.common import int_arg, me, reading_repo
from storage.tables import Conversation, ReadingGroup, ReadingSession

__all__ = [
    "CONFIRM",
    "back_button",
    "begin_on_group",
    "can_manage_any",
    "is_staff",
    "managed",
    "managed_session",
    "on_group",
    "replan_and_wake",
    "start_on_group",
    "wake",
]

CONFIRM = (Choice("ok", "reading.admin_btn_confirm"), Choice("no", "reading.admin_btn_drop"))


def is_staff(ctx: Context) -> bool:
    return ctx.has(Role.SECRETARIAT)


async def managed(ctx: Context, group_id: int) -> ReadingGroup:
    """The group, if the presser may manage it now: secretariat, or its current owner."""
    group = await reading_repo(ctx).group(group_id)
    if group is None or group.archived_at is not None:
        raise UserError("reading.group_gone")
    if not is_staff(ctx) and group.owner_member_id != me(ctx):
        raise UserError("reading.admin_not_owner", name=group.name)
    return group


async def managed_session(ctx: Context, session_id: int) -> tuple[ReadingSession, ReadingGroup]:
    row = await reading_repo(ctx).reading_session(session_id)
    if row is None or row.cancelled_at is not None:
        raise UserError("reading.session_not_found")
    return row, await managed(ctx, row.group_id)


async def can_manage_any(ctx: Context) -> bool:
    """Whether /reading shows the management button."""
    if is_staff(ctx):
        return True
    return any(g.owner_member_id == me(ctx) for g in await reading_repo(ctx).groups())


async def replan_and_wake(ctx: Context, group_id: int) -> None:
    await replan_group(reading_repo(ctx), group_id, now=ctx.now(), zone=ctx.settings.zone)
    wake(ctx)


def wake(ctx: Context) -> None:
    """Wake the reminder task after the commit (the change may bring a reminder forward)."""
    scheduler = ctx.services.extras.get("scheduler")
    if scheduler is not None:
        ctx.after_commit.append(lambda: scheduler.poke("reading"))
    ctx.after_commit.append(ctx.services.wake_delivery)


def back_button(ctx: Context, group_id: int) -> tuple[Button, ...]:
    return (ctx.button("reading.admin_btn_back", "rda.g", group_id),)


# -- flows on one group: shared start and done checks --------------------------------------
async def start_on_group(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    group = await managed(ctx, int(data["group_id"]))
    return {**data, "group": group.name}


def on_group(
    apply: Callable[[Context, ReadingGroup, dict[str, Any]], Awaitable[Reply]],
) -> Callable[[Context, Conversation], Awaitable[Reply]]:
    """A flow's ``done``: confirmed, and the person still manages the group."""

    async def done(ctx: Context, conversation: Conversation) -> Reply:
        data = conversation.data
        if data.get("confirm", "ok") != "ok":
            return ctx.reply(
                "reading.admin_dropped", buttons=[back_button(ctx, int(data["group_id"]))]
            )
        group = await managed(ctx, int(data["group_id"]))
        return await apply(ctx, group, data)

    return done


async def begin_on_group(ctx: Context, flow: Flow) -> list[Reply]:
    group = await managed(ctx, int_arg(ctx))
    return await ctx.begin(flow, {"group_id": group.id})
