"""Putting messages for members into the outbox (the sending side lives in bot/delivery/)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.types import Reply
from storage.outbox import Outbox
from storage.roster import Roster, address_of

__all__ = ["enqueue_for_member"]


async def enqueue_for_member(
    session: AsyncSession,
    member_id: int,
    reply: Reply | Callable[[int], Reply],
    *,
    dedupe_key: str | None = None,
    kind: str = "notice",
    ref: str = "",
    not_before: datetime | None = None,
) -> int:
    """One outbox row, for the member's address: the reachable account they used last
    (storage.roster.address_of); returns 1, or 0 when already queued or unreachable.

    ``dedupe_key`` is suffixed with the platform; a key already queued for another of the
    member's platforms counts too, so a member who switched platforms in between does not
    get the message twice."""
    message = reply(member_id) if callable(reply) else reply
    outbox = Outbox(session)
    identities = await Roster(session).identities_of([member_id])
    target = address_of(identities)
    if target is None or target.unreachable_at is not None:
        return 0
    key = f"{dedupe_key}:{target.platform}" if dedupe_key else None
    if dedupe_key and len(identities) > 1:
        others = [f"{dedupe_key}:{i.platform}" for i in identities if i is not target]
        if await outbox.queued_any(others):
            return 0
    row = await outbox.enqueue(
        platform=target.platform,
        chat_id=target.chat_id,
        member_id=member_id,
        payload=message.to_json(),
        dedupe_key=key,
        kind=kind,
        ref=ref,
        not_before=not_before,
        document_name=message.document.file_name if message.document else None,
        document=message.document.content if message.document else None,
    )
    return int(row is not None)
