"""``/reading_admin``: the groups this person manages (the secretariat: all, and a new one),
and one group's page with what can be done to it; the new-group flow (secretariat)."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Flow, Step
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from handlers.reading.common import group_people, int_arg, me, reading_repo
from handlers.reading.manage import (
    CONFIRM,
    back_button,
    is_staff,
    managed,
    replan_and_wake,
)
from storage.tables import Conversation

__all__ = ["GROUP_FLOW", "router"]

router = Router("reading/admin")


# -- home and group page ----------------------------------------------------------------
@router.command(
    "reading_admin",
    "读书管理",
    menu="reading.menu_staff",
    order=43,
    menu_roles=SECRETARIAT,  # group owners reach it from /reading
)
async def home(ctx: Context) -> Reply:
    """The groups this person manages; the secretariat may also create one."""
    groups = await reading_repo(ctx).groups()
    if not is_staff(ctx):
        groups = [g for g in groups if g.owner_member_id == me(ctx)]
        if not groups:
            return ctx.reply("reading.admin_none")
    rows = [
        (ctx.button(ctx.t("reading.admin_btn_group", name=g.name), "rda.g", g.id or 0),)
        for g in groups
    ]
    if is_staff(ctx):
        rows.append((ctx.button("reading.admin_btn_new", "rda.new"),))
    key = "reading.admin_home" if groups else "reading.admin_home_empty"
    return ctx.reply(key, buttons=rows)


@router.action("rda.home")
async def home_again(ctx: Context) -> Reply:
    return await home(ctx)


@router.action("rda.g")
async def group_page(ctx: Context) -> Reply:
    """One group at a glance, with what can be done to it."""
    group = await managed(ctx, int_arg(ctx))
    gid = group.id or 0
    repo = reading_repo(ctx)
    return ctx.reply(
        "reading.admin_group",
        name=group.name,
        theme=group.theme or "—",
        **await group_people(ctx, group),
        members=len(await repo.memberships(gid)),
        plan=len(await repo.plan(gid)),
        sessions=len(await repo.sessions(gid)),
        buttons=[
            [
                ctx.button("reading.admin_btn_plan", "rda.plan", gid),
                ctx.button("reading.admin_btn_session", "rda.sess", gid),
            ],
            [
                ctx.button("reading.admin_btn_sessions", "rda.sl", gid),
                ctx.button("reading.admin_btn_assign", "rda.asg", gid),
            ],
            [
                ctx.button("reading.admin_btn_report", "rda.rep", gid),
                ctx.button("reading.admin_btn_xlsx", "rda.xlsx", gid),
            ],
        ],
    )


# -- creating a group (secretariat) -------------------------------------------------------
async def _group_name(ctx: Context, data: dict[str, Any], text: str) -> str:
    """A free, valid name (checked again when the group is created)."""
    name = text.strip()
    if len(name) > 64:
        raise UserError("reading.group_name_invalid")
    if await reading_repo(ctx).group_by_name(name) is not None:
        raise UserError("reading.group_exists", name=name)
    return name


async def _person(ctx: Context, data: dict[str, Any], text: str) -> int:
    """A roster member by full name, phone, or a part of the name that only one has."""
    query = text.strip()
    found = await ctx.roster.by_name(query)
    if not found and query.isdigit():
        by_phone = await ctx.roster.by_phone(query)
        found = [by_phone] if by_phone is not None and by_phone.status == "active" else []
    if not found:
        found = await ctx.roster.search(query)
    if not found:
        raise UserError("reading.admin_nobody", name=query)
    if len(found) > 1:
        listed = "、".join(
            ctx.services.catalogue.s("reading.admin_many_item", name=m.name, where=m.sector or "—")
            for m in found[:8]
        )
        raise UserError("reading.admin_many", name=query, names=listed)
    assert found[0].id is not None
    return found[0].id


async def _group_confirm(ctx: Context, data: dict[str, Any]) -> Text:
    """Shows the new group back before it is created."""
    names = await reading_repo(ctx).member_names(
        [data[k] for k in ("owner", "lead", "liaison") if data.get(k)]
    )
    return ctx.t(
        "reading.admin_group_confirm",
        name=data["name"],
        theme=data.get("theme") or "—",
        owner=names.get(data.get("owner") or 0, "—"),
        lead=names.get(data.get("lead") or 0, "—"),
        liaison=names.get(data.get("liaison") or 0, "—"),
    )


async def _create_group(ctx: Context, conversation: Conversation) -> Reply:
    """Creates the group; its owner, lead reader and liaison join it."""
    data = conversation.data
    if data.get("confirm") != "ok":
        return ctx.reply("reading.admin_dropped")
    if not is_staff(ctx):
        raise UserError("core.access_denied")
    repo = reading_repo(ctx)
    group = await repo.create_group(
        name=data["name"],
        theme=data.get("theme") or "",
        owner_member_id=data.get("owner"),
        lead_member_id=data.get("lead"),
        liaison_member_id=data.get("liaison"),
        created_by=f"chat:m{me(ctx)}",
    )
    assert group.id is not None
    people = [data[k] for k in ("owner", "lead", "liaison") if data.get(k)]
    await repo.join_many(group.id, people, via="admin", now=ctx.now())
    await ctx.audit.record("rd.group_add", actor=ctx.member, target=f"reading:g{group.id}")
    await replan_and_wake(ctx, group.id)
    return ctx.reply(
        "reading.admin_group_created", name=group.name, buttons=[back_button(ctx, group.id)]
    )


GROUP_FLOW = router.flow(
    Flow(
        name="reading_group_new",
        title="reading.admin_group_title",
        steps=(
            Step("name", "reading.admin_name_prompt", parse=_group_name, max_chars=64),
            Step("theme", "reading.admin_theme_prompt", optional=True, max_chars=128),
            Step("owner", "reading.admin_owner_prompt", parse=_person, optional=True, max_chars=40),
            Step("lead", "reading.admin_lead_prompt", parse=_person, optional=True, max_chars=40),
            Step(
                "liaison",
                "reading.admin_liaison_prompt",
                parse=_person,
                optional=True,
                max_chars=40,
            ),
            Step("confirm", _group_confirm, choices=CONFIRM),
        ),
        done=_create_group,
        roles=SECRETARIAT,
    )
)


@router.action("rda.new", roles=SECRETARIAT)
async def new_group(ctx: Context) -> list[Reply]:
    return await ctx.begin(GROUP_FLOW)
