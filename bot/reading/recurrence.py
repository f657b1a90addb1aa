"""When reading sessions happen: one-off or recurring, as an RRULE in the committee's zone.

A session is a ``Schedule``: its first start (aware), a duration, and optionally an RRULE
body (RFC 5545, without DTSTART) such as ``FREQ=MONTHLY;BYDAY=2TH``. Expansion happens on
the local wall clock (so "19:30" stays 19:30 in zones with DST) and each occurrence is
converted to UTC afterwards. An occurrence is identified by its local start
(``20250313T1930``): stable across restarts and re-expansion, and changing the time of a
session yields new identities, which is what reminders need.

Month ends follow RFC 5545 (an occurrence that does not exist is skipped: the fifth
Thursday, the 31st of April). The phrase parser clamps "每月30日" to the month's last day
instead, because that is what a secretariat means.

Pure logic: no ORM, no platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot.domain.chinese_times import parse_when
from bot.errors import UserError

__all__ = [
    "MAX_OCCURRENCES",
    "Occurrence",
    "ParsedSchedule",
    "Schedule",
    "next_occurrence",
    "occurrence_key",
    "occurrences",
    "parse_phrase",
    "validate_rule",
]

# A hard cap on one expansion: a daily rule over ten years must not eat the process.
MAX_OCCURRENCES = 1000
_ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_KEY_FORMAT = "%Y%m%dT%H%M"
_UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of a session: ``key`` is its local start, ``start``/``end`` aware UTC."""

    key: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """``start`` is the first occurrence (aware); ``rule`` None means a one-off session."""

    start: datetime
    duration: timedelta
    rule: str | None = None
    zone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("Schedule.start must be timezone-aware")
        if self.duration <= timedelta(0):
            raise ValueError("Schedule.duration must be positive")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @property
    def local_start(self) -> datetime:
        """The first start as a naive wall-clock time in the committee's zone."""
        return self.start.astimezone(self.tz).replace(tzinfo=None)

    def _rrule(self) -> rrule:
        assert self.rule is not None
        return _compile(self.rule, self.local_start)


def occurrence_key(local_start: datetime) -> str:
    return local_start.strftime(_KEY_FORMAT)


def _occurrence(schedule: Schedule, local: datetime) -> Occurrence:
    start = local.replace(tzinfo=schedule.tz).astimezone(UTC)
    return Occurrence(key=occurrence_key(local), start=start, end=start + schedule.duration)


def occurrences(
    schedule: Schedule,
    *,
    since: datetime,
    until: datetime,
    limit: int = MAX_OCCURRENCES,
) -> list[Occurrence]:
    """Occurrences that are still running at ``since`` (end > since) and start before ``until``."""
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("since and until must be timezone-aware")
    if schedule.rule is None:
        only = _occurrence(schedule, schedule.local_start)
        return [only] if only.end > since and only.start < until else []
    tz = schedule.tz
    # Expand in local wall-clock time; widen by a day each side so zone offsets never
    # cut an occurrence off at the edges, then filter exactly in UTC.
    lo = (since - schedule.duration).astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    hi = until.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    out: list[Occurrence] = []
    for local in schedule._rrule().xafter(lo, inc=True):
        if local > hi or len(out) >= limit:
            break
        occ = _occurrence(schedule, local)
        if occ.end > since and occ.start < until:
            out.append(occ)
    return out


def next_occurrence(schedule: Schedule, *, now: datetime) -> Occurrence | None:
    """The first occurrence that has not ended at ``now`` (a running one counts)."""
    if schedule.rule is None:
        found = occurrences(schedule, since=now, until=schedule.start + timedelta(seconds=1))
        return found[0] if found else None
    found = occurrences(schedule, since=now, until=now + timedelta(days=3660), limit=1)
    return found[0] if found else None


def _compile(rule: str, dtstart: datetime) -> rrule:
    parsed = rrulestr(rule, dtstart=dtstart, forceset=False)
    assert isinstance(parsed, rrule)
    return parsed


def validate_rule(rule: str, *, first_start: datetime | None = None) -> str:
    """The rule normalised (upper case, no ``RRULE:`` prefix); UserError if unusable.

    Refuses rules finer than daily (a typo must not plan a reminder every minute),
    rules carrying their own DTSTART, and rules that never occur.
    """
    body = rule.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    body = body.strip().upper()
    if not body or "DTSTART" in body or "\n" in body:
        raise UserError("reading.rule_invalid", rule=rule)
    parts = dict(p.split("=", 1) for p in body.split(";") if "=" in p)
    if parts.get("FREQ") not in _ALLOWED_FREQ:
        raise UserError("reading.rule_too_frequent", rule=rule)
    start = first_start or datetime(2025, 1, 1, 0, 0)
    if start.tzinfo is not None:
        start = start.replace(tzinfo=None)
    try:
        compiled = _compile(body, start)
        first = compiled.after(start, inc=True)
    except (ValueError, TypeError):
        raise UserError("reading.rule_invalid", rule=rule) from None
    if first is None:
        raise UserError("reading.rule_never", rule=rule)
    return body


