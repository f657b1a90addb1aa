"""Times in natural Chinese, as a clerk types them in chat and in notice files."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.chinese_times import When, parse_when
from bot.domain.local_times import parse_local_datetime
from tests.unit.chinese_time_phrasings import NOW, PHRASINGS, UNREADABLE, ZONE, at


@pytest.mark.parametrize(("text", "start", "end"), PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_phrasing(text: str, start: datetime, end: datetime | None) -> None:
    got = parse_when(text, zone=ZONE, now=NOW)
    assert got is not None, text
    assert (got.start, got.end) == (start, end)
    assert got.start.tzinfo is not None and got.start.utcoffset() == NOW.utcoffset()


def test_there_are_at_least_forty_phrasings() -> None:
    assert len(PHRASINGS) >= 40


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_or_contradictory(text: str) -> None:
    assert parse_when(text, zone=ZONE, now=NOW) is None


def test_dates_only_are_marked_untimed() -> None:
    assert parse_when("12月5日至6日", zone=ZONE, now=NOW) == When(
        at(12, 5, 0), at(12, 6, 0), timed=False
    )
    assert parse_when("明天", zone=ZONE, now=NOW) == When(at(12, 4, 0), timed=False)


def test_the_year_rolls_over_in_december() -> None:
    # on 3 December "1月5日" is next January, and "2日" is 2 January
    assert parse_local_datetime("1月5日上午9点", zone=ZONE, now=NOW) == at(1, 5, 9, year=2026)
    assert parse_local_datetime("2日上午9点", zone=ZONE, now=NOW) == at(1, 2, 9, year=2026)


def test_a_notice_time_needs_a_clock_time() -> None:
    """parse_local_datetime (notice start and deadline) refuses a bare date, as before."""
    assert parse_local_datetime("明天", zone=ZONE, now=NOW) is None
    assert parse_local_datetime("12月5日至6日", zone=ZONE, now=NOW) is None
    assert parse_local_datetime("明天下午3点", zone=ZONE, now=NOW) == at(12, 4, 15)
    # a range typed where one time is asked gives its start
    assert parse_local_datetime("12月5日上午9:00-12:00", zone=ZONE, now=NOW) == at(12, 5, 9)


def test_a_one_off_reading_session_in_natural_chinese() -> None:
    """Reading sessions share the parser for one-offs; repetitions stay with their rules."""
    from datetime import date, time

    from bot.reading.recurrence import parse_phrase

    today = NOW.date()  # Wednesday 3 December 2025
    parsed = parse_phrase("下周四晚上7点半", today=today)
    assert (parsed.rule, parsed.on, parsed.at) == (None, date(2025, 12, 11), time(19, 30))
    assert parse_phrase("明天晚上 19:30", today=today).on == date(2025, 12, 4)
    assert parse_phrase("1月5日 19:30", today=today).on == date(2026, 1, 5)
    assert parse_phrase("每周四 19:30", today=today).rule == "FREQ=WEEKLY;BYDAY=TH"
    assert parse_phrase("隔周四晚上7点半", today=today).rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
