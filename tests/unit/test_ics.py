"""The .ics file a member adds to the phone's calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.ics import CalendarEvent, ics_bytes, ics_file_name

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 3, 13, 19, 30, tzinfo=SH)


def _event(**kw: object) -> CalendarEvent:
    base: dict[str, object] = {
        "uid": "reading-s1-20250313T1930@committee-bot",
        "title": "读书会：《乡土中国》第三章",
        "start": START,
        "end": START + timedelta(hours=2),
        "location": "政协三楼会议室; 线上",
        "description": "议程：\n1. 领读\n2. 交流",
        "url": "https://meeting.example/123",
    }
    return CalendarEvent(**(base | kw))  # type: ignore[arg-type]


def _parse(data: bytes):  # type: ignore[no-untyped-def]
    return Calendar.from_ical(data).walk("VEVENT")[0]


def test_event_round_trips_in_utc_with_the_zone_name() -> None:
    data = ics_bytes(_event())
    assert b"DTSTART:20250313T113000Z" in data
    assert b"X-WR-TIMEZONE:Asia/Shanghai" in data
    assert b"\r\n" in data
    event = _parse(data)
    assert event["dtstart"].dt == datetime(2025, 3, 13, 11, 30, tzinfo=UTC)
    assert str(event["summary"]) == "读书会：《乡土中国》第三章"
    assert str(event["location"]) == "政协三楼会议室; 线上"
    assert str(event["description"]).splitlines() == ["议程：", "1. 领读", "2. 交流"]
    assert str(event["status"]) == "CONFIRMED"


def test_uid_is_stable_and_a_change_raises_the_sequence() -> None:
    stamp = datetime(2025, 1, 1, tzinfo=UTC)
    assert ics_bytes(_event(), stamp=stamp) == ics_bytes(_event(), stamp=stamp)
    changed = _parse(ics_bytes(_event(sequence=2, cancelled=True)))
    assert str(changed["uid"]) == "reading-s1-20250313T1930@committee-bot"
    assert int(changed["sequence"]) == 2
    assert str(changed["status"]) == "CANCELLED"


def test_titles_with_line_breaks_and_markup_stay_one_line() -> None:
    event = _parse(ics_bytes(_event(title="<b>读书</b>\r\nBEGIN:VEVENT")))
    assert str(event["summary"]) == "<b>读书</b> BEGIN:VEVENT"
    assert len(Calendar.from_ical(ics_bytes(_event(title="a\nBEGIN:VEVENT"))).walk("VEVENT")) == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"start": datetime(2025, 3, 13, 19, 30)},
        {"end": START},
        {"uid": ""},
        {"uid": "a\nb"},
    ],
)
def test_impossible_events_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        _event(**bad)


def test_file_name_is_dated_and_tame() -> None:
    assert ics_file_name("读书会：《乡土中国》/../x", START) == "20250313-1930-读书会乡土中国x.ics"
    assert ics_file_name("///", START) == "20250313-1930-event.ics"
