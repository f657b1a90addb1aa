"""Test parts for the delivery service: a clock the test controls and a recording sender."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from bot.types import Incoming, Reply, SentMessage

__all__ = ["ManualClock", "RecordingSender"]


class ManualClock:
    """Virtual time: ``sleep`` jumps the clock to the sleeper's wake-up instant at once.

    Concurrent sleepers each move time to at least their own deadline, so nothing wakes
    early. The wall clock is the real one plus the virtual time passed, so rows enqueued
    with the real ``utcnow()`` are due at once.
    """

    def __init__(self) -> None:
        self._t = 0.0

    def monotonic(self) -> float:
        return self._t

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self._t)

    async def sleep(self, seconds: float) -> None:
        target = self._t + max(0.0, seconds)
        self._t = max(self._t, target)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self._t += seconds


class RecordingSender:
    """A channel that records each accepted message with the virtual time it went out.

    ``fail(chat_id, *errors)`` scripts the next outcomes for that chat, in order. An edit
    of a message it sent (``Reply.edit_message_id``) replaces that message's text in
    ``messages`` and is listed in ``edits``.
    """

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.sent: list[tuple[float, str, str]] = []
        self.attempts: list[str] = []
        self.messages: dict[int, tuple[str, str]] = {}  # message id -> (chat, current text)
        self.edits: list[tuple[int, str]] = []
        self._script: dict[str, list[Exception]] = defaultdict(list)

    def fail(self, chat_id: str, *errors: Exception) -> None:
        self._script[chat_id].extend(errors)

    def texts(self, chat_id: str) -> list[str]:
        return [text for _, chat, text in self.sent if chat == chat_id]

    async def send(
        self, chat_id: str, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage:
        self.attempts.append(chat_id)
        await asyncio.sleep(0)
        if self._script[chat_id]:
            raise self._script[chat_id].pop(0)
        if reply.edit_message_id is not None and reply.edit_message_id in self.messages:
            self.messages[reply.edit_message_id] = (chat_id, str(reply.text))
            self.edits.append((reply.edit_message_id, str(reply.text)))
            return SentMessage(chat_id=chat_id, message_id=reply.edit_message_id)
        self.sent.append((self.clock.monotonic(), chat_id, str(reply.text)))
        self.messages[len(self.sent)] = (chat_id, str(reply.text))
        return SentMessage(chat_id=chat_id, message_id=len(self.sent))
