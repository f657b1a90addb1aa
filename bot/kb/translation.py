"""How members' words are written in the rules, learned from questions and their articles.

A member asks 假条给谁 where the rule writes 书面请假报告 and 报送; 一份提案由哪几块组成 where it
writes 标题、案由和办法三部分. BM25 sees none of that. This table holds, for a word members
ask with, the words of the passages that answer it and how likely each is to stand for it:
t(asked | written), fitted by the EM of IBM model 1 (Berger and Lafferty's translation model
of retrieval) on question / answering passage pairs of the development sets
(``bench/kb_translation.py``). A passage then scores by how likely its words are to say
the question, and that score re-ranks the passages BM25 and coverage put first.

The pairs come from many committees' rulebooks and question writers; a held-out set never
enters the table. Without the table file the ranking is BM25 and coverage alone.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.catalogue import CONFIG_DIR
from bot.kb.learned import load_learned
from bot.kb.query import QueryGroup

__all__ = [
    "TRANSLATION_FILE",
    "TranslationTable",
    "asked_words",
    "fit_translation",
    "translation_table",
]


TRANSLATION_FILE = CONFIG_DIR / "kb_translation.json"

_NULL = "\u0000"  # the empty word: a question word no passage word stands for
_KEEP_ABOVE = 0.01  # smaller t(asked | written) are dropped from the shipped table
_FEWEST_WORDS = 3
_MIN_RULEBOOKS = 3  # a passage word is read when answers in this many rulebooks hold it


@dataclass(frozen=True, slots=True)
class TranslationTable:
    # asked word -> {written word: t(asked | written)}
    table: Mapping[str, Mapping[str, float]]
    # how much of a word's likelihood comes from the passage rather than the whole rulebook
    share: float = 0.6
    # how much the translation score weighs beside BM25 and coverage (scaled to the best)
    weight: float = 0.5
    # the most a passage's score can fall below the likeliest passage's, in nats: a passage
    # BM25 ranks high on words the table has few questions on keeps most of its place
    most_below: float = 1.0
    # a passage's words are each this likely to be what says a question word, but a long
    # passage (a report's paragraph) is not diluted beyond this many words
    longest: int = 60
    # the least likelihood of a word standing for itself: a word the questions never taught
    # (网课, a committee's own term) still says itself where a passage writes it
    itself: float = 0.5

    def speaks_for(self, asked: Sequence[str]) -> bool:
        """Whether the table can say how likely a passage is to answer these words: a
        question of three words or more (会议类型 is one word's translations, and BM25 with
        the checks' nudges knows as much; the development sets show no gain below three),
        mostly in words members asked with in the questions it was fitted on (中欧班列集结
        中心…, a report's matter, is left to BM25, which a few known words would mislead)."""
        return len(asked) >= _FEWEST_WORDS and 2 * sum(w in self.table for w in asked) >= len(asked)

    def score(
        self,
        asked: Sequence[str],
        written: Iterable[str],
        background: Mapping[str, float],
    ) -> float:
        """Mean log-likelihood of the asked words given the passage's words, each mixed
        with its likelihood in the whole rulebook (``background``, never zero)."""
        words = set(written)
        if not asked or not words:
            return 0.0
        total = 0.0
        for word in asked:
            row = self.table.get(word)
            said = 0.0
            if row:
                if len(row) < len(words):
                    said = sum(t for w, t in row.items() if w in words)
                else:
                    said = sum(row.get(w, 0.0) for w in words)
            if word in words:
                said += max(0.0, self.itself - (row.get(word, 0.0) if row else 0.0))
            said /= min(len(words), self.longest)
            total += math.log(self.share * said + (1 - self.share) * background[word])
        return total / len(asked)

    @classmethod
    def load(cls, path: Path) -> TranslationTable | None:
        def build(data: Any) -> TranslationTable:
            return cls(
                table={
                    str(asked): {str(w): float(t) for w, t in row.items()}
                    for asked, row in data["table"].items()
                },
                share=float(data["share"]),
                weight=float(data["weight"]),
                most_below=float(data["most_below"]),
                longest=int(data["longest"]),
                itself=float(data["itself"]),
            )

        return load_learned(
            path, build, what="word translation table", without="ranking without it"
        )

    def dump(self, path: Path, **about: object) -> None:
        data = {
            **about,
            "share": self.share,
            "weight": self.weight,
            "most_below": self.most_below,
            "longest": self.longest,
            "itself": self.itself,
            "table": {
                asked: {w: round(t, 4) for w, t in sorted(row.items(), key=lambda x: -x[1])}
                for asked, row in sorted(self.table.items())
            },
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def asked_words(groups: Sequence[QueryGroup]) -> list[str]:
    """A question's words as the table reads them: a compound by the words it is made of
    (提案办理: 提案 办理), so a rule writing them apart still says it."""
    out: list[str] = []
    for group in groups:
        parts = [
            p
            for p in group.members[group.forms :]
            if len(p) > 1 and p != group.word and p in group.word
        ]
        out += parts or [group.word]
    return out


def fit_translation(
    pairs: Iterable[tuple[Sequence[str], Iterable[str], str]],
    *,
    rounds: int = 6,
    keep_above: float = _KEEP_ABOVE,
    min_rulebooks: int = _MIN_RULEBOOKS,
) -> TranslationTable:
    """IBM model 1 by EM over (question words, answering passage's words, the rulebook it
    is of) triples."""
    triples = [(list(asked), {*written}, origin) for asked, written, origin in pairs if asked]
    # a passage word of one rulebook's answers (个别人, its site's address, its Q9) is
    # explained by whatever those questions asked: it says nothing of how members ask
    rulebooks: dict[str, set[str]] = defaultdict(set)
    for _, words, origin in triples:
        for w in words:
            rulebooks[w].add(origin)
    data = [
        (asked, [*(w for w in words if len(rulebooks[w]) >= min_rulebooks), _NULL])
        for asked, words, _ in triples
    ]
    t: dict[tuple[str, str], float] = {}
    start = 1e-3
    for _ in range(rounds):
        counts: dict[tuple[str, str], float] = defaultdict(float)
        totals: dict[str, float] = defaultdict(float)
        for asked, written in data:
            for a in asked:
                z = sum(t.get((a, w), start) for w in written)
                for w in written:
                    c = t.get((a, w), start) / z
                    counts[(a, w)] += c
                    totals[w] += c
        t = {key: c / totals[key[1]] for key, c in counts.items()}
        start = 0.0
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, w), p in t.items():
        if w != _NULL and p >= keep_above:
            table[a][w] = p
    return TranslationTable(table=dict(table))


@cache
def translation_table() -> TranslationTable | None:
    """The shipped table, read once per process; None when it cannot be read."""
    return TranslationTable.load(TRANSLATION_FILE)
