"""Running the app on a channel: updates in, replies out, outbox drained."""

from __future__ import annotations

import logging
import os
import socket

from bot.app import App
from bot.channels.base import Channel
from bot.errors import ChannelError, Unreachable
from bot.types import Incoming, OutDocument, Reply
from storage.columns import utcnow
from storage.outbox import Outbox
from storage.roster import Roster

__all__ = ["deliver_due_once", "reply_to", "worker_name"]

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


async def reply_to(app: App, channel: Channel, incoming: Incoming) -> list[Reply]:
    """Handle one update and send its replies (state is committed before the first send)."""
    replies = await app.handle(incoming)
    for reply in replies:
        try:
            await channel.send(incoming.chat_id, reply, in_reply_to=incoming)
        except ChannelError as exc:
            log.warning("reply to %s not delivered: %s", incoming.chat_id, exc)
    return replies


async def deliver_due_once(
    app: App, channel: Channel, *, limit: int = 100, chat_ids: list[int] | None = None
) -> int:
    """Send what the outbox holds for this channel's platform; returns how many were sent.

    A simple single-pass sender for the terminal; Telegram deployments use the rate-limited
    delivery worker, which shares the same outbox rows.
    """
    async with app.db.session() as session:
        rows = await Outbox(session).claim_due(
            platforms=[channel.platform], worker=worker_name(), limit=limit, chat_ids=chat_ids
        )
    sent = 0
    for row in rows:
        document = (
            OutDocument(file_name=row.document_name or "file", content=row.document)
            if row.document is not None
            else None
        )
        reply = Reply.from_json(row.payload, document)
        assert row.id is not None
        try:
            message = await channel.send(row.chat_id, reply)
        except Unreachable as exc:
            async with app.db.session() as session:
                await Roster(session).mark_unreachable(row.platform, row.chat_id, exc.reason)
                await Outbox(session).mark_failed(row.id, error=exc.reason, retry_at=None)
            continue
        except ChannelError as exc:
            async with app.db.session() as session:
                await Outbox(session).mark_failed(row.id, error=str(exc), retry_at=utcnow())
            continue
        async with app.db.session() as session:
            await Outbox(session).mark_sent(row.id, message_id=message.message_id)
        sent += 1
    return sent
