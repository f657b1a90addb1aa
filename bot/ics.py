"""An .ics calendar file for one event (a reading session, a meeting), for the phone's calendar.

Generic on purpose (title, start, end, location, description, uid): reading groups and
meeting notices both use it. Times are written in UTC (``...Z``), which every calendar app
reads correctly without a VTIMEZONE block; the committee's zone name travels in
``X-WR-TIMEZONE`` so apps that honour it show the event in that zone. The UID must be stable
for the same event so that importing the file twice updates one entry instead of adding two;
a changed event keeps its UID and raises ``sequence``; a cancelled one is sent with
``STATUS:CANCELLED``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

__all__ = ["CalendarEvent", "ics_bytes", "ics_file_name"]

PRODID = "-//committee-bot//reading and meetings//ZH"


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarEvent:
    uid: str
    title: str
    start: datetime
    end: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    zone_name: str = "Asia/Shanghai"
    sequence: int = 0
    cancelled: bool = False

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("calendar times must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("an event must end after it starts")
        if not self.uid or any(c in self.uid for c in "\r\n"):
            raise ValueError("a calendar UID must be a non-empty single line")


def ics_bytes(event: CalendarEvent, *, stamp: datetime | None = None) -> bytes:
    """The .ics file (UTF-8, CRLF lines) holding one VEVENT."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", event.zone_name)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", _one_line(event.title))
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.location:
        vevent.add("location", _one_line(event.location))
    if event.url:
        vevent.add("url", event.url)
    if event.description:
        vevent.add("description", event.description)
    cal.add_component(vevent)
    return cal.to_ical()


def ics_file_name(title: str, start: datetime, *, zone_name: str = "Asia/Shanghai") -> str:
    """A file name that survives every chat client: date plus a tame version of the title."""
    local = start.astimezone(ZoneInfo(zone_name))
    tame = "".join(c for c in title if c.isalnum() or c in "-_·")[:40] or "event"
    return f"{local:%Y%m%d-%H%M}-{tame}.ics"


def _one_line(value: str) -> str:
    return " ".join(value.split())
