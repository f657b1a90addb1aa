"""Telegram's sending limits as one rate limiter shared by every sender in the process.

Each limit is a GCRA token bucket (a "theoretical arrival time" per bucket): a message to a
chat needs a slot in the global bucket (``rate_global_per_second``), the chat's bucket
(``rate_chat_per_second`` with bursts of ``rate_chat_burst``) and, for groups (negative chat
ids), the group bucket (``rate_group_per_minute``, same burst).

Two kinds of sender share the global bucket, and replies come first:

* an interactive send (the answer to a member's message or button) books the earliest
  instant all buckets allow at once (:meth:`RateLimiter.reserve`) and waits for it;
* a bulk send (the outbox: broadcasts, reminders) never books ahead. It waits for its own
  chat's limits, then queues for the global bucket, and a single pump hands out each global
  slot only when that slot is due now. So the global bucket is never booked more than one
  slot ahead by bulk sends, a reply waits at most about one slot (1/30 s) however long the
  broadcast, and the broadcast gets whatever the replies leave of the limit.

A 429 ``retry_after`` pauses its chat. Telegram's answer does not say whether the chat's
limit or the bot's was hit. The bot-wide limit answers every send with 429, so when
``BOT_WIDE_CHATS`` different chats are told to wait in a row (no send accepted in between)
within ``BOT_WIDE_WINDOW`` seconds, or the 429 names no chat, the whole bot is paused.
One busy chat among many, or a scattering of per-chat 429s during a broadcast, pauses only
the chats concerned, and a send refused that way gives its global slot back.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
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
    def unthrottled(cls) -> Limits:
        """For a channel without platform limits (the terminal): no send ever waits."""
        return cls(
            global_per_second=math.inf,
            chat_per_second=math.inf,
            chat_burst=1,
            group_per_minute=10**12,
            global_burst=1,
        )

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

    def refund(self, now: float) -> None:
        self.tat = max(now, self.tat - self.interval)


class RateLimiter:
    # Forget idle chats once this many are tracked, so a broadcast does not grow memory.
    PRUNE_AT = 10_000
    # The bot-wide limit: this many different chats answered 429 in a row within the window.
    BOT_WIDE_CHATS = 3
    BOT_WIDE_WINDOW = 1.0

    def __init__(self, limits: Limits | None = None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.limits = limits or Limits()
        self.clock = clock
        self._global = _Bucket(
            per_second=self.limits.global_per_second, burst=self.limits.global_burst
        )
        self._chats: dict[str, _Bucket] = {}
        self._groups: dict[str, _Bucket] = {}
        self._chat_paused: dict[str, float] = {}
        self._all_paused = 0.0
        # 429s since the last accepted send: (when, chat, paused until).
        self._refusals: deque[tuple[float, str, float]] = deque()
        # Bulk sends waiting for a global slot, in arrival order; True = booked, go.
        self._bulk: deque[tuple[str, asyncio.Future[bool]]] = deque()
        self._pump: asyncio.Task[None] | None = None

    # booking -----------------------------------------------------------------
    def delay(self, chat_id: str) -> float:
        """Seconds until a message to ``chat_id`` may go, without booking it."""
        now = self.clock.monotonic()
        return self._earliest(chat_id, now) - now

    def reserve(self, chat_id: str) -> float:
        """Book the next slot for ``chat_id``; returns the seconds to wait for it."""
        wait = self.reserve_within(chat_id, math.inf)
        assert wait is not None
        return wait

    def reserve_within(self, chat_id: str, max_wait: float) -> float | None:
        """Book the next slot for ``chat_id`` when it is at most ``max_wait`` seconds away
        and return the seconds to wait for it; None (nothing booked) when it is further.

        What a reply does for every message (``delay`` then ``reserve``), in one pass over
        the buckets: no coroutine, task or future when the slot is free now."""
        now = self.clock.monotonic()
        buckets = self._buckets(chat_id)
        at = max(now, self._chat_paused.get(chat_id, 0.0), self._all_paused)
        for bucket in buckets:
            at = max(at, bucket.earliest(now))
        if at - now > max_wait:
            return None
        for bucket in buckets:
            bucket.book(at)
        return at - now

    async def acquire(self, chat_id: str, *, bulk: bool = False) -> None:
        """Wait for a slot to ``chat_id``: at once for a reply, behind replies for ``bulk``."""
        if not bulk:
            wait = self.reserve(chat_id)
            if wait > 0:
                await self.clock.sleep(wait)
            return
        while True:
            # The chat's own limits and pauses concern only this sender: wait them out here.
            now = self.clock.monotonic()
            wait = self._chat_earliest(chat_id, now) - now
            if wait > 0:
                await self.clock.sleep(wait)
                continue
            granted: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            self._bulk.append((chat_id, granted))
            if self._pump is None or self._pump.done():
                self._pump = asyncio.create_task(self._hand_out_bulk_slots())
            try:
                if await granted:
                    return
            except asyncio.CancelledError:
                if not any(not waiting.done() for _, waiting in self._bulk):
                    self._stop_pump()  # nobody left to hand slots to (a worker stopping)
                raise
            # A reply to the same chat took its slot meanwhile: wait for the chat again.

    async def _hand_out_bulk_slots(self) -> None:
        """Give each global slot, once it is due, to the longest-waiting bulk send."""
        while self._bulk:
            if self._bulk[0][1].done():  # its sender was cancelled
                self._bulk.popleft()
                continue
            now = self.clock.monotonic()
            at = max(self._all_paused, self._global.earliest(now))
            if at > now:
                await self.clock.sleep(at - now)  # replies booked meanwhile push it further
                continue
            chat_id, granted = self._bulk.popleft()
            if self._chat_earliest(chat_id, now) > now:
                granted.set_result(False)
                continue
            for bucket in self._buckets(chat_id):
                bucket.book(now)
            granted.set_result(True)

    def _stop_pump(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            self._pump = None

    # 429 ---------------------------------------------------------------------
    def on_retry_after(self, seconds: float, chat_id: str | None) -> bool:
        """Honour a 429: pause the chat, or the whole bot when the 429s show the bot-wide
        limit; returns True when the whole bot was paused."""
        now = self.clock.monotonic()
        until = now + max(0.0, seconds)
        if chat_id is None:
            self._all_paused = max(self._all_paused, until)
            return True
        self._chat_paused[chat_id] = max(self._chat_paused.get(chat_id, 0.0), until)
        refusals = self._refusals
        refusals.append((now, chat_id, until))
        while refusals and refusals[0][0] < now - self.BOT_WIDE_WINDOW:
            refusals.popleft()
        if len({chat for _, chat, _ in refusals}) < self.BOT_WIDE_CHATS:
            # Refused by the chat's limit, the message was not sent: its slot of the
            # global limit goes to the next message (with 10% of a broadcast's sends
            # refused, keeping those slots cost a tenth of the rate).
            self._global.refund(now)
            return False
        self._all_paused = max(self._all_paused, *(u for _, _, u in refusals))
        refusals.clear()
        return True

    def on_accepted(self, chat_id: str) -> None:
        """A send went through, so the bot as a whole is not over its limit: the 429s
        before it were about their own chats."""
        self._refusals.clear()

    def paused_for(self) -> float:
        """Seconds the whole bot still has to wait (0 when not paused)."""
        return max(0.0, self._all_paused - self.clock.monotonic())

    # internals ---------------------------------------------------------------
    def _earliest(self, chat_id: str, now: float) -> float:
        return max(self._chat_earliest(chat_id, now), self._all_paused, self._global.earliest(now))

    def _chat_earliest(self, chat_id: str, now: float) -> float:
        """The earliest instant the chat's own limits and pause allow (not the global ones)."""
        at = max(now, self._chat_paused.get(chat_id, 0.0))
        for bucket in self._buckets(chat_id)[1:]:
            at = max(at, bucket.earliest(now))
        return at

    def _buckets(self, chat_id: str) -> list[_Bucket]:
        """The global bucket first, then the chat's own (and its group's)."""
        if len(self._chats) > self.PRUNE_AT:
            self._prune()
        limits = self.limits
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Bucket(
                per_second=limits.chat_per_second, burst=limits.chat_burst
            )
        buckets = [self._global, chat]
        if chat_id.startswith("-"):  # a Telegram group (negative id)
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
