"""Chinese numerals and article references: 十二 <-> 12, "第12条" -> "第十二条".

Regulations number their articles in Chinese numerals, members type Arabic ones; both
must land on the same article, so every reference is brought to one canonical form.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "FIGURE_UNITS",
    "REF_RE",
    "SET_PHRASE",
    "canonical_ref",
    "canonicalize_refs",
    "cn_to_int",
    "count_digits",
    "figure_asked",
    "int_to_cn",
    "parse_number",
]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零一二三四五六七八九"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

NUMBER = r"[0-9０-９]+|[零〇一二两三四五六七八九十百千万]+"
# 编/章/节 are divisions, 条 articles, 款 paragraphs of an article, 项 items of a paragraph.
REF_RE = re.compile(rf"第\s*({NUMBER})\s*(编|章|节|条|款|项)")


def cn_to_int(text: str) -> int:
    """十二 -> 12, 一百零一 -> 101, 二〇二四 -> 2024 (digit by digit when there is no unit)."""
    if not text:
        raise ValueError("empty numeral")
    if any(ch not in _DIGITS and ch not in _UNITS and ch != "万" for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in _UNITS or ch == "万" for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            # a bare unit ("十二") means one of it
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
    return total + section + (digit or 0)


def int_to_cn(value: int) -> str:
    """12 -> 十二, 20 -> 二十, 101 -> 一百零一, 110 -> 一百一十 (the way regulations write them)."""
    if value < 0:
        raise ValueError("negative numbers are not article numbers")
    if value < 10:
        return _CN[value]
    if value < 20:
        return "十" + (_CN[value - 10] if value > 10 else "")
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _under_10000(low)
        return int_to_cn(high) + "万" + rest
    return _under_10000(value)


def _under_10000(value: int) -> str:
    out = ""
    pending_zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit)
        if digit:
            if pending_zero and out:
                out += "零"
            out += _CN[digit] + name
            pending_zero = False
        else:
            pending_zero = True
    return out


def parse_number(text: str) -> int:
    """Arabic (half- or full-width) or Chinese numerals."""
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    return int(text) if text.isdigit() else cn_to_int(text)


def canonical_ref(number: int, unit: str) -> str:
    return f"第{int_to_cn(number)}{unit}"


def canonicalize_refs(text: str) -> str:
    """Rewrites every 第N条/章/节/款 reference with Chinese numerals: 第 12 条 -> 第十二条."""

    def repl(match: re.Match[str]) -> str:
        try:
            return canonical_ref(parse_number(match.group(1)), match.group(2))
        except ValueError:
            return match.group(0)

    return REF_RE.sub(repl, text)


# A count: a numeral before a measure word. 三个月 and 3个月, 十人 and 10人, 两天 and 2天
# are one figure; 一般, 统一, 一事一案, 一人一档, 一届一档 or 三个一 are words, not counts,
# and stay as they are (一年一次 is a count).
_MEASURE = "个件天日年月次人名篇条分周届倍岁项页字小时工作日成"
SET_PHRASE = rf"一[{_MEASURE}]一[^{_MEASURE}]"
_COUNT = re.compile(
    rf"(?<!第)(?!{SET_PHRASE})([零〇一二两三四五六七八九十百千]+)(?=[{_MEASURE}])"
    rf"(?!分之|个[一二三四五六七八九十])"
)


def count_digits(text: str) -> str:
    """Counts written in Chinese numerals rewritten in digits: 提前三天 -> 提前3天."""

    def repl(match: re.Match[str]) -> str:
        try:
            return str(cn_to_int(match.group(1)))
        except ValueError:
            return match.group(0)

    return _COUNT.sub(repl, text)


_ASKED = re.compile(r"几|多少")

# The units a figure may be asked in (几天, 多少人), each with the units a rule may state it
# in (3日, 5个工作日; 10名): one table for choosing what to quote and for refusing.
_TIME = r"(?:个?工作日|天|日|周|星期|个?月|年|小时|分钟)"
FIGURE_UNITS = {
    "天": _TIME,
    "日": _TIME,
    "周": _TIME,
    "月": _TIME,
    "小时": _TIME,
    "分钟": _TIME,
    "年": r"(?:年|届|个?月)",
    "届": r"届",
    "人": r"(?:人|名|位)",
    "次": r"(?:次|回)",
    "字": r"字",
    "分": r"分",
    "件": r"(?:件|篇|个)",
    "篇": r"(?:篇|件|条|份)",  # (a report is counted in 条 as often as in 篇)
    "本": r"(?:本|册|部)",
    "项": r"(?:项|条|个)",
    "条": r"(?:条|篇|件|项)",  # (reports, items: 每年至少报送2条)
    "岁": r"岁",
    "元": r"元",
    "钱": r"元",
}
_UNIT_ASKED = re.compile(
    r"^(?:个|名|位)?(" + "|".join(sorted(FIGURE_UNITS, key=len, reverse=True)) + ")"
)


# A count named by its unit (字数, 人数, 字数上限): asks the figure as 多少字, 多少人 would.
_COUNT_NAMED = re.compile(r"^(字|人|天|次|件|篇|本|项)数(?:上限|下限|限制|要求)?$")


@lru_cache(maxsize=4096)
def figure_asked(word: str) -> re.Pattern[str] | None:
    """A question word asking a figure (扣几分, 提前几天, 多少字, 字数) as the pattern of its
    answer in text whose counts are digits (扣10分, 提前3日, 1500字); None for any other word."""
    if named := _COUNT_NAMED.match(word):
        word = "多少" + named.group(1)
    parts = _ASKED.split(word)
    if len(parts) < 2 or not "".join(parts):
        return None
    pattern = re.escape(parts[0])
    for after in parts[1:]:
        unit = _UNIT_ASKED.match(after)
        if unit is None:
            pattern += rf"\d+{re.escape(after)}"
        else:  # 几天 is answered in days of any kind (30日, 5个工作日), 几个人 by 10名
            rest = re.escape(after[unit.end() :])
            # a time is counted in at most three digits: 2019920日 is a date cut short
            count = r"(?<![0-9])[0-9]{1,3}" if FIGURE_UNITS[unit.group(1)] == _TIME else r"\d+"
            pattern += rf"{count}(?:个|名|位)?{FIGURE_UNITS[unit.group(1)]}{rest}"
    return re.compile(pattern)
