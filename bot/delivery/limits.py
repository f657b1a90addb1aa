"""Telegram's sending limits as one rate limiter shared by every sender in the process.

Each limit is a GCRA token bucket (a "theoretical arrival time" per bucket): a message to a
chat needs a slot in the global bucket (``rate_global_per_second``), the chat's bucket
(``rate_chat_per_second`` with bursts of ``rate_chat_burst``) and, for groups (negative chat
ids), the group bucket (``rate_group_per_minute``, same burst). :meth:`RateLimiter.reserve`
books the earliest instant all of them allow and returns how long to wait for it, so
concurrent senders queue up fairly instead of racing.

A 429 ``retry_after`` pauses its chat. Telegram does not say whether a 429 was about one
chat or the whole bot, so the limiter pauses the whole bot when the 429 names no chat or
when a second chat is told to wait while the first is still paused (that is the bot-wide
flood limit, not one busy chat).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.delivery.clock import SYSTEM_CLOCK, Clock

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["Limits", "RateLimiter"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    global_per_second: float = 30.0
    chat_per_second: float = 1.0
    chat_burst: int = 3
    group_per_minute: int = 20
    global_burst: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            global_per_second=settings.rate_global_per_second,
            chat_per_second=settings.rate_chat_per_second,
            chat_burst=settings.rate_chat_burst,
            group_per_minute=settings.rate_group_per_minute,
        )


class _Bucket:
    """GCRA: a send at ``t`` is allowed when ``t >= tat - tolerance``."""

    __slots__ = ("interval", "tat", "tolerance")

    def __init__(self, *, per_second: float, burst: int) -> None:
        self.interval = 1.0 / per_second
        self.tolerance = (burst - 1) * self.interval
        self.tat = 0.0

    def earliest(self, now: float) -> float:
        return max(now, self.tat - self.tolerance)

    def book(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.interval


class RateLimiter:
    # Forget idle chats once this many are tracked, so a broadcast does not grow memory.
    PRUNE_AT = 10_000

    def __init__(self, limits: Limits | None = None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.limits = limits or Limits()
        self.clock = clock
        self._global = _Bucket(
            per_second=self.limits.global_per_second, burst=self.limits.global_burst
        )
        self._chats: dict[int, _Bucket] = {}
        self._groups: dict[int, _Bucket] = {}
        self._chat_paused: dict[int, float] = {}
        self._all_paused = 0.0

    # booking -----------------------------------------------------------------
    def delay(self, chat_id: int) -> float:
        """Seconds until a message to ``chat_id`` may go, without booking it."""
        now = self.clock.monotonic()
        return self._earliest(chat_id, now) - now

    def reserve(self, chat_id: int) -> float:
        """Book the next slot for ``chat_id``; returns the seconds to wait for it."""
        now = self.clock.monotonic()
        at = self._earliest(chat_id, now)
        for bucket in self._buckets(chat_id):
            bucket.book(at)
        return at - now

    async def acquire(self, chat_id: int) -> None:
        wait = self.reserve(chat_id)
        if wait > 0:
            await self.clock.sleep(wait)

    # 429 ---------------------------------------------------------------------
    def on_retry_after(self, seconds: float, chat_id: int | None) -> bool:
        """Honour a 429; returns True when the whole bot was paused."""
        now = self.clock.monotonic()
        until = now + max(0.0, seconds)
        others_paused = any(other != chat_id and t > now for other, t in self._chat_paused.items())
        if chat_id is not None:
            self._chat_paused[chat_id] = max(self._chat_paused.get(chat_id, 0.0), until)
        if chat_id is None or others_paused:
            self._all_paused = max(self._all_paused, until)
            return True
        return False

    def paused_for(self) -> float:
        """Seconds the whole bot still has to wait (0 when not paused)."""
        return max(0.0, self._all_paused - self.clock.monotonic())

    # internals ---------------------------------------------------------------
    def _earliest(self, chat_id: int, now: float) -> float:
        at = max(now, self._all_paused, self._chat_paused.get(chat_id, 0.0))
        for bucket in self._buckets(chat_id):
            at = max(at, bucket.earliest(now))
        return at

    def _buckets(self, chat_id: int) -> list[_Bucket]:
        if len(self._chats) > self.PRUNE_AT:
            self._prune()
        limits = self.limits
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Bucket(
                per_second=limits.chat_per_second, burst=limits.chat_burst
            )
        buckets = [self._global, chat]
        if chat_id < 0:
            group = self._groups.get(chat_id)
            if group is None:
                group = self._groups[chat_id] = _Bucket(
                    per_second=limits.group_per_minute / 60.0, burst=limits.chat_burst
                )
            buckets.append(group)
        return buckets

    def _prune(self) -> None:
        now = self.clock.monotonic()
        for table in (self._chats, self._groups):
            for chat_id in [c for c, b in table.items() if b.tat < now]:
                del table[chat_id]
        for chat_id in [c for c, t in self._chat_paused.items() if t < now]:
            del self._chat_paused[chat_id]
