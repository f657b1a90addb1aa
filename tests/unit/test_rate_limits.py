"""The limiter books slots that respect every Telegram limit at once."""

from __future__ import annotations

from bot.delivery import Limits, RateLimiter, RetryPolicy
from bot.settings import Settings
from tests.support.delivery import ManualClock


def book(limiter: RateLimiter, clock: ManualClock, chat_ids: list[int]) -> list[float]:
    """Book each send in turn and return the instants they are allowed to go."""
    return [round(clock.monotonic() + limiter.reserve(chat), 3) for chat in chat_ids]


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
    assert limiter.on_retry_after(7, 5) is False
    assert limiter.delay(5) == 7
    assert limiter.delay(6) == 0
    assert limiter.paused_for() == 0


def test_retry_after_for_a_second_chat_or_no_chat_pauses_the_bot() -> None:
    clock = ManualClock()
    limiter = RateLimiter(clock=clock)
    limiter.on_retry_after(3, 5)
    assert limiter.on_retry_after(4, 6) is True
    assert limiter.delay(7) == 4 and limiter.paused_for() == 4
    clock.advance(5)
    assert limiter.delay(7) == 0
    assert limiter.on_retry_after(2, None) is True and limiter.delay(8) == 2


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
