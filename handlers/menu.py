"""The member's menu, help and profile; the menu lists only what their roles allow."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.domain.roles import Role
from bot.errors import PayloadError
from bot.flows import Flow, Step, as_replies
from bot.router import ANYONE, Router, allowed
from bot.text import Text
from bot.types import Button, Reply
from storage.audit import Audit
from storage.tables import Conversation

__all__ = ["main_menu", "router"]

router = Router("menu")

_ROLE_KEYS = {
    Role.MEMBER: "core.role_member",
    Role.STANDING: "core.role_standing",
    Role.SECRETARIAT: "core.role_secretariat",
    Role.ADMIN: "core.role_admin",
}


def main_menu(ctx: Context, *, greeting: bool = False) -> Reply:
    """Buttons for every menu command the member may use, two per row."""
    assert ctx.member is not None
    specs = ctx.services.router.menu_commands(ctx.roles)
    buttons = [ctx.button(spec.menu or "", "menu.open", spec.name.lstrip("/")) for spec in specs]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    key = "core.menu_greeting" if greeting else "core.menu_title"
    return Reply(
        text=ctx.t(key, name=ctx.member.name, committee=ctx.settings.committee_name),
        buttons=tuple(rows),
    )


@router.command("menu", "菜单", order=1)
async def menu(ctx: Context) -> Reply:
    """Shows the menu."""
    return main_menu(ctx)


@router.action("menu.open")
async def open_item(ctx: Context) -> list[Reply]:
    """A menu button: runs the command it names, after the same role check."""
    name = "/" + ctx.args[0] if ctx.args else ""
    spec = ctx.services.router.find_command(name)
    if spec is None or not spec.menu:
        raise PayloadError("core.button_stale")
    if not allowed(spec.roles, ctx.roles):
        return [ctx.reply("core.access_denied")]
    ctx.args = ()
    return as_replies(await spec.handler(ctx))


@router.command("help", "帮助", roles=ANYONE, menu="core.menu_help", in_groups=True, order=91)
async def help_(ctx: Context) -> Reply:
    """How to use the bot: for a stranger, how to verify; for a member, the commands."""
    if ctx.member is None:
        # WeCom shares no contact card: a stranger there verifies by invite code only.
        key = "wecom.verify_intro" if ctx.incoming.platform == "wecom" else "core.help_stranger"
        return ctx.reply(key, committee=ctx.settings.committee_name)
    lines = [
        ctx.t("core.help_line", command=spec.name, label=ctx.t(spec.menu or ""))
        for spec in ctx.services.router.menu_commands(ctx.roles)
    ]
    return Reply(text=ctx.t("core.help_member") + Text.join("\n", lines) + ctx.t("core.help_tail"))


@router.command("me", "我的信息", menu="core.menu_me", order=90)
async def me(ctx: Context) -> Reply:
    """Name, 界别, 专委会 and roles as the roster has them; 工作单位 and 通讯地址 the member
    keeps up to date (the phone used for verification only the secretariat changes)."""
    assert ctx.member is not None
    names = [str(ctx.t(_ROLE_KEYS[r])) for r in Role if r in ctx.roles]
    text = ctx.t(
        "core.me",
        name=ctx.member.name,
        sector=ctx.member.sector or "—",
        committee=ctx.member.committee or "—",
        roles="、".join(names),
        phone=_masked(ctx.member.phone),
    ) + ctx.t(
        "profile.details",
        unit=ctx.member.unit or "—",
        address=ctx.member.address or "—",
    )
    return Reply(text=text, buttons=_profile_buttons(ctx))


def _profile_buttons(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    return (tuple(ctx.button(f"profile.btn_{n}", "profile.edit", n) for n in PROFILE_FIELDS),)


# What a member may change about themself, with the roster column's length.
PROFILE_FIELDS = {"unit": 128, "address": 256}


@router.action("profile.edit")
async def edit_profile(ctx: Context) -> list[Reply]:
    """修改工作单位 / 修改通讯地址: asks for the new value."""
    name = ctx.args[0] if ctx.args else ""
    if name not in PROFILE_FIELDS:
        raise PayloadError("core.button_forged")
    return await ctx.begin(PROFILE_FLOWS[name])


def _profile_flow(name: str, limit: int) -> Flow:
    async def done(ctx: Context, conversation: Conversation) -> Reply:
        member = ctx.member
        assert member is not None
        value = " ".join(str(conversation.data[name]).split())
        before = getattr(member, name)
        if value != before:
            setattr(member, name, value)
            ctx.session.add(member)
            await Audit(ctx.session).record(
                f"member.profile_{name}",
                actor=member,
                target=f"member:{member.id}",
                before=before,
                after=value,
            )
        saved = ctx.t("profile.saved", field=ctx.t(f"profile.field_{name}"), value=value)
        return Reply(text=saved, buttons=_profile_buttons(ctx))

    def prompt(ctx: Context, data: dict[str, Any]) -> Text:
        assert ctx.member is not None
        now = getattr(ctx.member, name) or "—"
        return ctx.t(f"profile.ask_{name}", now=now, limit=limit)

    return Flow(
        name=f"profile_{name}",
        title=f"profile.title_{name}",
        steps=(Step(name, prompt, max_chars=limit),),
        done=done,
    )


PROFILE_FLOWS = {name: router.flow(_profile_flow(name, n)) for name, n in PROFILE_FIELDS.items()}


def _masked(phone: str | None) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) == 11 else "—"
