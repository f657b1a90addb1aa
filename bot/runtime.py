"""Running the app on a channel without a service of its own (the terminal): updates in,
replies out, the outbox delivered by the same :class:`~bot.delivery.OutboxWorker` that
serves Telegram, one pass at a time and without platform limits."""

from __future__ import annotations

import logging
import os
import socket

from bot.app import App
from bot.channels.base import Channel
from bot.delivery.limits import Limits, RateLimiter
from bot.delivery.worker import OutboxWorker
from bot.errors import ChannelError
from bot.types import Incoming, Reply

__all__ = ["deliver_due_once", "reply_to", "terminal_worker", "worker_name"]

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


def terminal_worker(
    app: App, channel: Channel, *, chat_ids: list[str] | None = None, limit: int = 100
) -> OutboxWorker:
    """The outbox worker for a channel without sending limits, for ``chat_ids`` only."""
    return OutboxWorker(
        db=app.db,
        senders={channel.platform: channel},
        limiter=RateLimiter(Limits.unthrottled()),
        worker_id=worker_name(),
        capacity=limit,
        chats=chat_ids,
    )


async def deliver_due_once(
    app: App, channel: Channel, *, limit: int = 100, chat_ids: list[str] | None = None
) -> int:
    """Send what the outbox holds now for this channel's platform (and ``chat_ids``);
    returns how many were sent. Failures are recorded as the worker records them."""
    worker = terminal_worker(app, channel, chat_ids=chat_ids, limit=limit)
    return (await worker.drain()).sent
