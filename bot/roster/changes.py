"""The secretariat's changes to a member's standing, written once for the CLI and the web
console: retiring a member, and unbinding their platform accounts (each account is told, as
the bot would tell it, through the outbox). Both are audited with who did it."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import catalogue
from bot.types import Reply
from storage.audit import Audit
from storage.columns import utcnow
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import Identity, Member

__all__ = ["retire_member", "unbind_accounts"]


async def retire_member(
    session: AsyncSession, member: Member, *, actor: Member | None = None, actor_label: str = ""
) -> None:
    """Off the roster at once (the record is kept); every later update is refused."""
    member.status, member.retired_at = "retired", utcnow()
    await Roster(session).touch(member)
    await Audit(session).record(
        "members.retire", actor=actor, actor_label=actor_label, target=member.name
    )


async def unbind_accounts(
    session: AsyncSession,
    member: Member,
    *,
    platform: str | None = None,
    actor: Member | None = None,
    actor_label: str = "",
) -> list[Identity]:
    """Unbinds the member's account on ``platform`` (every platform when None); each account
    is told it must verify again. Returns the accounts unbound (none: nothing was audited)."""
    gone = await Roster(session).unbind(member.id or 0, platform=platform)
    if not gone:
        return gone
    notice = Reply(text=catalogue().t("core.unbound_by_secretariat"), remove_keyboard=True)
    for identity in gone:
        await Outbox(session).enqueue(
            platform=identity.platform,
            chat_id=identity.chat_id,
            payload=notice.to_json(),
            dedupe_key=f"unbound:{identity.platform}:{identity.user_id}:{utcnow().isoformat()}",
            kind="security",
        )
    await Audit(session).record(
        "members.unbind",
        actor=actor,
        actor_label=actor_label,
        target=member.name,
        platform=platform or "all",
        accounts=", ".join(f"{i.platform}:{i.user_id}" for i in gone),
    )
    return gone
