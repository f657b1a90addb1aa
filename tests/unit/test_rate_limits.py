"""The limiter books slots that respect every Telegram limit at once."""

from __future__ import annotations

import asyncio

import pytest

from bot.delivery import Limits, RateLimiter, RetryPolicy
from bot.settings import Settings
from tests.support.delivery import ManualClock


def book(limiter: RateLimiter, clock: ManualClock, chat_ids: list[int]) -> list[float]:
    """Book each send in turn and return the instants they are allowed to go."""
    return [round(clock.monotonic() + limiter.reserve(str(chat)), 3) for chat in chat_ids]


def test_one_chat_gets_a_short_burst_then_one_per_second() -> None:
    clock = ManualClock()
    limiter = RateLimiter(Limits(chat_burst=3), clock=clock)
    assert book(limiter, clock, [5] * 6) == [0, 0, 0, 1, 2, 3]


def test_global_limit_spreads_a_broadcast_over_time() -> None:
    clock = ManualClock()
    limiter = RateLimiter(Limits(global_per_second=30, global_burst=1), clock=clock)
    times = book(limiter, clock, list(range(1, 91)))
    assert times[-1] == round(89 / 30, 3)
    # never more than 30 sends inside any one-second window
    assert all(times[i + 30] - times[i] >= 1 - 1e-6 for i in range(len(times) - 30))


def test_groups_also_get_twenty_per_minute() -> None:
    clock = ManualClock()
    limiter = RateLimiter(Limits(group_per_minute=20, chat_burst=3), clock=clock)
    times = book(limiter, clock, [-100] * 23)
    assert times[:3] == [0, 0, 0]
    assert times[3] == 3.0  # 60 s / 20, not the 1 s of a private chat
    assert sum(1 for t in times if t < 60) <= 23


def test_settings_drive_the_limits() -> None:
    settings = Settings(rate_global_per_second=10, rate_chat_per_second=2, rate_chat_burst=1)
    limits = Limits.from_settings(settings)
    assert (limits.global_per_second, limits.chat_per_second, limits.chat_burst) == (10, 2, 1)
    clock = ManualClock()
    assert book(RateLimiter(limits, clock=clock), clock, [1, 1, 1]) == [0, 0.5, 1.0]


def test_retry_after_pauses_the_chat_only() -> None:
    clock = ManualClock()
    limiter = RateLimiter(clock=clock)
    assert limiter.on_retry_after(7, "5") is False
    assert limiter.delay("5") == 7
    assert limiter.delay("6") == 0
    assert limiter.paused_for() == 0


def test_scattered_429s_during_a_broadcast_pause_only_their_chats() -> None:
    """Per-chat 429s from different chats, with sends accepted in between (10% of a
    broadcast's chats told to wait): each chat waits, the bot goes on."""
    clock = ManualClock()
    limiter = RateLimiter(clock=clock)
    for chat in (5, 6, 8, 9):
        assert limiter.on_retry_after(3, str(chat)) is False
        limiter.on_accepted(str(100 + chat))
        clock.advance(0.1)
    assert limiter.paused_for() == 0 and limiter.delay("7") == 0
    assert limiter.delay("9") > 2.8  # the chats told to wait still wait
    # two chats in a row are not yet the pattern of the bot-wide limit
    assert limiter.on_retry_after(3, "10") is False and limiter.on_retry_after(3, "11") is False
    assert limiter.paused_for() == 0


def test_a_send_refused_by_its_chats_limit_gives_its_global_slot_back() -> None:
    clock = ManualClock()
    limiter = RateLimiter(Limits(global_per_second=10, global_burst=1), clock=clock)
    assert book(limiter, clock, [1, 2, 3]) == [0, 0.1, 0.2]
    limiter.on_retry_after(5, "2")  # the message to chat 2 was not sent
    assert book(limiter, clock, [4, 5]) == [0.2, 0.3]


