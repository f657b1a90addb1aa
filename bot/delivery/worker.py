"""The outbox worker: claims due rows, sends them within the limits, records each outcome.

Rows are claimed in small batches (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
processes share one outbox without claiming a row twice) and queued per chat. Each chat is
drained by its own task, one message at a time and in claim order, while different chats
go out concurrently (at most ``concurrency`` requests in flight) under one
:class:`~bot.delivery.limits.RateLimiter`, as bulk sends: immediate replies to members go
first and the outbox takes what they leave of the global limit. A chat whose queue is full,
or that is held after a failure, is left out of the next claim, so a slow chat never stalls
the others and a later message does not overtake an earlier one that is waiting for its
retry.

Outcome of one send:

=====================  ==============================================================
sent                   ``mark_sent`` with the platform's message id
RetryAfter (429)       chat paused (the whole bot when several chats are told in a row);
                       row back to the queue at the pause's end without using up an attempt
TransientError, bugs   retried with exponential backoff; ``dead`` after
                       ``RetryPolicy.max_attempts`` tries
Unreachable (403)      identity marked unreachable (the secretariat sees who cannot be
                       reached); this and every other unsent row for the chat ``dead``
other ChannelError     ``dead`` (a 400 would fail the same way again)
=====================  ==============================================================

A row whose slot is further away than ``max_hold`` seconds (a long 429, a crowded group) is
handed back to the table with ``next_attempt_at`` at that slot, so no claim is held long
enough to go stale and be re-sent by another process.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import os
import socket
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from bot.channels.base import PACE_EXTRA_PART
from bot.delivery.backoff import RetryPolicy
from bot.delivery.clock import SYSTEM_CLOCK, Clock
from bot.delivery.limits import RateLimiter
from bot.errors import ChannelError, RetryAfter, TransientError, Unreachable
from bot.types import Incoming, OutDocument, Reply, SentMessage
from storage.db import Database
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import OutboxMessage

__all__ = ["DeliveryStats", "OutboxWorker", "Sender", "reply_of"]

log = logging.getLogger(__name__)


class Sender(Protocol):
    """What the worker needs from a channel."""

    async def send(
        self, chat_id: str, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage: ...


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    unreachable: int = 0
    handed_back: int = 0


class OutboxWorker:
    def __init__(
        self,
        *,
        db: Database,
        senders: Mapping[str, Sender],
        limiter: RateLimiter,
        clock: Clock = SYSTEM_CLOCK,
        policy: RetryPolicy | None = None,
        worker_id: str | None = None,
        capacity: int = 100,
        per_chat_ahead: int = 3,
        concurrency: int = 32,
        max_hold: float = 20.0,
        poll_seconds: float = 1.0,
        stale_after: timedelta = timedelta(minutes=2),
        chats: Sequence[str] | None = None,
    ) -> None:
        """``chats`` limits the worker to those chats (the terminal delivers to its own
        chat only); None delivers to every chat of ``senders``' platforms."""
        self.db = db
        self.senders = dict(senders)
        self.limiter = limiter
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self.capacity = capacity
        self.per_chat_ahead = per_chat_ahead
        self.max_hold = max_hold
        self.poll_seconds = poll_seconds
        self.stale_after = stale_after
        self.chats = list(chats) if chats is not None else None
        self.stats = DeliveryStats()
        self._in_flight = asyncio.Semaphore(concurrency)
        self._queues: dict[tuple[str, str], deque[OutboxMessage]] = {}
        self._tasks: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._held: dict[str, float] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        self._sending: set[int] = set()

    # public ------------------------------------------------------------------
    def wake(self) -> None:
        """Something was enqueued: look at the outbox now instead of at the next poll."""
        self._wake.set()

    async def drain(self, stop: asyncio.Event | None = None) -> DeliveryStats:
        """Deliver everything due now; returns when nothing due is left or in flight
        (or as soon as ``stop`` is set)."""
        stopper = asyncio.ensure_future(stop.wait()) if stop is not None else None
        try:
            while stopper is None or not stopper.done():
                if await self._claim():
                    continue
                if not self._tasks:
                    break
                waits: list[asyncio.Future[Any]] = list(self._tasks.values())
                waits += [stopper] if stopper is not None else []
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if stopper is not None:
                stopper.cancel()
        return self.stats

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; unsent claimed rows are handed back on the way out."""
        try:
            while not stop.is_set():
                await self.drain(stop)
                self._wake.clear()
                wait = await self._idle_seconds()
                stop_wait = asyncio.ensure_future(stop.wait())
                wake_wait = asyncio.ensure_future(self._wake.wait())
                sleeper = asyncio.ensure_future(self.clock.sleep(wait))
                _, pending = await asyncio.wait(
                    [stop_wait, wake_wait, sleeper], return_when=asyncio.FIRST_COMPLETED
                )
                for task in pending:
                    task.cancel()
        finally:
            await self._shutdown()

    # claiming ----------------------------------------------------------------
    async def _claim(self) -> int:
        room = self.capacity - sum(len(q) for q in self._queues.values())
        if room <= 0 or self.limiter.paused_for() > 0:
            return 0
        async with self.db.session() as session:
            rows = await Outbox(session).claim_due(
                platforms=list(self.senders),
                worker=self.worker_id,
                limit=room,
                stale_after=self.stale_after,
                skip_locked=self.db.is_postgres,
                chat_ids=self.chats,
                exclude_chats=self._busy_chats(),
                now=self.clock.now(),
            )
        for row in rows:
            key = (row.platform, row.chat_id)
            queue = self._queues.setdefault(key, deque())
            queue.append(row)
            if key not in self._tasks:
                self._tasks[key] = asyncio.create_task(self._drain_chat(key))
        return len(rows)

    def _busy_chats(self) -> list[str]:
        now = self.clock.monotonic()
        self._held = {chat: until for chat, until in self._held.items() if until > now}
        busy = {chat for (_, chat), q in self._queues.items() if len(q) >= self.per_chat_ahead}
        return sorted(busy | set(self._held))

    async def _idle_seconds(self) -> float:
        async with self.db.session() as session:
            due = await Outbox(session).next_due_at(list(self.senders))
        if due is None:
            return self.poll_seconds
        return min(self.poll_seconds, max(0.0, (due - self.clock.now()).total_seconds()))

    # sending -----------------------------------------------------------------
    async def _drain_chat(self, key: tuple[str, str]) -> None:
        queue = self._queues[key]
        try:
            while queue and not self._stopping:
                row = queue[0]
                wait = self.limiter.delay(row.chat_id)
                if wait > self.max_hold:
                    await self._hand_back(key, wait, "rate limit")
                    break
                # A reply deferred to the outbox keeps a reply's priority; the rest is bulk.
                await self.limiter.acquire(row.chat_id, bulk=row.kind != "reply")
                async with self._in_flight:
                    assert row.id is not None
                    # Stays in _sending if cancelled mid-send: the platform may have it.
                    self._sending.add(row.id)
                    await self._send_one(key, row)
                    self._sending.discard(row.id)
                if queue and queue[0] is row:
                    queue.popleft()
        except Exception:
            # The database failed while recording an outcome. The claimed rows stay
            # ``sending`` and are claimed again once stale: at-least-once, never lost.
            log.exception("delivery to chat %s stopped", key[1])
            queue.clear()
        finally:
            del self._tasks[key]
            if not queue:  # a stopped worker hands the rest back in _shutdown
                del self._queues[key]

    async def _send_one(self, key: tuple[str, str], row: OutboxMessage) -> None:
        assert row.id is not None
        platform, chat_id = key
        try:
            reply = reply_of(row)
        except (KeyError, TypeError, ValueError) as exc:
            await self._record_dead(row, f"unreadable payload: {exc!r}")
            return
        try:
            bulk = row.kind != "reply"
            token = PACE_EXTRA_PART.set(lambda chat: self.limiter.acquire(chat, bulk=bulk))
            try:
                sent = await self.senders[platform].send(chat_id, reply)
            finally:
                PACE_EXTRA_PART.reset(token)
        except RetryAfter as exc:
            self.limiter.on_retry_after(exc.seconds, chat_id)
            self.stats.retried += 1
            await self._hand_back(key, self.limiter.delay(chat_id), "429 retry after")
        except Unreachable as exc:
            await self._record_unreachable(key, exc.reason)
        except ChannelError as exc:
            if isinstance(exc, TransientError):
                await self._record_retry(key, row, f"transient: {exc}")
            else:
                await self._record_dead(row, f"refused: {exc}")
        except Exception as exc:  # a bug in a sender must not stop delivery to everyone
            log.exception("sending outbox row %s failed", row.id)
            await self._record_retry(key, row, f"error: {exc!r}")
        else:
            self.limiter.on_accepted(chat_id)
            async with self.db.session() as session:
                await Outbox(session).mark_sent(row.id, message_id=sent.message_id)
            self.stats.sent += 1

    async def _record_retry(self, key: tuple[str, str], row: OutboxMessage, error: str) -> None:
        assert row.id is not None
        if self.policy.gives_up(row.attempts):
            await self._record_dead(row, error)
            return
        wait = self.policy.delay(row.attempts)
        self.stats.retried += 1
        async with self.db.session() as session:
            await Outbox(session).mark_failed(
                row.id, error=error, retry_at=self.clock.now() + timedelta(seconds=wait)
            )
        self._queues[key].popleft()
        # The rest of the chat waits too, so it does not overtake this message.
        await self._hand_back(key, wait, "waiting for an earlier message")

    async def _record_dead(self, row: OutboxMessage, error: str) -> None:
        assert row.id is not None
        log.warning("outbox row %s given up: %s", row.id, error)
        async with self.db.session() as session:
            await Outbox(session).mark_failed(row.id, error=error, retry_at=None)
        self.stats.dead += 1

    async def _record_unreachable(self, key: tuple[str, str], reason: str) -> None:
        platform, chat_id = key
        async with self.db.session() as session:
            await Roster(session).mark_unreachable(platform, chat_id, reason)
            dropped = await Outbox(session).abandon_chat(
                platform, chat_id, error=f"unreachable: {reason}"
            )
        self.stats.unreachable += 1
        self.stats.dead += dropped
        self._queues[key].clear()

    async def _hand_back(self, key: tuple[str, str], wait: float, why: str) -> None:
        """Return the chat's queued rows to the table, due when its next slot opens."""
        queue = self._queues[key]
        self._held[key[1]] = self.clock.monotonic() + wait
        retry_at = self.clock.now() + timedelta(seconds=wait)
        async with self.db.session() as session:
            outbox = Outbox(session)
            for row in queue:
                assert row.id is not None
                await outbox.mark_failed(row.id, error=why, retry_at=retry_at, refund=True)
        self.stats.handed_back += len(queue)
        queue.clear()

    async def _shutdown(self, grace_seconds: float = 10.0) -> None:
        """Let sends under way finish, then hand every unsent claimed row back as due now.

        A send still unanswered after the grace stays ``sending``: Telegram may have
        accepted it, so it is re-sent only once its claim goes stale (at-least-once).
        """
        self._stopping = True
        sending: list[asyncio.Task[None]] = []
        waiting: list[asyncio.Task[None]] = []
        for key, task in self._tasks.items():
            head = self._queues[key][0] if self._queues.get(key) else None
            (sending if head is not None and head.id in self._sending else waiting).append(task)
        for task in waiting:
            task.cancel()
        if sending:
            _, late = await asyncio.wait(sending, timeout=grace_seconds)
            for task in late:
                task.cancel()
        await asyncio.gather(*sending, *waiting, return_exceptions=True)
        unsent = [
            row
            for queue in self._queues.values()
            for row in queue
            if row.id is not None and row.id not in self._sending
        ]
        self._queues.clear()
        if unsent:
            async with self.db.session() as session:
                outbox = Outbox(session)
                for row in unsent:
                    assert row.id is not None
                    await outbox.mark_failed(
                        row.id, error="worker stopped", retry_at=self.clock.now(), refund=True
                    )


def reply_of(row: OutboxMessage) -> Reply:
    """The reply a queued row delivers, its document included."""
    document = None
    if row.document is not None:
        name = row.document_name or "file"
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        document = OutDocument(file_name=name, content=row.document, mime_type=mime)
    return Reply.from_json(row.payload, document=document)
