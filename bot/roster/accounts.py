"""Members the roster already names on a platform: recognised on their first message.

The roster's 企业微信账号 column gives a member's WeCom userid. The first time that account
writes to the bot, it is bound to the member (``verified_via="roster"``) without a code:
the secretariat vouched for it. ``bot.app`` calls this for every update from an unknown
account on such a platform; a channel may call it too (it is idempotent).
"""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.visible_text import visible_text
from storage.audit import Audit
from storage.roster import Roster
from storage.tables import Member

__all__ = ["ROSTER_PLATFORMS", "bind_by_platform_account"]

log = logging.getLogger(__name__)

# Platforms whose account ids the roster can list (a column of the roster file each).
ROSTER_PLATFORMS = frozenset({"wecom"})


async def bind_by_platform_account(
    session: AsyncSession,
    *,
    platform: str,
    user_id: str,
    chat_id: str,
    display_name: str = "",
) -> Member | None:
    """The active member this account belongs to, bound now if the roster names it;
    None when neither a binding nor the roster knows the account."""
    roster = Roster(session)
    bound = await roster.identity(platform, user_id)
    if bound is not None:
        return await roster.get(bound.member_id)
    if platform not in ROSTER_PLATFORMS:
        return None
    member = await roster.by_platform_account(platform, user_id)
    if member is None or member.status != "active":
        return None
    await roster.bind(
        member,
        platform=platform,
        user_id=user_id,
        chat_id=chat_id,
        via="roster",
        display_name=visible_text(display_name),
    )
    await Audit(session).record(
        "member.verified", actor=member, target=platform, via="roster", user_id=user_id
    )
    log.info("member %s recognised by the roster's %s account", member.id, platform)
    return member
