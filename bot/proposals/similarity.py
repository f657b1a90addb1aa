"""Near-duplicate proposals: TF-IDF weighted character bigrams, cosine similarity.

Character bigrams need no segmenter and catch the same matter written in different words
well enough for a clerk's "there is already a proposal on this" hint. IDF weighting over the
term's proposals keeps the bigrams every proposal shares (建议, 加强, 提案) from making all
proposals look alike.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Match", "SimilarityIndex", "bigrams"]

_KEEP = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
# Frame words that say nothing about the matter.
_FRAME = ("关于", "的提案", "提案", "建议", "进一步")


def bigrams(text: str) -> Counter[str]:
    for word in _FRAME:
        text = text.replace(word, " ")
    grams: Counter[str] = Counter()
    for run in _KEEP.findall(text):
        if len(run) == 1:
            grams[run] += 1
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@dataclass(frozen=True, slots=True)
class Match:
    ref: int
    label: str
    score: float


class SimilarityIndex:
    """The term's proposals, ready to compare a draft against."""

    def __init__(self, documents: Iterable[tuple[int, str, str]]) -> None:
        """``documents``: (id, label shown to the member, text compared)."""
        docs = [(ref, label, bigrams(text)) for ref, label, text in documents]
        df: Counter[str] = Counter()
        for _, _, grams in docs:
            df.update(grams.keys())
        n = len(docs)
        self._idf = {g: math.log((n + 1) / (c + 1)) + 1.0 for g, c in df.items()}
        self._default_idf = math.log(n + 1) + 1.0
        self._docs = [(ref, label, self._weigh(grams)) for ref, label, grams in docs]

    def __len__(self) -> int:
        return len(self._docs)

    def _weigh(self, grams: Counter[str]) -> tuple[dict[str, float], float]:
        vec = {g: (1 + math.log(c)) * self._idf.get(g, self._default_idf) for g, c in grams.items()}
        return vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0

    def query(
        self, text: str, *, threshold: float = 0.0, top: int = 3, exclude: int | None = None
    ) -> list[Match]:
        """The closest documents, best first, scoring at least ``threshold``."""
        vec, norm = self._weigh(bigrams(text))
        if not vec:
            return []
        out = []
        for ref, label, (dvec, dnorm) in self._docs:
            if ref == exclude:
                continue
            small, large = (vec, dvec) if len(vec) < len(dvec) else (dvec, vec)
            dot = sum(w * large.get(g, 0.0) for g, w in small.items())
            score = dot / (norm * dnorm)
            if score >= threshold:
                out.append(Match(ref=ref, label=label, score=round(score, 3)))
        out.sort(key=lambda m: (-m.score, m.ref))
        return out[:top]
