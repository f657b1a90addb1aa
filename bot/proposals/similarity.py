"""Near-duplicate proposals: word-level and character-level TF-IDF cosines, combined.

Both kinds of evidence come from the matching core (``matching.py``, over the rulebook's
tokenizer): words with frame words (加强, 完善, 建议 …) dropped and synonyms folded, so
"加强社区居家养老服务" and "完善社区居家养老服务体系" meet on 社区, 居家养老, 服务; and the
character pairs of those words, which catch the same matter cut into different words.
IDF over the term's proposals keeps what many proposals share from deciding.
``WORD_WEIGHT`` and the threshold in config/proposals.toml were chosen on the tune half
of bench/similarity_eval/pairs.jsonl (``bench/similarity_eval.py`` prints both halves).

Segmenting is the cost (jieba, a few milliseconds a proposal), so a rebuild reuses what
the previous index analysed (submitted proposals never change), and a query adds up the
postings of its own terms (numpy arrays) instead of visiting every proposal.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.proposals.matching import Analyzer, analyzer

__all__ = ["WORD_WEIGHT", "Match", "SimilarityIndex"]

# Share of the word-level cosine in the score; the rest is the character-level cosine.
WORD_WEIGHT = 0.7

# A document as analysed: its text's hash (to tell a reusable analysis) and the sublinear
# term frequencies of its words and of its character pairs.
_Analysed = tuple[int, dict[str, float], dict[str, float]]


@dataclass(frozen=True, slots=True)
class Match:
    ref: int
    label: str
    score: float


def _sublinear(counts: Counter[str]) -> dict[str, float]:
    return {t: 1 + math.log(c) for t, c in counts.items()}


class _Space:
    """One kind of evidence over the documents: IDF, postings (numpy arrays: a query adds
    one array per term of its own instead of visiting every proposal), each norm."""

    def __init__(self, docs: list[dict[str, float]]) -> None:
        n = len(docs)
        lists: defaultdict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for i, tf in enumerate(docs):
            for t, w in tf.items():
                where, weights = lists[t]
                where.append(i)
                weights.append(w)
        self.size = n
        self._default = math.log(n + 1) + 1.0
        self.idf = {t: math.log((n + 1) / (len(p[0]) + 1)) + 1.0 for t, p in lists.items()}
        # Postings hold TF x IDF, so a query multiplies by its own weight only.
        self.postings = {
            t: (np.array(where, dtype=np.int32), np.array(weights) * self.idf[t])
            for t, (where, weights) in lists.items()
        }
        squares = np.zeros(n)
        for rows, weighted in self.postings.values():
            squares[rows] += weighted * weighted
        self.norms = np.sqrt(squares)
        self.norms[self.norms == 0] = 1.0

    def cosines(self, tf: dict[str, float]) -> np.ndarray:
        """Cosine of the query with every document (0 where no term is shared)."""
        weights = {t: w * self.idf.get(t, self._default) for t, w in tf.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        dots = np.zeros(self.size)
        for t, w in weights.items():
            posting = self.postings.get(t)
            if posting is not None:
                dots[posting[0]] += w * posting[1]
        return dots / (norm * self.norms)


class SimilarityIndex:
    """The term's proposals, ready to compare a draft against."""

    def __init__(
        self,
        documents: Iterable[tuple[int, str, str]],
        *,
        matcher: Analyzer | None = None,
        previous: SimilarityIndex | None = None,
    ) -> None:
        """``documents``: (id, label shown to the member, text compared). Analyses of
        ``previous`` are reused for the same id and text."""
        self._matcher = matcher or analyzer()
        known = previous._analysed if previous is not None else {}
        self._refs: list[int] = []
        self._labels: list[str] = []
        self._analysed: dict[int, _Analysed] = {}
        for ref, label, text in documents:
            key = hash(text)
            done = known.get(ref)
            if done is None or done[0] != key:
                content = self._matcher.content(text)
                done = (key, _sublinear(content.words), _sublinear(content.grams))
            self._refs.append(ref)
            self._labels.append(label)
            self._analysed[ref] = done
        analysed = [self._analysed[ref] for ref in self._refs]
        self._words = _Space([a[1] for a in analysed])
        self._grams = _Space([a[2] for a in analysed])

    def __len__(self) -> int:
        return len(self._refs)

    def query(
        self, text: str, *, threshold: float = 0.0, top: int = 3, exclude: int | None = None
    ) -> list[Match]:
        """The closest documents, best first, scoring at least ``threshold``."""
        content = self._matcher.content(text)
        if not content.words and not content.grams:
            return []
        scores = WORD_WEIGHT * self._words.cosines(_sublinear(content.words)) + (
            1 - WORD_WEIGHT
        ) * self._grams.cosines(_sublinear(content.grams))
        out = []
        for i in np.flatnonzero(scores >= threshold):
            ref = self._refs[i]
            if ref != exclude:
                out.append(Match(ref=ref, label=self._labels[i], score=round(float(scores[i]), 3)))
        out.sort(key=lambda m: (-m.score, m.ref))
        return out[:top]
