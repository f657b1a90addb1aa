"""Phrasings a clerk types for a time, with what they mean on Wednesday 3 December 2025,
10:00 in Asia/Shanghai. Shared by the unit test and the parser comparison in bench/."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 12, 3, 10, 0, tzinfo=ZONE)  # a Wednesday


def at(month: int, day: int, hour: int, minute: int = 0, *, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


# (typed, start, end)
PHRASINGS: list[tuple[str, datetime, datetime | None]] = [
    # relative days
    ("明天下午3点", at(12, 4, 15), None),
    ("明天上午9点", at(12, 4, 9), None),
    ("后天上午十点", at(12, 5, 10), None),
    ("大后天下午两点半", at(12, 6, 14, 30), None),
    ("今天下午4点", at(12, 3, 16), None),
    ("今晚8点", at(12, 3, 20), None),
    ("明早7点整", at(12, 4, 7), None),
    ("明晚七点半", at(12, 4, 19, 30), None),
    ("明天 14:30", at(12, 4, 14, 30), None),
    ("明日9时", at(12, 4, 9), None),
    ("3天后上午9点", at(12, 6, 9), None),
    # weekdays (today is Wednesday)
    ("下周三晚上7点半", at(12, 10, 19, 30), None),
    ("周五14:30", at(12, 5, 14, 30), None),
    ("星期五下午3点", at(12, 5, 15), None),
    ("周三十点", at(12, 3, 10), None),
    ("周一上午9点", at(12, 8, 9), None),
    ("周日上午10点", at(12, 7, 10), None),
    ("本周五下午2点", at(12, 5, 14), None),
    ("这周四上午10点", at(12, 4, 10), None),
    ("下周一上午9:30", at(12, 8, 9, 30), None),
    ("下星期二下午3点", at(12, 9, 15), None),
    ("下个礼拜五上午9点", at(12, 12, 9), None),
    ("下下周一9:00", at(12, 15, 9), None),
    # dates
    ("12月5日上午9:00", at(12, 5, 9), None),
    ("十二月五日下午两点", at(12, 5, 14), None),
    ("12月5号下午3点", at(12, 5, 15), None),
    ("5号上午9点", at(12, 5, 9), None),
    ("下个月5号下午3点", at(1, 5, 15, year=2026), None),
    ("1月5日 9:00", at(1, 5, 9, year=2026), None),
    ("2025年12月5日（星期五）上午9:00", at(12, 5, 9), None),
    ("12月5日(周五)下午3点", at(12, 5, 15), None),
    ("二〇二六年一月五日 九点零五分", at(1, 5, 9, 5, year=2026), None),
    ("12月8日三点一刻", at(12, 8, 3, 15), None),
    ("12月8日下午3点三刻", at(12, 8, 15, 45), None),
    ("12月8日中午12点半", at(12, 8, 12, 30), None),
    ("12月8日中午1点", at(12, 8, 13), None),
    ("12月8日凌晨1点", at(12, 8, 1), None),
    ("12月8日晚上十一点", at(12, 8, 23), None),
    # the formats accepted before, unchanged
    ("2025-12-05 09:00", at(12, 5, 9), None),
    ("2025/12/5 9:05", at(12, 5, 9, 5), None),
    ("2025年12月5日 14：30", at(12, 5, 14, 30), None),
    ("12月5日下午2点", at(12, 5, 14), None),
    ("12月5日上午9点半", at(12, 5, 9, 30), None),
    ("12月5日 9时30分", at(12, 5, 9, 30), None),
    ("１２月５日 ９:００", at(12, 5, 9), None),
    ("2025-12-05T09:00", at(12, 5, 9), None),
    ("12/5 9:00", at(12, 5, 9), None),
    # ranges
    ("12月5日上午9:00-12:00", at(12, 5, 9), at(12, 5, 12)),
    ("12月5日下午2点到5点", at(12, 5, 14), at(12, 5, 17)),
    ("2025年12月5日（星期五）上午9:00—12:00", at(12, 5, 9), at(12, 5, 12)),
    ("12月5日 14:30~17:00", at(12, 5, 14, 30), at(12, 5, 17)),
    ("12月5日上午9-11点", at(12, 5, 9), at(12, 5, 11)),
    ("明天上午10点至下午4点", at(12, 4, 10), at(12, 4, 16)),
    ("12月5日上午9点至6日下午5点", at(12, 5, 9), at(12, 6, 17)),
    ("12月5日至6日", at(12, 5, 0), at(12, 6, 0)),
    ("12月5日-12月7日", at(12, 5, 0), at(12, 7, 0)),
    ("12月30日至1月2日", at(12, 30, 0), at(1, 2, 0, year=2026)),
    ("下午2点到5点", at(12, 3, 14), at(12, 3, 17)),
]

# Not a time, or a contradiction a clerk would want caught.
UNREADABLE = [
    "",
    "上午",
    "下午开会",
    "12月5日（周四）上午9点",  # 5 December 2025 is a Friday
    "2025-02-30 09:00",
    "12月5日 25:00",
    "12月5日 9:75",
    "晚上12点",
    "上午14点",
    "12月5日至下午3点",
    "明天下午3点左右",
    "随时",
]
