"""Times as a clerk writes them in Chinese, read in the committee's time zone.

Accepted, alone or as a range joined by ``-``, ``—``, ``~``, ``至`` or ``到``:

- dates: ``2025-12-05``, ``2025/12/5``, ``2025年12月5日``, ``12月5日``, ``12.5``,
  ``十二月五日``, ``5日`` / ``5号`` (this month, or next once passed), ``今天``,
  ``明天``, ``后天``, ``大后天``, ``3天后``, ``周五`` / ``星期五`` (the next one, today
  included), ``本周三``, ``下周三``, ``下下周一``, ``下个月5号``; a weekday in brackets
  after a date (``12月5日（周五）``) must agree with it;
- times: ``9:00``, ``9点``, ``9时30分``, ``9点半``, ``3点一刻``, ``7点整``, ``十点``,
  with ``凌晨 / 早上 / 上午 / 中午 / 下午 / 傍晚 / 晚上`` before them; ``今晚``, ``明早``;
- ranges: ``12月5日上午9:00-12:00`` (the end takes the start's date and half of the day),
  ``下午2点到5点``, ``12月5日至6日`` (dates only).

A date without a year is the next such date from ``now`` (in December ``1月5日`` is next
January); a time without a date is today. Full-width digits and colons are fine. A
hand-written parser: the PyPI candidates were measured and did not fit (README, "Times in
Chinese").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["When", "parse_when"]


@dataclass(frozen=True, slots=True)
class When:
    """``timed`` False: only dates were written (``12月5日至6日``); times are midnight."""

    start: datetime
    end: datetime | None = None
    timed: bool = True


_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGIT |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAY = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "日": "7"}
_WEEKDAY |= {"天": "7", "末": "6"}
_WEEK_WORD = re.compile(r"(周|星期|礼拜)([一二三四五六日天末])")
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十]+")
_SHORTHAND: tuple[tuple[str, str], ...] = (("今晚", "今天晚上"), ("明早", "明天早上"))
_SHORTHAND += (("明晚", "明天晚上"), ("今早", "今天早上"), ("明晨", "明天早上"))

_REL_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_PM = {"下午", "午后", "傍晚", "晚上", "夜里", "夜间"}
_AM = {"凌晨", "早上", "早晨", "清晨", "上午"}
_POINT = re.compile(
    r"""
    (?:
        (?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?
      | (?P<rel>大后天|后天|今天|今日|明天|明日)
      | (?P<ndays>\d{1,2})\s*天[以之]?后
      | (?P<wkp>下下|下个|下|本|这个|这)?\s*(?:周|星期|礼拜)(?P<wd>[1-7])
      | (?P<mon>本月|这个月|下个月|下月)?\s*(?P<dd>\d{1,2})\s*[日号]
    )?
    \s*(?:[(（]\s*(?:周|星期|礼拜)(?P<note>[1-7])\s*[)）])?
    \s*(?:T|\s)?\s*
    (?P<half>凌晨|早上|早晨|清晨|上午|中午|午后|下午|傍晚|晚上|夜里|夜间)?
    \s*
    (?:
        (?P<h>\d{1,2})\s*
        (?::\s*(?P<cm>\d{1,2})|[点时]\s*(?:(?P<ke>[13])\s*刻|(?P<min>\d{1,2})\s*分?|(?P<ban>半)|整)?
          |(?=\s*(?:-|—+|–|~|至|到)\s*\d{1,2}\s*[点时:]))
    )?
    """,
    re.VERBOSE,
)
_SEP = re.compile(r"\s*(?:-|—+|–|~|至|到)\s*")


@dataclass(frozen=True, slots=True)
class _Point:
    day: date | None
    day_only: int | None  # "6日" with no month: the month comes from context
    half: str | None
    at: time | None
    explicit: bool  # a date was written (not inherited)


def _numerals(text: str) -> str:
    """Chinese numerals to digits: 十二 → 12, 二十三 → 23, 零五 → 05, 二〇二五 → 2025."""

    def one(match: re.Match[str]) -> str:
        run = match[0]
        if "十" not in run:
            return "".join(str(_DIGIT[c]) for c in run)
        tens, _, units = run.partition("十")
        if "十" in units or len(tens) > 1 or len(units) > 1:
            return run  # not a number of 0–99: leave it to fail
        return str((_DIGIT[tens] if tens else 1) * 10 + (_DIGIT[units] if units else 0))

    return _NUMERAL.sub(one, text)


def _normalise(text: str) -> str:
    clean = unicodedata.normalize("NFKC", text).strip()
    clean = re.sub(r"\s+", " ", clean)
    for short, full in _SHORTHAND:
        clean = clean.replace(short, full)
    # Weekday names first: "周三十点" is Wednesday at ten, not day 30.
    clean = _WEEK_WORD.sub(lambda m: m[1] + _WEEKDAY[m[2]], clean)
    return _numerals(clean)


def _next_date(month: int, day: int, today: date) -> date:
    """The next such date from today (today included)."""
    found = date(today.year, month, day) if _valid(today.year, month, day) else None
    if found is None or found < today:
        year = today.year + 1
        while not _valid(year, month, day):  # 2月29日 waits for a leap year
            year += 1
        found = date(year, month, day)
    return found


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _day_of_month(day: int, after: date) -> date:
    """Day ``day`` of ``after``'s month, or of the next month holding it once passed."""
    year, month = after.year, after.month
    for _ in range(13):
        if _valid(year, month, day) and date(year, month, day) >= after:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise ValueError(day)


def _week_day(prefix: str | None, weekday: int, today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    if prefix in ("下", "下个"):
        return monday + timedelta(days=7 + weekday - 1)
    if prefix == "下下":
        return monday + timedelta(days=14 + weekday - 1)
    if prefix in ("本", "这", "这个"):
        return monday + timedelta(days=weekday - 1)
    return today + timedelta(days=(weekday - 1 - today.weekday()) % 7)


def _clock(m: re.Match[str], half: str | None) -> time | None:
    """The time of day, or None when none was written; ValueError when impossible."""
    if m["h"] is None:
        if half:
            raise ValueError("a half of the day without an hour")
        return None
    hour = int(m["h"])
    minute = int(m["cm"] or m["min"] or 0)
    if m["ban"]:
        minute = 30
    elif m["ke"]:
        minute = 15 * int(m["ke"])
    if half in _PM and hour < 12:
        hour += 12
    elif half in _PM and hour == 12 and half != "下午":
        raise ValueError("晚上12点 is ambiguous")
    elif half == "中午" and hour < 11:
        hour += 12
    elif half == "凌晨" and hour == 12:
        hour = 0
    elif half in _AM and hour > 12:
        raise ValueError("上午 with an afternoon hour")
    return time(hour, minute)  # ValueError past 23:59


def _point(text: str, pos: int, today: date) -> tuple[_Point, int] | None:
    m = _POINT.match(text, pos)
    if m is None or m.end() == pos or not m[0].strip():
        return None
    day: date | None = None
    day_only: int | None = None
    if m["m"]:
        month, dom = int(m["m"]), int(m["d"])
        day = date(int(m["y"]), month, dom) if m["y"] else _next_date(month, dom, today)
    elif m["rel"]:
        day = today + timedelta(days=_REL_DAYS[m["rel"]])
    elif m["ndays"]:
        day = today + timedelta(days=int(m["ndays"]))
    elif m["wd"]:
        day = _week_day(m["wkp"], int(m["wd"]), today)
    elif m["dd"]:
        if m["mon"] in ("下个月", "下月"):
            first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            day = date(first.year, first.month, int(m["dd"]))
        elif m["mon"]:
            day = date(today.year, today.month, int(m["dd"]))
        else:
            day_only = int(m["dd"])
    if m["note"] and (day is None or day.isoweekday() != int(m["note"])):
        raise ValueError("the weekday in brackets does not match the date")
    half = m["half"]
    return _Point(day, day_only, half, _clock(m, half), day is not None), m.end()


def parse_when(text: str, *, zone: ZoneInfo, now: datetime) -> When | None:
    """The start (and end, for a range) of what ``text`` names, or None if unreadable."""
    clean = _normalise(text)
    today = now.astimezone(zone).date()
    try:
        first = _point(clean, 0, today)
        if first is None:
            return None
        start, pos = first
        end: _Point | None = None
        if pos < len(clean):
            sep = _SEP.match(clean, pos)
            if sep is None:
                return None
            second = _point(clean, sep.end(), today)
            if second is None or second[1] != len(clean):
                return None
            end = second[0]
        return _combine(start, end, today, zone)
    except ValueError:
        return None


def _combine(start: _Point, end: _Point | None, today: date, zone: ZoneInfo) -> When | None:
    start_day = start.day or (_day_of_month(start.day_only, today) if start.day_only else today)
    if start.at is None and not (start.explicit or start.day_only):
        return None  # "上午" or nothing at all
    if end is None:
        if start.at is None:
            return When(datetime.combine(start_day, time(), tzinfo=zone), timed=False)
        return When(datetime.combine(start_day, start.at, tzinfo=zone))
    end_day = end.day or (_day_of_month(end.day_only, start_day) if end.day_only else start_day)
    if start.at is None and end.at is not None:
        return None  # "12月5日至下午3点" names no start time
    if end.at is None and not (end.explicit or end.day_only):
        return None  # nothing after the dash
    if start.at is None or end.at is None:
        return When(
            datetime.combine(start_day, time(), tzinfo=zone),
            datetime.combine(end_day, time(), tzinfo=zone),
            timed=False,
        )
    end_at = end.at
    if end.half is None and start.half is not None:
        # "下午2点到5点": the end is in the same half of the day as the start.
        end_at = _clock_again(end.at, start.half)
    return When(
        datetime.combine(start_day, start.at, tzinfo=zone),
        datetime.combine(end_day, end_at, tzinfo=zone),
    )


def _clock_again(at: time, half: str) -> time:
    if half in _PM | {"中午"} and at.hour < 12 and not (half == "中午" and at.hour >= 11):
        return at.replace(hour=at.hour + 12)
    return at