# --- phrase parser --------------------------------------------------------------------

_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAY = {
    "一": "MO",
    "二": "TU",
    "三": "WE",
    "四": "TH",
    "五": "FR",
    "六": "SA",
    "日": "SU",
    "天": "SU",
    "1": "MO",
    "2": "TU",
    "3": "WE",
    "4": "TH",
    "5": "FR",
    "6": "SA",
    "7": "SU",
}
_WD = r"(?:周|星期|礼拜)"
_DAY_CHARS = "一二三四五六日天1-7"
_TIME = re.compile(
    r"(?P<ampm>上午|早上|早晨|中午|下午|傍晚|晚上|晚间|晚)?\s*"
    r"(?P<h>\d{1,2})\s*(?:[:：]\s*(?P<m>\d{2})|点\s*(?:(?P<half>半)|(?P<m2>\d{1,2})\s*分?)?)"
)
_COUNT = re.compile(r"共\s*(\d{1,3})\s*次")
_UNTIL = re.compile(r"(?:至|到|截至|直到)\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_DATE = re.compile(r"(?:(\d{4})\s*[年\-/.]\s*)?(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?")


@dataclass(frozen=True, slots=True)
class ParsedSchedule:
    """What a phrase said: an RRULE body (None for a one-off), a local time, maybe a date."""

    rule: str | None
    at: time
    on: date | None = None

    def first_start(self, *, today: date, zone: ZoneInfo) -> datetime:
        """The aware first start: the date given, or the first match from ``today`` on."""
        local = datetime.combine(self.on or today, self.at)
        if self.rule is not None:
            match = _compile(self.rule, local).after(local, inc=True)
            if match is None:
                raise UserError("reading.rule_never", rule=self.rule)
            local = match
        return local.replace(tzinfo=zone)


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUM[token]


def _weekdays(rest: str) -> list[str]:
    """``一、三和周五…`` at the start of ``rest`` → MO, WE, FR (in order, no repeats)."""
    head = re.match(rf"(?:{_WD}?[{_DAY_CHARS}][、，,和及与]?)+", rest)
    found: list[str] = []
    for char in re.findall(rf"[{_DAY_CHARS}]", re.sub(_WD, "", head.group(0)) if head else ""):
        if _WEEKDAY[char] not in found:
            found.append(_WEEKDAY[char])
    return found


def _parse_time(text: str) -> tuple[time, str]:
    m = _TIME.search(text)
    if m is None:
        raise UserError("reading.rule_no_time", phrase=text)
    hour = int(m.group("h"))
    minute = 30 if m.group("half") else int(m.group("m") or m.group("m2") or 0)
    ampm = m.group("ampm") or ""
    if (ampm in {"下午", "傍晚", "晚上", "晚间", "晚"} and hour < 12) or (
        ampm == "中午" and hour < 11
    ):
        hour += 12
    if hour > 23 or minute > 59:
        raise UserError("reading.rule_no_time", phrase=text)
    return time(hour, minute), text[: m.start()] + " " + text[m.end() :]


def parse_phrase(phrase: str, *, today: date | None = None) -> ParsedSchedule:
    """Plain Chinese to a schedule.

    Understood: 每天 19:30 · 每周三 20:00 · 每周一、三 晚上8点 · 每两周周四 19:30 (隔周四) ·
    每月15日 19:30 · 每月30日 (clamped to the month's end) · 每月最后一天 · 每月第二个星期四 19:30
    · 每月最后一个周五 · 每两个月第一个周六 · a trailing 共6次 or 至2025年6月30日; and a one-off
    2025年3月13日 19:30 or 3月13日 19:30 (the next such date from ``today``).
    """
    text = re.sub(r"\s+", " ", phrase.strip())
    if not text or len(text) > 80:
        raise UserError("reading.rule_unknown", phrase=phrase[:80])
    if one_off := _natural_one_off(text, today):
        return one_off
    tail: list[str] = []
    if m := _COUNT.search(text):
        count = int(m.group(1))
        if not 1 <= count <= MAX_OCCURRENCES:
            raise UserError("reading.rule_unknown", phrase=phrase)
        tail.append(f"COUNT={count}")
        text = text[: m.start()] + text[m.end() :]
    if m := _UNTIL.search(text):
        try:
            end = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise UserError("reading.rule_bad_date", phrase=phrase) from None
        tail.append(f"UNTIL={end:%Y%m%d}T235959")
        text = text[: m.start()] + text[m.end() :]
    at, text = _parse_time(text)
    body = _recurring_body(text)
    if body is None:
        return ParsedSchedule(rule=None, at=at, on=_one_off_date(text, phrase, today))
    rule = ";".join([body, *tail])
    validate_rule(rule)
    return ParsedSchedule(rule=rule, at=at)


def _natural_one_off(text: str, today: date | None) -> ParsedSchedule | None:
    """A one-off in natural Chinese ("下周四晚上7点半", "明天 19:30", "3月13日 19:30"),
    read by the notices' time parser; anything naming a repetition is left to the rules."""
    if re.search(r"[每隔双共]|工作日|至\d{4}", text):
        return None
    base = today or datetime.now(UTC).date()
    # Local wall-clock arithmetic only: the zone is applied by ``first_start``.
    when = parse_when(text, zone=_UTC_ZONE, now=datetime.combine(base, time(12), tzinfo=UTC))
    if when is None or not when.timed or when.end is not None:
        return None
    return ParsedSchedule(rule=None, at=when.start.time(), on=when.start.date())


def _recurring_body(text: str) -> str | None:
    compact = text.replace(" ", "").replace("的", "")
    if re.search(r"每(?:天|日)", compact):
        return "FREQ=DAILY"
    if "工作日" in compact:
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if m := re.search(r"每(?:隔)?([一两二三四六2-6])?个?月(.*)", compact):
        interval = _number(m.group(1)) if m.group(1) else 1
        interval_part = f";INTERVAL={interval}" if interval > 1 else ""
        return "FREQ=MONTHLY" + interval_part + ";" + _monthly_by(m.group(2), text)
    if m := re.search(
        rf"(?:每(?P<skip>隔)?(?P<n>[一两二三四2-4])?个?|隔|双){_WD}(?P<rest>.*)", compact
    ):
        if m.group(0)[0] in "隔双":
            interval = 2
        else:
            interval = _number(m.group("n")) if m.group("n") else 1
            if m.group("skip"):
                interval += 1  # 每隔一周 = every other week
        days = _weekdays(m.group("rest"))
        if not days:
            raise UserError("reading.rule_no_weekday", phrase=text)
        interval_part = f";INTERVAL={interval}" if interval > 1 else ""
        return f"FREQ=WEEKLY{interval_part};BYDAY={','.join(days)}"
    return None


def _monthly_by(rest: str, phrase: str) -> str:
    if re.match(r"(?:最后一天|月底|月末)", rest):
        return "BYMONTHDAY=-1"
    if m := re.match(rf"(?:第)?([一二三四五1-5])个?{_WD}([{_DAY_CHARS}])", rest):
        return f"BYDAY={_number(m.group(1))}{_WEEKDAY[m.group(2)]}"
    if m := re.match(rf"(?:最后一?|倒数第一)个?{_WD}([{_DAY_CHARS}])", rest):
        return f"BYDAY=-1{_WEEKDAY[m.group(1)]}"
    if m := re.match(rf"倒数第([一二三1-3])个?{_WD}([{_DAY_CHARS}])", rest):
        return f"BYDAY=-{_number(m.group(1))}{_WEEKDAY[m.group(2)]}"
    if m := re.match(r"(\d{1,2})[日号]", rest):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise UserError("reading.rule_bad_date", phrase=phrase)
        if day <= 28:
            return f"BYMONTHDAY={day}"
        # The 29th-31st do not exist every month: take the day or the month's last day.
        days = ",".join(str(d) for d in range(28, day + 1))
        return f"BYMONTHDAY={days};BYSETPOS=-1"
    raise UserError("reading.rule_unknown", phrase=phrase)


def _one_off_date(text: str, phrase: str, today: date | None) -> date:
    m = _DATE.search(text)
    if m is None:
        raise UserError("reading.rule_unknown", phrase=phrase)
    base = today or datetime.now(UTC).date()
    month, day = int(m.group(2)), int(m.group(3))
    try:
        if m.group(1):
            return date(int(m.group(1)), month, day)
        found = date(base.year, month, day)
        return found if found >= base else date(base.year + 1, month, day)
    except ValueError:
        raise UserError("reading.rule_bad_date", phrase=phrase) from None
