"""Repository for the outbox: enqueue, claim due rows, record the outcome.

Guarantee: a row is marked ``sent`` only after the platform accepted it. A process that dies
between the platform's acceptance and that mark leaves the row ``sending``; a later claim
re-sends it once its claim has gone stale. So delivery is at-least-once per row with a
duplicate possible only in that window (Telegram offers no idempotency key to close it),
and exactly-once enqueuing per ``dedupe_key``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.tables import OutboxMessage

__all__ = ["FILE_LINK", "FILE_LINK_TTL", "Outbox"]

# A document a member fetches by signed link (bot/web/files.py) is kept as an outbox row of
# this kind and ref, already ``sent``; the link lives this long from ``sent_at``. Both are
# here, not in bot/web, so the daily pruning needs no aiohttp.
FILE_LINK = "file_link"
FILE_LINK_TTL = timedelta(hours=24)


class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        platform: str,
        chat_id: str,
        payload: dict[str, Any],
        member_id: int | None = None,
        dedupe_key: str | None = None,
        kind: str = "notice",
        ref: str = "",
        not_before: datetime | None = None,
        document_name: str | None = None,
        document: bytes | None = None,
    ) -> OutboxMessage | None:
        """Add a message; None when ``dedupe_key`` was already enqueued."""
        row = OutboxMessage(
            platform=platform,
            chat_id=chat_id,
            payload=payload,
            member_id=member_id,
            dedupe_key=dedupe_key,
            kind=kind,
            ref=ref,
            next_attempt_at=not_before or utcnow(),
            document_name=document_name,
            document=document,
        )
        if dedupe_key is not None:
            existing = (
                await self.session.exec(
                    select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
                )
            ).first()
            if existing is not None:
                return None
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        return row

    async def queued_any(self, dedupe_keys: Sequence[str]) -> list[str]:
        """Those of ``dedupe_keys`` already in the outbox."""
        if not dedupe_keys:
            return []
        stmt = select(OutboxMessage.dedupe_key).where(
            col(OutboxMessage.dedupe_key).in_(list(dedupe_keys))
        )
        return [key for key in await self.session.exec(stmt) if key is not None]

    async def claim_due(
        self,
        *,
        platforms: Sequence[str],
        worker: str,
        limit: int,
        stale_after: timedelta = timedelta(minutes=2),
        skip_locked: bool = False,
        chat_ids: Sequence[str] | None = None,
        exclude_chats: Sequence[str] = (),
        now: datetime | None = None,
    ) -> list[OutboxMessage]:
        """Mark up to ``limit`` due rows as ``sending`` by ``worker`` and return them.

        ``exclude_chats`` leaves alone chats the caller is still busy with (keeps per-chat
        order); ``now`` lets a test clock decide what is due.
        """
        now = now or utcnow()
        due = or_(
            col(OutboxMessage.state).in_(["pending", "failed"]),
            and_(
                col(OutboxMessage.state) == "sending",
                col(OutboxMessage.claimed_at) < now - stale_after,
            ),
        )
        stmt = (
            select(OutboxMessage)
            .where(col(OutboxMessage.platform).in_(list(platforms)), due)
            .where(col(OutboxMessage.next_attempt_at) <= now)
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
        )
        if chat_ids is not None:
            stmt = stmt.where(col(OutboxMessage.chat_id).in_(list(chat_ids)))
        if exclude_chats:
            stmt = stmt.where(col(OutboxMessage.chat_id).not_in(list(exclude_chats)))
        if skip_locked:
            stmt = stmt.with_for_update(skip_locked=True)
        rows = list(await self.session.exec(stmt))
        for row in rows:
            row.state = "sending"
            row.claimed_by = worker
            row.claimed_at = now
            row.attempts += 1
            self.session.add(row)
        await self.session.flush()
        return rows

    async def mark_sent(self, row_id: int, *, message_id: int | None) -> None:
        await self.session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row_id)
            .values(state="sent", sent_at=utcnow(), message_id=message_id, last_error=None)
        )

    async def mark_failed(
        self, row_id: int, *, error: str, retry_at: datetime | None, refund: bool = False
    ) -> None:
        """``retry_at`` None makes the row dead; ``refund`` gives back the claim's attempt
        (a 429 or a row handed back unsent is not a failed try)."""
        values: dict[str, Any] = {"last_error": error[:255]}
        if refund:
            values["attempts"] = OutboxMessage.attempts - 1
        if retry_at is None:
            values["state"] = "dead"
        else:
            values.update(state="failed", next_attempt_at=retry_at)
        await self.session.exec(
            update(OutboxMessage).where(col(OutboxMessage.id) == row_id).values(**values)
        )

    async def abandon_chat(self, platform: str, chat_id: str, *, error: str) -> int:
        """Mark every unsent row for a chat dead (the member blocked the bot)."""
        result = await self.session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.platform) == platform,
                col(OutboxMessage.chat_id) == chat_id,
                col(OutboxMessage.state).in_(["pending", "failed", "sending"]),
            )
            .values(state="dead", last_error=error[:255])
        )
        return int(result.rowcount or 0)

    async def counts(self, ref: str) -> dict[str, int]:
        stmt = (
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.ref == ref)
            .group_by(OutboxMessage.state)
        )
        return {state: int(n) for state, n in await self.session.exec(stmt)}

    async def next_due_at(self, platforms: Sequence[str]) -> datetime | None:
        stmt = select(func.min(OutboxMessage.next_attempt_at)).where(
            col(OutboxMessage.platform).in_(list(platforms)),
            col(OutboxMessage.state).in_(["pending", "failed"]),
        )
        return (await self.session.exec(stmt)).one()

    async def forget_file_links(self, sent_before: datetime) -> int:
        """Delete stored link documents published before ``sent_before``; returns how many.

        Their links are long dead (410), and each row holds a whole DOCX/XLSX."""
        result = await self.session.exec(
            delete(OutboxMessage).where(
                col(OutboxMessage.ref) == FILE_LINK,  # indexed; ``kind`` alone is not
                col(OutboxMessage.kind) == FILE_LINK,
                col(OutboxMessage.sent_at) < sent_before,
            )
        )
        return int(result.rowcount or 0)
