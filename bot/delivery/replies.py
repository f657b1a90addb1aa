"""Immediate replies under the same limits as the outbox, ahead of it, and never lost.

Replies book their slot at once (interactive priority, see limits.py): a broadcast going
out at the global limit delays a reply by about one slot, not by its backlog.

A reply goes out at once when its slot is near (within ``max_hold`` seconds); a short 429
or a transient failure is retried in place a few times. A reply that still cannot go (a
long 429, the platform down) is written to the outbox and delivered by the worker later,
so the member gets it late rather than never. A 403 marks the identity unreachable.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.channels.base import PACE_EXTRA_PART
from bot.delivery.clock import SYSTEM_CLOCK, Clock
from bot.delivery.limits import RateLimiter
from bot.delivery.worker import Sender
from bot.errors import RetryAfter, TransientError, Unreachable
from bot.types import Incoming, Reply, SentMessage
from storage.db import Database
from storage.outbox import Outbox
from storage.roster import Roster

__all__ = ["LimitedSender"]

log = logging.getLogger(__name__)


class LimitedSender:
    def __init__(
        self,
        *,
        sender: Sender,
        platform: str,
        limiter: RateLimiter,
        db: Database,
        clock: Clock = SYSTEM_CLOCK,
        max_hold: float = 5.0,
        tries: int = 3,
        retry_pause: float = 0.5,
    ) -> None:
        self.sender = sender
        self.platform = platform
        self.limiter = limiter
        self.db = db
        self.clock = clock
        self.max_hold = max_hold
        self.tries = tries
        self.retry_pause = retry_pause
        self.queued = 0

    async def send(
        self, chat_id: str, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage | None:
        """The sent message, or None when it was queued in the outbox or the chat is gone."""
        error = "not sent"
        for attempt in range(1, self.tries + 1):
            # Books the slot when it is near: one look at the limits per reply, and no
            # sleep at all while the reply's slot is free (the usual case).
            wait = self.limiter.reserve_within(chat_id, self.max_hold)
            if wait is None:
                error = "rate limit"
                break
            if wait > 0:
                await self.limiter.clock.sleep(wait)  # the limiter's clock, as acquire() did
            try:
                token = PACE_EXTRA_PART.set(self.limiter.acquire)
                try:
                    sent = await self.sender.send(chat_id, reply, in_reply_to=in_reply_to)
                finally:
                    PACE_EXTRA_PART.reset(token)
            except RetryAfter as exc:
                self.limiter.on_retry_after(exc.seconds, chat_id)
                error = f"429 retry after {exc.seconds}"
            except TransientError as exc:
                error = f"transient: {exc}"
                await self.clock.sleep(self.retry_pause * attempt)
            except Unreachable as exc:
                async with self.db.session() as session:
                    await Roster(session).mark_unreachable(self.platform, chat_id, exc.reason)
                return None
            else:
                self.limiter.on_accepted(chat_id)
                return sent
        await self._queue(chat_id, reply, error)
        return None

    async def _queue(self, chat_id: str, reply: Reply, error: str) -> None:
        log.info("reply to %s queued in the outbox: %s", chat_id, error)
        wait = max(0.0, self.limiter.delay(chat_id))
        async with self.db.session() as session:
            await Outbox(session).enqueue(
                platform=self.platform,
                chat_id=chat_id,
                payload=reply.to_json(),
                kind="reply",
                not_before=self.clock.now() + timedelta(seconds=wait),
                document_name=reply.document.file_name if reply.document else None,
                document=reply.document.content if reply.document else None,
            )
        self.queued += 1
