"""Delivery: everything the bot sends, within Telegram's limits, through the outbox.

Parts: :class:`RateLimiter` (limits.py) shared by every sender in a process;
:class:`OutboxWorker` (worker.py) for notifications, reminders, broadcasts and deferred
replies; :class:`LimitedSender` (replies.py) for immediate replies; :class:`RetryPolicy`
(backoff.py); :class:`Clock` (clock.py). Platform-neutral: a channel is any object with
``async send(chat_id, reply) -> SentMessage`` raising the errors of :mod:`bot.errors`.

The delivery guarantee, exactly
-------------------------------
* Enqueuing is exactly-once per ``dedupe_key`` (a unique column): planning a reminder
  again after a restart, or resuming a broadcast, adds nothing.
* Each outbox row is delivered **at least once** while its chat is reachable and it has
  attempts left. A row is marked ``sent`` only after the platform accepted it; a row is
  ``dead`` only after an unreachable chat (403), a refusal that retrying cannot fix (400),
  or ``RetryPolicy.max_attempts`` transient failures; ``last_error`` says which.
* A duplicate is possible in exactly one window: the platform accepted the message and the
  process died (or lost the database, or the answer was lost on the network) before
  ``mark_sent`` committed. The row stays ``sending`` and is claimed again once the claim is
  older than ``stale_after`` (2 minutes). Telegram offers no idempotency key to close it.
* Claimed rows that were not yet handed to the platform when a worker stops are handed
  back (due at once), so a restart neither waits for the stale window nor duplicates them.
* Two workers (two processes on PostgreSQL) never hold the same row: claims use
  ``FOR UPDATE SKIP LOCKED`` and move the row to ``sending`` in the same transaction.
  On SQLite a single process delivers.
* Order: within a process, one chat's messages go out in claim order (enqueue order for
  rows due together), and a message waiting for a retry holds back the later ones.
  Across processes order per chat is best effort.
* Limits: every send, outbox or immediate reply, takes a slot from the same limiter
  (global msg/s, per-chat msg/s with a short burst, per-group msg/min). Immediate replies
  (and replies deferred to the outbox) go before outbox sends, which take only the slots
  replies leave. 429 ``retry_after`` pauses the chat; only several chats answered 429 in a
  row pause the whole bot (see limits.py); attempts spent on 429 are refunded.
"""

from __future__ import annotations

from bot.delivery.backoff import RetryPolicy
from bot.delivery.clock import SYSTEM_CLOCK, Clock, SystemClock
from bot.delivery.limits import Limits, RateLimiter
from bot.delivery.replies import LimitedSender
from bot.delivery.worker import DeliveryStats, OutboxWorker, Sender

__all__ = [
    "SYSTEM_CLOCK",
    "Clock",
    "DeliveryStats",
    "LimitedSender",
    "Limits",
    "OutboxWorker",
    "RateLimiter",
    "RetryPolicy",
    "Sender",
    "SystemClock",
]
