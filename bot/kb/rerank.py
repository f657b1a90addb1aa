"""Which of the first passages found answers: a learned re-ranking of the first ten.

BM25, coverage and the word translation table each say something of a passage; how much
each should count, and how much the question's characters found in the passage's title,
heading and body add, is learned rather than set by hand. A linear score over those figures,
fitted pairwise (the answering passage above each other one found with it) on the
development question sets (``bench/kb_rerank.py``, never on held-out ones), re-orders the
first ``depth`` passages. Members name a rule by its title (立案标准从什么时候开始用), ask a
Q&A page's own question in their words (社情民意到底是个啥 for 什么是社情民意信息？), or
hold the answer's characters in words jieba cut otherwise: those are what it weighs.

Without ``config/kb_rerank.json`` the order is the hand-set one (BM25, coverage, table).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.catalogue import CONFIG_DIR
from bot.kb.learned import load_learned
from bot.kb.tokenize import char_grams

__all__ = ["RERANK_FILE", "Candidate", "Reranker", "candidate_features", "passage_reranker"]

RERANK_FILE = CONFIG_DIR / "kb_rerank.json"
DEPTH = 10  # the passages re-ordered: below the tenth the answer is seldom found (bench/)
_MOST_BELOW = 3.0  # the translation score's fall below the likeliest passage, at most (nats)
_LIST = re.compile(r"\n\s*[(（][一二三四五六七八九十0-9]{1,3}[)）]|\n\s*[0-9]{1,2}[.．、]")
_QUESTION_LINE = re.compile(r"[？?]\s*$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the ranking knows of one passage found, in the order it ranked them."""

    score: float  # the fused BM25 score, scaled to the best
    coverage: float
    evidence: float
    relevance: float
    said: float  # the translation table's score (0: not scored)
    title: str
    headings: str
    body: str


def _share(grams: Sequence[str], held: set[str]) -> float:
    return sum(g in held for g in grams) / len(grams) if grams else 0.0


def candidate_features(question: str, candidates: Sequence[Candidate]) -> list[dict[str, float]]:
    """The figures the re-ranking weighs, for each candidate (``bench/kb_rerank.py`` fits on
    exactly these)."""
    grams = list(dict.fromkeys(char_grams(question)))
    likeliest = max((c.said for c in candidates), default=0.0)
    out = []
    for rank, c in enumerate(candidates, start=1):
        first_line = c.body.split("\n", 1)[0]
        asked = bool(_QUESTION_LINE.search(c.headings) or _QUESTION_LINE.search(first_line))
        # a Q&A page's question line is the heading its answer stands under
        headings = f"{c.headings}\n{first_line}" if asked else c.headings
        in_heading = _share(grams, set(char_grams(headings)))
        out.append(
            {
                "relevance": c.relevance,
                "inverse_rank": 1.0 / rank,
                "score": c.score,
                "coverage": c.coverage,
                "evidence": c.evidence,
                "said": max(c.said - likeliest, -_MOST_BELOW) if likeliest or c.said else 0.0,
                "in_body": _share(grams, set(char_grams(c.body))),
                "in_heading": in_heading,
                "in_title": _share(grams, set(char_grams(c.title))),
                "length": math.log1p(len(c.body)) / 6,
                "list": float(bool(_LIST.search(c.body))),
                "question_line": float(asked),
                "question_line_held": in_heading if asked else 0.0,
            }
        )
    return out


@dataclass(frozen=True, slots=True)
class Reranker:
    weights: Mapping[str, float]
    depth: int = DEPTH

    def order(self, feats: Sequence[Mapping[str, float]]) -> list[int]:
        """The candidates' positions (their ``candidate_features``), best first; ties keep
        the ranking's order."""
        scores = [
            sum(self.weights.get(name, 0.0) * value for name, value in f.items()) for f in feats
        ]
        return sorted(range(len(scores)), key=lambda i: (-scores[i], i))

    @classmethod
    def load(cls, path: Path) -> Reranker | None:
        def build(data: Any) -> Reranker:
            return cls(
                weights={str(k): float(v) for k, v in data["weights"].items()},
                depth=int(data["depth"]),
            )

        return load_learned(path, build, what="passage re-ranking", without="ranking without it")

    def dump(self, path: Path, **about: object) -> None:
        data = {
            **about,
            "depth": self.depth,
            "weights": {k: round(v, 5) for k, v in sorted(self.weights.items())},
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@cache
def passage_reranker() -> Reranker | None:
    """The shipped re-ranking, read once per process; None when it cannot be read."""
    return Reranker.load(RERANK_FILE)
