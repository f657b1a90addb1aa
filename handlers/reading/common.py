"""What the reading handlers share: the repository, the person pressing, a button's plain
ids, the group a member button names, who runs a group, and re-planning a group's reminders."""

from __future__ import annotations

from typing import TypedDict

from bot.context import Context
from bot.errors import UserError
from bot.reading.planner import replan_group
from storage.reading import ReadingRepo
from storage.tables import ReadingGroup, ReadingMembership

__all__ = [
    "GroupPeople",
    "group_people",
    "int_arg",
    "me",
    "member_group",
    "reading_repo",
    "replan",
]


def reading_repo(ctx: Context) -> ReadingRepo:
    return ReadingRepo(ctx.session)


def me(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


def int_arg(ctx: Context, index: int = 0) -> int:
    if len(ctx.args) <= index or not ctx.args[index].isdigit():
        raise UserError("core.button_forged")
    return int(ctx.args[index])


async def member_group(
    ctx: Context, *, member: bool = True
) -> tuple[ReadingGroup, ReadingMembership | None]:
    """The group a member button names; the presser must be in it unless ``member=False``."""
    group = await reading_repo(ctx).group(int_arg(ctx, 0))
    if group is None or group.archived_at is not None:
        raise UserError("core.button_stale")
    membership = await reading_repo(ctx).membership(group.id or 0, me(ctx))
    if member and (membership is None or membership.left_at is not None):
        raise UserError("reading.not_member")
    return group, membership


async def replan(ctx: Context, group_id: int) -> None:
    """Re-plan the group's reminders in this transaction; wake the task after the commit."""
    await replan_group(reading_repo(ctx), group_id, now=ctx.now(), zone=ctx.settings.zone)
    scheduler = ctx.services.extras.get("scheduler")
    if scheduler is not None:
        ctx.after_commit.append(lambda: scheduler.poke("reading"))


class GroupPeople(TypedDict):
    """Who runs a group, by name ("—" where there is none), as a group's page shows them."""

    owner: str
    lead: str
    liaison: str


async def group_people(ctx: Context, group: ReadingGroup) -> GroupPeople:
    ids = (group.owner_member_id, group.lead_member_id, group.liaison_member_id)
    names = await reading_repo(ctx).member_names([i for i in ids if i])
    owner, lead, liaison = (names.get(i or 0, "—") for i in ids)
    return GroupPeople(owner=owner, lead=lead, liaison=liaison)
