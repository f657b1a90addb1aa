"""What the notice handlers share: the notice a button names, the signed buttons for this
chat's clerk or member, waking delivery and the scheduler after a change, the secretariat."""

from __future__ import annotations

from functools import partial

from bot.context import Context
from bot.domain.roles import Role, parse_roles
from bot.errors import UserError
from bot.notices.buttons import answer_buttons, status_buttons
from bot.notices.progress import StatusButtons
from bot.notices.service import Buttons
from storage.notices import NoticesRepo
from storage.tables import Member, Notice

__all__ = [
    "after_queuing",
    "answer_buttons_here",
    "member_id",
    "notice_from_args",
    "staff_members",
    "status_buttons_here",
]


def answer_buttons_here(ctx: Context) -> Buttons:
    return answer_buttons(ctx.services.signer, ctx.services.catalogue)


def status_buttons_here(ctx: Context) -> StatusButtons:
    return status_buttons(ctx.services.signer, ctx.services.catalogue)


async def notice_from_args(ctx: Context) -> Notice:
    """The notice a button names; the signature already tied it to this member."""
    if not ctx.args or not ctx.args[0].isdigit():
        raise UserError("core.button_forged")
    return await NoticesRepo(ctx.session).require(int(ctx.args[0]))


def member_id(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


def after_queuing(ctx: Context, *tasks: str) -> None:
    """After the commit: deliver now, and wake the scheduled tasks that follow the change."""
    ctx.after_commit.append(ctx.services.wake_delivery)
    scheduler = ctx.services.extras.get("scheduler")
    if scheduler is not None:
        for name in tasks:
            if name in scheduler.tasks:
                ctx.after_commit.append(partial(scheduler.poke, name))


async def staff_members(ctx: Context) -> list[Member]:
    return [m for m in await ctx.roster.list() if Role.SECRETARIAT in parse_roles(m.roles)]
