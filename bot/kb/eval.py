"""Evaluation of retrieval and refusal over a JSONL file.

Each line: ``{"question": ..., "source": "<file>.md" | null, "expect": ["fragment", ...]}``,
or, naming the unit that answers, ``"locator": "（七）", "path": ["第十条", "（七）"],
"also": ["第三条", "other.md:5"]`` (the format of ``bench/kb_eval/realistic``); an optional
``"split"`` ("tune" / "heldout") lets a run take one part only. ``source`` null (or absent)
means the question is out of scope and must be refused.

What is scored is what a member sees: the citations of the answer (none when it refused).
A citation is a hit when it comes from ``source`` and contains an expected fragment (any
citation of ``source`` when there are none), or, for unit items, when its locator names the
expected unit (its outer units may be left out), or names an enclosing unit whose quoted text
holds the expected item. Reported: hit@1, hit@3 and MRR over in-scope questions, refusal
accuracy over out-of-scope ones, and the answered rate over in-scope ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.kb.chinese_script import simplified
from bot.kb.normalize import EMOJI_LEAD, KEYCAP, fingerprint
from bot.kb.numerals import canonicalize_refs, cn_to_int

__all__ = ["Asker", "EvalItem", "EvalReport", "evaluate", "is_hit", "load_items", "unit_markers"]


@dataclass(frozen=True, slots=True)
class EvalItem:
    question: str
    source: str | None
    expect: tuple[str, ...] = ()
    # accepted units: (source, path from the outermost unit to the one that answers)
    units: tuple[tuple[str, tuple[str, ...]], ...] = ()
    split: str | None = None

    @property
    def in_scope(self) -> bool:
        return self.source is not None


@dataclass(slots=True)
class EvalReport:
    in_scope: int = 0
    out_of_scope: int = 0
    hits_at_1: int = 0
    hits_at_3: int = 0
    reciprocal_ranks: float = 0.0
    found_in_scope: int = 0
    refused_out_of_scope: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def hit_at_1(self) -> float:
        return self.hits_at_1 / self.in_scope if self.in_scope else 0.0

    @property
    def hit_at_3(self) -> float:
        return self.hits_at_3 / self.in_scope if self.in_scope else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.in_scope if self.in_scope else 0.0

    @property
    def refusal_accuracy(self) -> float:
        return self.refused_out_of_scope / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def answer_rate(self) -> float:
        return self.found_in_scope / self.in_scope if self.in_scope else 1.0

    def figures(self) -> dict[str, float | int]:
        return {
            "questions": self.in_scope + self.out_of_scope,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
            "hit@1": round(self.hit_at_1, 3),
            "hit@3": round(self.hit_at_3, 3),
            "mrr": round(self.mrr, 3),
            "refusal_accuracy": round(self.refusal_accuracy, 3),
            "answer_rate": round(self.answer_rate, 3),
        }


class BadEvalLine(ValueError):
    """A line of an evaluation file that is no evaluation item."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def load_items(path: str | Path, *, split: str | None = None) -> list[EvalItem]:
    items: list[EvalItem] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            item = _item(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise BadEvalLine(number, f"{path}:{number}: not an evaluation item ({exc})") from exc
        if split is None or item.split == split:
            items.append(item)
    return items


def _fragments(expect: Any) -> tuple[str, ...]:
    """The fragments a cited text must hold: a list of them, or one written alone (not
    its characters, any one of which nearly every passage holds)."""
    if isinstance(expect, str):
        return (expect,) if expect else ()
    return tuple(str(x) for x in expect or ())


def _item(data: dict[str, Any]) -> EvalItem:
    source = data.get("source")
    units: list[tuple[str, tuple[str, ...]]] = []
    if source is not None and (data.get("locator") or data.get("path")):
        path = data.get("path") or [data["locator"]]
        units.append((str(source), tuple(_norm(str(u)) for u in path)))
        also = data.get("also") or []
        # one target may be written alone, not as a list (its characters are no targets)
        for other in [also] if isinstance(also, str) else also:
            where, _, joined = str(other).rpartition(":")
            units.append((where or str(source), tuple(unit_markers(joined))))
    return EvalItem(
        question=str(data["question"]),
        source=None if source is None else str(source),
        expect=_fragments(data.get("expect")),
        units=tuple(units),
        split=None if data.get("split") is None else str(data["split"]),
    )


# 第十条 / 第二章 / 二、 / （七） / 5. — the unit markers a locator or a joined path names.
_MARKER = re.compile(
    r"第[零〇一二三四五六七八九十百千0-9]+[条章节款项]|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十0-9]+[）)]|(?<![0-9])[0-9]{1,3}(?=[.．、]|$)"
    # a Q&A page's question by its number: Q2：…, 问3, Q4 › 6月 (a row of its table), 【问7】…
    r"|(?<=[问Qq])[0-9]{1,3}(?=\s*[：:】]|\s+›|$)"
    # a sub-item numbered ①, and a handbook's part (第二部分 › 三、请假)
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]|第[一二三四五六七八九十0-9]+部分"
)


def _norm(unit: str) -> str:
    # a rule in traditional characters names 第十二條 where a question set may write 第十二条,
    # and a set may write 第33条 for 第三十三条
    # a WeChat article's points (2️⃣) and sections (📌 扫码签到) as the page shows them
    unit = EMOJI_LEAD.sub("", KEYCAP.sub(r"\1", unit))
    unit = canonicalize_refs(simplified(unit))
    unit = unit.strip().replace("(", "（").replace(")", "）").rstrip(".．")
    # an item numbered 3、 is the item numbered 3. (一、 is a section: kept)
    return re.sub(r"^(?:[问Qq]\s*)?([0-9]{1,3})、?$", r"\1", unit)


