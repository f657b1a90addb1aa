"""Recurring reading sessions: expansion across month ends, missing weekdays, zones; phrases."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.errors import UserError
from bot.reading.recurrence import (
    Schedule,
    next_occurrence,
    occurrences,
    parse_phrase,
    validate_rule,
)

SH = ZoneInfo("Asia/Shanghai")


def _local(*args: int, zone: ZoneInfo = SH) -> datetime:
    return datetime(*args, tzinfo=zone)


def _year(schedule: Schedule, year: int = 2025) -> list[datetime]:
    found = occurrences(schedule, since=_local(year, 1, 1), until=_local(year + 1, 1, 1))
    return [o.start.astimezone(SH).replace(tzinfo=None) for o in found]


def test_second_thursday_of_each_month_at_1930_local() -> None:
    s = Schedule(
        start=_local(2025, 1, 1, 19, 30), duration=timedelta(hours=2), rule="FREQ=MONTHLY;BYDAY=2TH"
    )
    starts = _year(s)
    assert len(starts) == 12
    assert starts[0] == datetime(2025, 1, 9, 19, 30)
    assert starts[1] == datetime(2025, 2, 13, 19, 30)
    assert all(d.weekday() == 3 and 8 <= d.day <= 14 and d.time() == time(19, 30) for d in starts)


def test_stored_in_utc_shown_in_the_committee_zone() -> None:
    s = Schedule(
        start=_local(2025, 3, 13, 19, 30),
        duration=timedelta(hours=1),
        rule="FREQ=MONTHLY;BYDAY=2TH",
    )
    first = occurrences(s, since=_local(2025, 3, 1), until=_local(2025, 4, 1))[0]
    assert first.start == datetime(2025, 3, 13, 11, 30, tzinfo=UTC)
    assert first.key == "20250313T1930"
    assert first.end - first.start == timedelta(hours=1)


def test_fifth_thursday_skips_months_without_one() -> None:
    s = Schedule(
        start=_local(2025, 1, 1, 19, 30), duration=timedelta(hours=1), rule="FREQ=MONTHLY;BYDAY=5TH"
    )
    assert [d.month for d in _year(s)] == [1, 5, 7, 10]


def test_day_31_is_skipped_by_rfc_but_phrase_clamps_to_month_end() -> None:
    raw = Schedule(
        start=_local(2025, 1, 1, 20), duration=timedelta(hours=1), rule="FREQ=MONTHLY;BYMONTHDAY=31"
    )
    assert len(_year(raw)) == 7  # only months with 31 days
    parsed = parse_phrase("每月31日 20:00")
    clamped = Schedule(start=_local(2025, 1, 1, 20), duration=timedelta(hours=1), rule=parsed.rule)
    days = _year(clamped)
    assert len(days) == 12
    assert days[1] == datetime(2025, 2, 28, 20, 0)
    assert days[3] == datetime(2025, 4, 30, 20, 0)


def test_day_30_in_a_leap_february_is_the_29th() -> None:
    rule = parse_phrase("每月30日 20:00").rule
    s = Schedule(start=_local(2024, 1, 1, 20), duration=timedelta(hours=1), rule=rule)
    assert _year(s, 2024)[1] == datetime(2024, 2, 29, 20, 0)


def test_last_day_of_month_crosses_year_end() -> None:
    s = Schedule(
        start=_local(2025, 11, 1, 20),
        duration=timedelta(hours=1),
        rule="FREQ=MONTHLY;BYMONTHDAY=-1",
    )
    found = occurrences(s, since=_local(2025, 11, 1), until=_local(2026, 3, 1))
    assert [o.key for o in found] == [
        "20251130T2000",
        "20251231T2000",
        "20260131T2000",
        "20260228T2000",
    ]


def test_biweekly_keeps_its_phase_from_the_first_session() -> None:
    s = Schedule(
        start=_local(2025, 1, 2, 19, 30),
        duration=timedelta(hours=1),
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
    )
    found = occurrences(s, since=_local(2025, 1, 20), until=_local(2025, 2, 28))
    assert [o.key[:8] for o in found] == ["20250130", "20250213", "20250227"]


def test_wall_clock_time_survives_dst_in_zones_that_have_it() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    s = Schedule(
        start=_local(2025, 3, 20, 19, 30, zone=berlin),
        duration=timedelta(hours=1),
        rule="FREQ=WEEKLY;BYDAY=TH",
        zone="Europe/Berlin",
    )
    found = occurrences(
        s, since=_local(2025, 3, 20, zone=berlin), until=_local(2025, 4, 4, zone=berlin)
    )
    assert [o.start.astimezone(berlin).hour for o in found] == [19, 19, 19]
    assert [o.start.hour for o in found] == [18, 18, 17]  # DST on 30 March: UTC moves


def test_a_running_session_counts_and_an_ended_one_does_not() -> None:
    s = Schedule(start=_local(2025, 5, 10, 19, 30), duration=timedelta(hours=2))
    assert next_occurrence(s, now=_local(2025, 5, 10, 20, 0)) is not None
    assert next_occurrence(s, now=_local(2025, 5, 10, 21, 31)) is None


def test_count_and_until_end_a_series() -> None:
    parsed = parse_phrase("每周三 20:00 共3次")
    start = parsed.first_start(today=date(2025, 5, 1), zone=SH)
    s = Schedule(start=start, duration=timedelta(hours=1), rule=parsed.rule)
    assert len(occurrences(s, since=start, until=start + timedelta(days=365))) == 3
    parsed = parse_phrase("每天 21:00 至2025年5月3日")
    start = parsed.first_start(today=date(2025, 5, 1), zone=SH)
    s = Schedule(start=start, duration=timedelta(hours=1), rule=parsed.rule)
    keys = [o.key for o in occurrences(s, since=start, until=start + timedelta(days=30))]
    assert keys == ["20250501T2100", "20250502T2100", "20250503T2100"]


def test_expansion_is_capped() -> None:
    s = Schedule(start=_local(2025, 1, 1, 8), duration=timedelta(hours=1), rule="FREQ=DAILY")
    assert len(occurrences(s, since=_local(2025, 1, 1), until=_local(2035, 1, 1))) == 1000


@pytest.mark.parametrize(
    ("phrase", "rule", "at"),
    [
        ("每月第二个星期四 19:30", "FREQ=MONTHLY;BYDAY=2TH", time(19, 30)),
        ("每周三 20:00", "FREQ=WEEKLY;BYDAY=WE", time(20, 0)),
        ("每两周周四 晚上7点半", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", time(19, 30)),
        ("隔周四 19：30", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", time(19, 30)),
        ("每隔一周的周三 20:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", time(20, 0)),
        ("每周一、三和周五 8点", "FREQ=WEEKLY;BYDAY=MO,WE,FR", time(8, 0)),
        ("每星期日 上午10点", "FREQ=WEEKLY;BYDAY=SU", time(10, 0)),
        ("每月15号晚上8点", "FREQ=MONTHLY;BYMONTHDAY=15", time(20, 0)),
        ("每月最后一天 20:00", "FREQ=MONTHLY;BYMONTHDAY=-1", time(20, 0)),
        ("每月最后一个周五 下午3点", "FREQ=MONTHLY;BYDAY=-1FR", time(15, 0)),
        ("每两个月第一个周六 9:00 共6次", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1SA;COUNT=6", time(9, 0)),
        ("每天 21:00", "FREQ=DAILY", time(21, 0)),
        ("中午12点半 每周五", "FREQ=WEEKLY;BYDAY=FR", time(12, 30)),
    ],
)
def test_phrases(phrase: str, rule: str, at: time) -> None:
    parsed = parse_phrase(phrase)
    assert (parsed.rule, parsed.at) == (rule, at)


@time_machine.travel(datetime(2025, 5, 1, 12, tzinfo=SH), tick=False)
def test_one_off_dates_without_a_year_mean_the_next_one() -> None:
    assert parse_phrase("3月13日 19点").on == date(2026, 3, 13)
    assert parse_phrase("5月20日 19:30").on == date(2025, 5, 20)
    assert parse_phrase("2025年3月13日 19:30") == parse_phrase("2025-03-13 19:30")


def test_first_start_is_the_first_matching_day() -> None:
    parsed = parse_phrase("每月第二个星期四 19:30")
    start = parsed.first_start(today=date(2025, 5, 9), zone=SH)
    assert start == _local(2025, 6, 12, 19, 30)  # 8 May already passed on the 9th


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("每周 20:00", "reading.rule_no_weekday"),
        ("下周见", "reading.rule_no_time"),
        ("每周三", "reading.rule_no_time"),
        ("每月32日 10:00", "reading.rule_bad_date"),
        ("2025年2月30日 19:30", "reading.rule_bad_date"),
        ("每月第二个星期四 25:00", "reading.rule_no_time"),
        ("改天晚上 19:30", "reading.rule_unknown"),  # 明天晚上 19:30 is understood now
        ("<b>" * 40, "reading.rule_unknown"),
        ("", "reading.rule_unknown"),
    ],
)
def test_phrases_that_are_refused_with_a_clear_message(phrase: str, key: str) -> None:
    with pytest.raises(UserError) as err:
        parse_phrase(phrase)
    assert err.value.key == key


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        ("FREQ=HOURLY", "reading.rule_too_frequent"),
        ("FREQ=MINUTELY;INTERVAL=1", "reading.rule_too_frequent"),
        ("DTSTART:20250101T000000\nRRULE:FREQ=DAILY", "reading.rule_invalid"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "reading.rule_never"),
        ("FREQ=WEEKLY;BYDAY=XX", "reading.rule_invalid"),
    ],
)
def test_bad_rules_are_refused(rule: str, key: str) -> None:
    with pytest.raises(UserError) as err:
        validate_rule(rule)
    assert err.value.key == key


def test_rules_are_normalised() -> None:
    assert validate_rule("rrule:freq=weekly;byday=we") == "FREQ=WEEKLY;BYDAY=WE"


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError):
        Schedule(start=datetime(2025, 1, 1), duration=timedelta(hours=1))
