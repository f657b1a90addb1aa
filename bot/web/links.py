"""One-time console login links, for the CLI and ``/web`` in chat (no web framework here)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.roles import SECRETARIAT, parse_roles
from bot.errors import UserError
from bot.settings import Settings
from storage.audit import Audit
from storage.tables import Member
from storage.web import LOGIN_LINK_TTL, WebAuth

__all__ = ["LINK_MINUTES", "base_url", "issue_login_url"]

LINK_MINUTES = int(LOGIN_LINK_TTL.total_seconds() // 60)


def base_url(settings: Settings, given: str | None = None) -> str:
    """Where the console is reached: the flag, else COMMITTEE_BOT_PUBLIC_URL, else the
    listening address (a desk on the same machine)."""
    if given:
        return given.rstrip("/")
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return f"http://{settings.web_listen or '127.0.0.1:8080'}"


async def issue_login_url(
    session: AsyncSession, member: Member, *, base: str, created_by: str
) -> str:
    """A fresh one-time login URL for a secretariat member; refused for anyone else."""
    if not parse_roles(member.roles) & SECRETARIAT or member.status != "active":
        raise UserError("web.cli_not_staff", name=member.name)
    token = await WebAuth(session).new_login_token(member, created_by=created_by)
    await Audit(session).record(
        "web.login_link", actor_label=created_by, target=f"member:{member.id}", name=member.name
    )
    return f"{base.rstrip('/')}/login/{token}"
