"""Reading-plan periods as a secretariat types them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import UserError
from bot.reading.period import parse_period

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-03-01 至 2026-03-31", date(2026, 3, 1), date(2026, 3, 31)),
        ("3月1日-3月31日", date(2026, 3, 1), date(2026, 3, 31)),
        ("2026年3月1日到4月15日", date(2026, 3, 1), date(2026, 4, 15)),
        ("2026-03-01-2026-04-30", date(2026, 3, 1), date(2026, 4, 30)),
        ("12月1日至1月31日", date(2026, 12, 1), date(2027, 1, 31)),
    ],
)
def test_periods_people_type(text: str, start: date, end: date) -> None:
    assert parse_period(text, today=TODAY) == (start, end)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("下个月", "reading.period_unknown"),
        ("2月30日至3月5日", "reading.period_unknown"),
        ("2026-04-01 至 2026-03-01", "reading.period_invalid"),
        ("2026-01-01 至 2027-06-01", "reading.period_too_long"),
    ],
)
def test_bad_periods_are_refused_with_a_reason(text: str, key: str) -> None:
    with pytest.raises(UserError) as err:
        parse_period(text, today=TODAY)
    assert err.value.key == key
