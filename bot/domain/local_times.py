"""Dates and times as the secretariat types them, read in the committee's time zone.

Accepted: ``2025-03-01 09:00``, ``2025/3/1 9:00``, ``2025年3月1日 9:00``, ``3月1日 14:30``,
``3月1日下午2点``, ``3月1日上午9点半``, ``3月1日 9时30分``. Full-width digits and the colon
``：`` are fine. A date without a year is the next such date from ``now`` (so in December,
``1月5日`` means next January). Natural phrasings too (``明天下午3点``, ``下周三晚上7点半``,
``12月5日上午9:00-12:00``): ``bot/domain/chinese_times.py`` reads them all.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.chinese_times import parse_when

__all__ = ["format_local", "parse_local_datetime"]


def parse_local_datetime(text: str, *, zone: ZoneInfo, now: datetime) -> datetime | None:
    """An aware datetime, or None if the text is not a date with a time (a range gives its
    start; ``parse_when`` gives both ends)."""
    when = parse_when(text, zone=zone, now=now)
    return when.start if when is not None and when.timed else None


def format_local(value: datetime, zone: ZoneInfo) -> str:
    """``2025年3月1日 09:00``: how every notice shows a time."""
    local = value.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
