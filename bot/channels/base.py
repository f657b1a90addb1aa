"""The channel contract: how a messaging platform plugs into the core.

A channel turns platform updates into ``Incoming`` and hands them to ``on_update``; it
turns ``Reply`` into platform calls in ``send``. Like an httpx transport it is small:
``start``/``stop`` (or ``async with``), ``send``. Each adapter translates its library's
exceptions into ``bot.errors`` (RetryAfter, Unreachable, TransientError) in one place.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from types import TracebackType

from bot.text import Markup
from bot.types import Incoming, Reply, SentMessage

__all__ = ["PACE_EXTRA_PART", "Channel", "UpdateHandler"]

UpdateHandler = Callable[[Incoming], Awaitable[None]]

#: Set by the delivery layer around ``send``: awaited before each further message of a
#: reply that the platform's length limit splits, so every message it makes is paced by the
#: rate limiter, not just the first. Unset (tests, the terminal): parts go at once.
PACE_EXTRA_PART: ContextVar[Callable[[str], Awaitable[None]] | None] = ContextVar(
    "pace_extra_part", default=None
)


class Channel(abc.ABC):
    #: the ``platform`` value of the updates it produces and the identities it reaches
    platform: str
    #: how ``Text`` is rendered for it
    markup: Markup

    @abc.abstractmethod
    async def start(self, on_update: UpdateHandler) -> None:
        """Begin receiving updates; returns once receiving runs in the background."""

    @abc.abstractmethod
    async def stop(self) -> None:
        """Stop receiving and release connections."""

    @abc.abstractmethod
    async def send(
        self, chat_id: str, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage:
        """Deliver one reply. ``in_reply_to`` lets an edit target the pressed message."""

    async def __aenter__(self) -> Channel:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
