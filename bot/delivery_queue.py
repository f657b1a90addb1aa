"""Putting messages for members into the outbox (the sending side lives in bot/delivery/)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.types import Reply
from storage.outbox import Outbox
from storage.roster import Roster

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
    """One outbox row per reachable identity; ``dedupe_key`` is suffixed per identity."""
    message = reply(member_id) if callable(reply) else reply
    outbox = Outbox(session)
    count = 0
    for identity in await Roster(session).identities_of([member_id]):
        if identity.unreachable_at is not None:
            continue
        key = f"{dedupe_key}:{identity.platform}" if dedupe_key else None
        row = await outbox.enqueue(
            platform=identity.platform,
            chat_id=identity.chat_id,
            member_id=member_id,
            payload=message.to_json(),
            dedupe_key=key,
            kind=kind,
            ref=ref,
            not_before=not_before,
            document_name=message.document.file_name if message.document else None,
            document=message.document.content if message.document else None,
        )
        count += row is not None
    return count
