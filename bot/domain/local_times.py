"""Dates and times as the secretariat types them, read in the committee's time zone.

Accepted: ``2025-03-01 09:00``, ``2025/3/1 9:00``, ``2025年3月1日 9:00``, ``3月1日 14:30``,
``3月1日下午2点``, ``3月1日上午9点半``, ``3月1日 9时30分``. Full-width digits and the colon
``：`` are fine. A date without a year is the next such date from ``now`` (so in December,
``1月5日`` means next January).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

__all__ = ["format_local", "parse_local_datetime"]

_DATE = r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
_TIME = (
    r"(?P<half>上午|早上|中午|下午|晚上)?\s*(?P<h>\d{1,2})\s*(?:[:点时]\s*"
    r"(?:(?P<min>\d{1,2})\s*分?|(?P<ban>半))?)?"
)
_FULL = re.compile(rf"^{_DATE}\s*(?:T|\s)?\s*{_TIME}$")


def parse_local_datetime(text: str, *, zone: ZoneInfo, now: datetime) -> datetime | None:
    """An aware datetime, or None if the text is not a date with a time."""
    clean = unicodedata.normalize("NFKC", text).strip()
    match = _FULL.match(clean)
    if match is None:
        return None
    hour = int(match["h"])
    minute = 30 if match["ban"] else int(match["min"] or 0)
    half = match["half"]
    if (half in ("下午", "晚上") and hour < 12) or (half == "中午" and hour < 11):
        hour += 12
    try:
        at = time(hour, minute)
    except ValueError:
        return None
    local_now = now.astimezone(zone)
    month, day = int(match["m"]), int(match["d"])
    try:
        if match["y"]:
            day_ = date(int(match["y"]), month, day)
        else:
            day_ = date(local_now.year, month, day)
            if day_ < local_now.date():
                day_ = date(local_now.year + 1, month, day)
    except ValueError:
        return None
    return datetime.combine(day_, at, tzinfo=zone)


def format_local(value: datetime, zone: ZoneInfo) -> str:
    """``2025年3月1日 09:00``: how every notice shows a time."""
    local = value.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
