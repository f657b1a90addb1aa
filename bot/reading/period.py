"""A reading-plan period typed in chat: "2026-03-01 至 2026-03-31", "3月1日-3月31日",
"2026年3月1日到4月15日". Pure logic: no ORM, no platform."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.errors import UserError

__all__ = ["MAX_PERIOD", "parse_period"]

# A plan item longer than a year is a typing mistake, not a reading pace.
MAX_PERIOD = timedelta(days=366)
_DATE = re.compile(r"(?:(\d{4})\s*[年\-/.]\s*)?(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?")


def parse_period(text: str, *, today: date) -> tuple[date, date]:
    """Two dates, both inclusive. A date without a year takes the start's year (the start's
    own year is this year); an end before the start without a year rolls into next year."""
    found = _DATE.findall(text)
    if len(found) != 2:
        raise UserError("reading.period_unknown", text=text[:60])
    (y1, m1, d1), (y2, m2, d2) = found
    try:
        start = date(int(y1) if y1 else today.year, int(m1), int(d1))
        end = date(int(y2) if y2 else start.year, int(m2), int(d2))
        if not y2 and end < start:
            end = date(start.year + 1, int(m2), int(d2))
    except ValueError:
        raise UserError("reading.period_unknown", text=text[:60]) from None
    if end < start:
        raise UserError("reading.period_invalid")
    if end - start > MAX_PERIOD:
        raise UserError("reading.period_too_long")
    return start, end