def test_three_chats_answered_429_in_a_row_pause_the_bot() -> None:
    clock = ManualClock()
    limiter = RateLimiter(clock=clock)
    assert limiter.on_retry_after(2, "5") is False
    clock.advance(0.2)
    assert limiter.on_retry_after(4, "6") is False
    clock.advance(0.2)
    assert limiter.on_retry_after(3, "7") is True
    assert limiter.paused_for() == pytest.approx(3.8)  # until the longest of the three
    assert limiter.delay("99") == pytest.approx(3.8) == limiter.delay("5")
    clock.advance(4)
    assert limiter.paused_for() == 0 and limiter.delay("99") == 0


def test_429s_spread_over_more_than_a_second_or_from_one_chat_pause_only_the_chat() -> None:
    clock = ManualClock()
    limiter = RateLimiter(clock=clock)
    for chat in (5, 6, 7):  # three chats in a row, but 0.6 s apart
        assert limiter.on_retry_after(1, str(chat)) is False
        clock.advance(0.6)
    for _ in range(5):  # one chat told again and again
        assert limiter.on_retry_after(1, "8") is False
    assert limiter.paused_for() == 0


def test_a_429_naming_no_chat_pauses_the_bot() -> None:
    clock = ManualClock()
    limiter = RateLimiter(clock=clock)
    assert limiter.on_retry_after(2, None) is True and limiter.delay("8") == 2


async def test_a_reply_waits_one_slot_not_behind_the_broadcast() -> None:
    """300 bulk sends queued at 30 msg/s: a reply booked meanwhile goes within one slot,
    and the broadcast keeps to the limit, taking the slots around it."""
    clock = ManualClock()
    limiter = RateLimiter(Limits(global_per_second=30), clock=clock)
    granted: list[float] = []

    async def bulk(chat: int) -> None:
        await limiter.acquire(str(chat), bulk=True)
        granted.append(clock.monotonic())

    tasks = [asyncio.create_task(bulk(1000 + i)) for i in range(300)]
    for _ in range(100_000):  # until the broadcast is a second under way
        if len(granted) >= 30:
            break
        await asyncio.sleep(0)
    assert len(granted) == 30
    asked = clock.monotonic()
    wait = limiter.reserve("42")
    assert wait <= 1 / 30 + 1e-9
    await asyncio.gather(*tasks)
    reply_at = asked + wait
    everything = sorted([*granted, reply_at])
    assert all(everything[i + 33] - everything[i] >= 1 - 1e-6 for i in range(len(everything) - 33))
    assert granted[-1] <= 301 / 30 + 0.1  # the reply cost the broadcast one slot


async def test_a_bulk_send_waits_for_its_chat_and_a_bot_wide_pause() -> None:
    clock = ManualClock()
    limiter = RateLimiter(Limits(chat_burst=1), clock=clock)
    await limiter.acquire("5")  # a reply to chat 5 just went
    await limiter.acquire("5", bulk=True)
    assert clock.monotonic() == 1.0  # one a second to one chat
    limiter.on_retry_after(4, None)
    await limiter.acquire("6", bulk=True)
    assert clock.monotonic() == 5.0


def test_idle_chats_are_forgotten() -> None:
    clock = ManualClock()
    limiter = RateLimiter(clock=clock)
    limiter.PRUNE_AT = 10
    book(limiter, clock, list(range(1, 12)))
    clock.advance(60)
    book(limiter, clock, [99])
    assert len(limiter._chats) <= 2


def test_backoff_grows_and_gives_up() -> None:
    policy = RetryPolicy(base_seconds=2, factor=2, cap_seconds=20, max_attempts=5, jitter=0)
    assert [policy.delay(n) for n in range(1, 6)] == [2, 4, 8, 16, 20]
    assert not policy.gives_up(4) and policy.gives_up(5)
    jittery = RetryPolicy(base_seconds=10, jitter=0.2)
    assert all(10 <= jittery.delay(1) <= 12 for _ in range(50))
