"""Many outbox messages in one statement: reminders fall due by the hundred in one second.

Same meaning as ``bot.delivery_queue.enqueue_for_member`` (one row for the member's address,
the reachable account used last; ``dedupe_key`` suffixed with the platform; a key queued
before, for any of the member's platforms, is a no-op), but one INSERT ... ON
CONFLICT DO NOTHING per batch instead of a select and a savepoint per row, which is what
keeps 500 reminders due in the same second under the 2 s lateness target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.types import Reply
from storage.columns import utcnow
from storage.outbox import Outbox
from storage.roster import Roster, address_of
from storage.tables import Identity, OutboxMessage

__all__ = ["Draft", "enqueue_batch"]


@dataclass(frozen=True, slots=True)
class Draft:
    member_id: int
    reply: Reply
    dedupe_key: str
    kind: str = "notice"
    ref: str = ""
    not_before: datetime | None = None


async def enqueue_batch(session: AsyncSession, drafts: Sequence[Draft]) -> int:
    """Queue every draft for its member's address; returns rows attempted."""
    if not drafts:
        return 0
    identities = await Roster(session).identities_of(sorted({d.member_id for d in drafts}))
    by_member: dict[int, list[Identity]] = {}
    for ident in identities:
        by_member.setdefault(ident.member_id, []).append(ident)
    address: dict[int, tuple[str, str]] = {}
    for member_id, accounts in by_member.items():
        target = address_of(accounts)
        if target is not None and target.unreachable_at is None:
            address[member_id] = (target.platform, target.chat_id)
    # Members on several platforms: a key queued for another platform means queued.
    elsewhere = {
        f"{d.dedupe_key}:{i.platform}": d.dedupe_key
        for d in drafts
        if len(by_member.get(d.member_id, ())) > 1
        for i in by_member[d.member_id]
        if (i.platform, i.chat_id) != address.get(d.member_id)
    }
    done = {elsewhere[k] for k in await Outbox(session).queued_any(list(elsewhere))}
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for d in drafts:
        payload = d.reply.to_json()
        doc = d.reply.document
        if d.dedupe_key in done or d.member_id not in address:
            continue
        platform, chat_id = address[d.member_id]
        rows.append(
            {
                "dedupe_key": f"{d.dedupe_key}:{platform}",
                "member_id": d.member_id,
                "platform": platform,
                "chat_id": chat_id,
                "payload": payload,
                "document_name": doc.file_name if doc else None,
                "document": doc.content if doc else None,
                "kind": d.kind,
                "ref": d.ref,
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": d.not_before or now,
                "created_at": now,
            }
        )
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"])
    await session.exec(stmt, params=rows)
    return len(rows)
