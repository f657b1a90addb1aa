"""The member's menu, help and profile; the menu lists only what their roles allow."""

from __future__ import annotations

from bot.context import Context
from bot.domain.roles import Role
from bot.errors import PayloadError
from bot.flows import as_replies
from bot.router import ANYONE, Router, allowed
from bot.text import Text
from bot.types import Reply

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
        return ctx.reply("core.help_stranger", committee=ctx.settings.committee_name)
    lines = [
        ctx.t("core.help_line", command=spec.name, label=ctx.t(spec.menu or ""))
        for spec in ctx.services.router.menu_commands(ctx.roles)
    ]
    return Reply(text=ctx.t("core.help_member") + Text.join("\n", lines) + ctx.t("core.help_tail"))


@router.command("me", "我的信息", menu="core.menu_me", order=90)
async def me(ctx: Context) -> Reply:
    """Name, 界别, 专委会 and roles as the roster has them."""
    assert ctx.member is not None
    names = [str(ctx.t(_ROLE_KEYS[r])) for r in Role if r in ctx.roles]
    return ctx.reply(
        "core.me",
        name=ctx.member.name,
        sector=ctx.member.sector or "—",
        committee=ctx.member.committee or "—",
        roles="、".join(names),
        phone=_masked(ctx.member.phone),
    )


def _masked(phone: str | None) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) == 11 else "—"
