"""``/web``: a secretariat member gets a one-time login link to the web console in chat
(the same link ``committee-bot web login-link`` prints). Private chats only."""

from __future__ import annotations

from bot.context import Context
from bot.router import SECRETARIAT, Router
from bot.types import Reply
from bot.web.links import LINK_MINUTES, base_url, issue_login_url

__all__ = ["router"]

router = Router("web")


@router.command("web", "工作台", roles=SECRETARIAT, menu="web.menu", order=90)
async def web_link(ctx: Context) -> Reply:
    """Sends a fresh login link, valid 15 minutes, spent on first use."""
    assert ctx.member is not None
    url = await issue_login_url(
        ctx.session,
        ctx.member,
        base=base_url(ctx.settings),
        created_by=f"chat:{ctx.member.name}",
    )
    return ctx.reply("web.chat_link", minutes=LINK_MINUTES, url=url)