def unit_markers(locator: str) -> list[str]:
    """The units a locator names, outermost first: "（二）请假程序 › 2. 请假…" → ["（二）", "2"]."""
    return [_norm(m.group(0)) for m in _MARKER.finditer(simplified(locator))]


# A question of a Q&A page without a number is named by its own words: "问：请假要提前几天？".
_ASKED = re.compile(r"^(?:问题|问|Q|q)\s*[0-9]*\s*[：:]\s*")


def _names_text(unit: str, locator: str) -> bool:
    """Whether ``locator`` names the unnumbered question ``unit`` (its words, maybe cut)."""
    if " › " in locator:
        # a path (积分项目 › 出席全体会议): the set may name its innermost unit alone
        inner = locator.rsplit(" › ", 1)[1]
        if _names_text(unit, inner):
            return True
    core = _ASKED.sub("", locator.strip())
    core = re.split(r"[？?]", core, maxsplit=1)[0].rstrip("…")
    unit = _ASKED.sub("", unit).rstrip("？?")  # (a set may name it with its 问：)
    if core == unit:
        return True  # (a heading of a word or two, 住宿, named as it is)
    if len(core) < 4:
        return False
    return unit.startswith(core) or core.startswith(unit)


_QUESTION_NUMBER = re.compile(r"[一二三四五六七八九十]{1,3}、")


def _names_unit(path: tuple[str, ...], locator: str, text: str) -> bool:
    if _quotes_the_row(path, locator, text):
        return True
    words = [u for u in path if not _MARKER.fullmatch(u)]
    if words:
        if not _MARKER.fullmatch(path[-1]):
            # a question names itself: the section it stands in may be left out, as an
            # item's outer units may (a 2. names nothing without its section's words)
            words = words[-1:]
        if not all(_names_text(u, locator) for u in words):
            return False
        path = tuple(u for u in path if _MARKER.fullmatch(u))
        if not path:
            return True
        locator = re.split(r"[？?]", locator, maxsplit=1)[-1]  # the units after the question
        if not unit_markers(locator):
            # the question quoted whole: its answer holds the step
            return any(line.lstrip().startswith(path[-1]) for line in text.splitlines())
    named = unit_markers(locator)
    if not named or not path:
        return False
    # a Q&A page's question numbered 十三、…？ is its 13th: a set may name it 13
    if (
        len(path) == 1
        and re.search(r"[？?]", locator)
        and _QUESTION_NUMBER.fullmatch(named[0])
        and path[0] == str(cn_to_int(named[0][:-1]))
    ):
        return True
    if path[-1] in named:
        # the outer units it names must be on the path (（二） of 第三条 is not （二） of 第十条)
        # (chapters, sections and parts are never on a path: an article is numbered across
        # them)
        outer = [u for u in named[: named.index(path[-1])] if not u.endswith(("章", "节", "部分"))]
        if len(path) == 1:
            # a set naming an item alone (1.) under a Markdown section (## 二、…) names no
            # section: the answer naming it (二、1.) is the item the set meant
            outer = [u for u in outer if not u.endswith("、")]
        return all(u in path for u in outer)
    # an enclosing unit, quoted whole, holds the item
    return named[-1] in path and path[-1] in text.replace("(", "（").replace(")", "）")


def _quotes_the_row(path: tuple[str, ...], locator: str, text: str) -> bool:
    """A table's row the answer quotes: named by its 序号 (5) and cited by its name (第3段 ›
    提交提案), the row quoted opening with that number; or named by its first cell (附件 ›
    会议出席) and cited with the whole table that holds it (附件)."""
    if not path:
        return False
    row = path[-1]
    if len(path) == 1 and row.isdigit() and " › " in locator:
        name = re.escape(locator.rsplit(" › ", 1)[1].strip())
        return bool(re.search(rf"(?m)^\s*\|?\s*{row}\s*[|\t]\s*{name}\s*[|\t]", text))
    if _MARKER.fullmatch(_norm(row)) or " › " in locator:
        return False
    if len(path) > 1 and _norm(path[-2]) not in _norm(locator):
        return False  # (the table of another unit: 附件2's row is not 附件3's)
    return bool(re.search(rf"(?m)^\s*[|｜]?\s*{re.escape(row)}\s*[|｜\t]", text))


def is_hit(item: EvalItem, source: str, locator: str, text: str) -> bool:
    """Whether one citation (source, locator, quoted text) answers ``item``."""
    if item.units:
        return any(
            source == where and _names_unit(path, locator, text) for where, path in item.units
        )
    if source != item.source:
        return False
    if not item.expect:
        return True
    body = fingerprint(text)
    return any(fingerprint(fragment) in body for fragment in item.expect)


# ask(question) -> (the answer's citations as (source, locator, text), found)
Asker = Callable[[str], tuple[Sequence[tuple[str, str, str]], bool]]


def evaluate(items: Iterable[EvalItem], ask: Asker) -> EvalReport:
    report = EvalReport()
    for item in items:
        ranked, found = ask(item.question)
        if not item.in_scope:
            report.out_of_scope += 1
            if not found:
                report.refused_out_of_scope += 1
            else:
                report.misses.append(f"answered out-of-scope: {item.question}")
            continue
        report.in_scope += 1
        if found:
            report.found_in_scope += 1
        rank = next(
            (
                i
                for i, (source, locator, text) in enumerate(ranked, start=1)
                if is_hit(item, source, locator, text)
            ),
            None,
        )
        if rank is None:
            report.misses.append(f"not retrieved: {item.question}")
            continue
        report.hits_at_1 += rank == 1
        report.hits_at_3 += rank <= 3
        report.reciprocal_ranks += 1 / rank
        if not found:
            report.misses.append(f"refused in-scope: {item.question}")
    return report
