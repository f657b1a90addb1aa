"""The markers Word draws for automatically numbered paragraphs (（一）, 第一条, 1.).

In a docx they are not in the text: the paragraph names a numbering definition and a level,
and Word counts. Without them a list of grounds loses its （一）（二） and cannot be cited item
by item, so they are counted here the way Word does and put back in front of the text.

As in Word, the lists of one abstract definition share their count: a list that should start
again at （一） says so by a level override (``startOverride``, or a whole ``lvl``), which is
how Word writes "restart numbering" for each article's grounds.
"""

from __future__ import annotations

import re
from typing import Any

from bot.kb.numerals import int_to_cn

__all__ = ["Numbering"]

_CHINESE = frozenset({"chineseCounting", "chineseCountingThousand"})
_STEMS = "甲乙丙丁戊己庚辛壬癸"  # Word's ideographTraditional
_LEVEL_REF = re.compile(r"%([1-9])")


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


def _format(number: int, fmt: str) -> str:
    if fmt in _CHINESE:
        return int_to_cn(number)
    if fmt == "ideographTraditional" and 1 <= number <= len(_STEMS):
        return _STEMS[number - 1]
    if fmt in ("lowerLetter", "upperLetter") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalEnclosedCircle" and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    return str(number)


# A level as Word draws it: number format, text with %1..%9, the value it starts at.
_Level = tuple[str, str, int]


class Numbering:
    """Counts one document's numbered paragraphs in order."""

    def __init__(self, document: Any) -> None:
        # per numbering instance: its abstract definition, its levels, the levels it restarts
        self._levels: dict[str, tuple[str, dict[int, _Level], frozenset[int]]] = {}
        self._counters: dict[str, list[int]] = {}  # per abstract definition, as Word counts
        self._begun: set[str] = set()
        try:
            part = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            part = None
        self._part = part

    def marker(self, paragraph: Any) -> str:
        """The marker Word shows before ``paragraph`` ("" when it is not numbered, or when
        its numbering definition is damaged: the text still loads, without the marker)."""
        try:
            return self._marker(paragraph)
        except (ValueError, TypeError, KeyError, AttributeError):
            return ""

    def _marker(self, paragraph: Any) -> str:
        found = self._num_pr(paragraph)
        if found is None or self._part is None:
            return ""
        num_id, level = found
        abstract, levels, restarts = self._definition(num_id)
        if level not in levels:
            return ""
        fmt, text, _ = levels[level]
        if fmt in ("bullet", "none") or not text:
            return ""
        counters = self._counters.setdefault(abstract, [0] * 9)
        if num_id not in self._begun:
            self._begun.add(num_id)
            for restarted in restarts:
                counters[restarted] = 0
        counters[level] = counters[level] + 1 if counters[level] else levels[level][2]
        for deeper in range(level + 1, 9):
            counters[deeper] = 0

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            value = counters[at] or (levels[at][2] if at in levels else 1)
            return _format(value, levels[at][0] if at in levels else "decimal")

        return _LEVEL_REF.sub(number, text)

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        for holder in (
            paragraph._p,
            paragraph.style.element if paragraph.style is not None else None,
        ):
            ppr = holder.pPr if holder is not None else None
            num_pr = ppr.numPr if ppr is not None else None
            if num_pr is not None and num_pr.numId is not None:
                level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
                return str(num_pr.numId.val), int(level)
        return None

    def _definition(self, num_id: str) -> tuple[str, dict[int, _Level], frozenset[int]]:
        if num_id not in self._levels:
            levels: dict[int, _Level] = {}
            restarts: set[int] = set()
            try:
                num = self._part.num_having_numId(int(num_id))
                abstract_id = str(num.abstractNumId.val)
            except (KeyError, ValueError, AttributeError):
                num, abstract_id = None, None
            for abstract in self._part.findall(_w("abstractNum")) if abstract_id else ():
                if abstract.get(_w("abstractNumId")) == abstract_id:
                    levels.update(_levels(abstract))
            for override in num.findall(_w("lvlOverride")) if num is not None else ():
                at = int(override.get(_w("ilvl"), "0"))
                levels.update(_levels(override))
                start = override.find(_w("startOverride"))
                if start is not None and at in levels:
                    fmt, text, _ = levels[at]
                    levels[at] = (fmt, text, int(start.get(_w("val"), "1")))
                if start is not None or override.find(_w("lvl")) is not None:
                    restarts.add(at)
            key = abstract_id if abstract_id is not None else f"num {num_id}"
            self._levels[num_id] = (key, levels, frozenset(restarts))
        return self._levels[num_id]


def _levels(holder: Any) -> dict[int, _Level]:
    """The levels an abstract definition (or a level override) defines."""
    levels: dict[int, _Level] = {}
    for lvl in holder.findall(_w("lvl")):
        fmt = lvl.find(_w("numFmt"))
        text = lvl.find(_w("lvlText"))
        start = lvl.find(_w("start"))
        levels[int(lvl.get(_w("ilvl"), "0"))] = (
            fmt.get(_w("val"), "decimal") if fmt is not None else "decimal",
            text.get(_w("val"), "") if text is not None else "",
            int(start.get(_w("val"), "1")) if start is not None else 1,
        )
    return levels
