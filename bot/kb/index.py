"""BM25 ranking over passages (bm25s), with a coverage figure for the not-found decision.

BM25 scores are not comparable between questions, so they cannot decide alone whether
anything relevant was found. Each hit also carries ``coverage``: the share of the
question's informative weight (IDF of its distinct tokens; a word the rulebook never uses
counts as the rarest) that the passage contains. "今天天气怎么样" has coverage 0 on any
rulebook however high its best BM25 score, "提案办理期限" close to 1 on the right article.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from bot.kb.tokenize import Tokenizer

if TYPE_CHECKING:
    import bm25s

__all__ = ["Hit", "PassageIndex"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    entry: T
    score: float
    coverage: float
    rank: int


class PassageIndex(Generic[T]):
    """Immutable: build a new one when passages change (building is fast; see bench/)."""

    def __init__(
        self, *, entries: Sequence[T], token_lists: Sequence[Sequence[str]], tokenizer: Tokenizer
    ) -> None:
        if len(entries) != len(token_lists):
            raise ValueError("one token list per entry")
        self.entries = list(entries)
        self.tokenizer = tokenizer
        self._token_sets = [frozenset(tokens) for tokens in token_lists]
        doc_freq: Counter[str] = Counter()
        for tokens in self._token_sets:
            doc_freq.update(tokens)
        n = len(self.entries)
        self._idf = {t: _idf(n, df) for t, df in doc_freq.items()}
        self._unknown_idf = _idf(n, 0)
        self._bm25: bm25s.BM25 | None = None
        if n and doc_freq:
            import bm25s  # with numpy, a quarter of a second: paid by the first index built

            logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets it on import
            self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
            # An empty token list would break bm25s; a placeholder token matches nothing.
            corpus = [list(tokens) or ["\u0000"] for tokens in token_lists]
            self._bm25.index(corpus, show_progress=False)

    @classmethod
    def from_texts(
        cls, *, entries: Sequence[T], texts: Sequence[str], tokenizer: Tokenizer
    ) -> PassageIndex[T]:
        return cls(
            entries=entries, token_lists=[tokenizer.tokens(t) for t in texts], tokenizer=tokenizer
        )

    def __len__(self) -> int:
        return len(self.entries)

    def _groups(self, tokens: Sequence[str]) -> list[tuple[tuple[str, ...], float]]:
        """Each distinct question token with its synonyms, weighted by the rarest known form."""
        groups = []
        seen: set[str] = set()
        for token in dict.fromkeys(tokens):
            if token in seen:
                continue
            members = tuple(dict.fromkeys((token, *self.tokenizer.synonyms.get(token, ()))))
            seen.update(members)
            known = [self._idf[m] for m in members if m in self._idf]
            groups.append((members, max(known) if known else self._unknown_idf))
        return groups

    def query_weight(self, tokens: Sequence[str]) -> dict[str, float]:
        return {m: w for members, w in self._groups(tokens) for m in members}

    def search(self, query: str, *, k: int = 5) -> list[Hit[T]]:
        """Best ``k`` passages that share at least one token with ``query``, best first."""
        return self.search_tokens(self.tokenizer.tokens(query), k=k)

    def search_tokens(self, tokens: Sequence[str], *, k: int = 5) -> list[Hit[T]]:
        if self._bm25 is None or k <= 0:
            return []
        groups = self._groups(tokens)
        known = [m for members, _ in groups for m in members if m in self._idf]
        if not known:
            return []
        import numpy as np

        scores = self._bm25.get_scores(known)
        positive = int(np.count_nonzero(scores > 0))
        if positive == 0:
            return []
        k = min(k, positive)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        total = sum(w for _, w in groups)
        hits: list[Hit[T]] = []
        for rank, i in enumerate(top.tolist(), start=1):
            present = self._token_sets[i]
            matched = sum(w for members, w in groups if any(m in present for m in members))
            hits.append(
                Hit(
                    entry=self.entries[i],
                    score=float(scores[i]),
                    coverage=matched / total,
                    rank=rank,
                )
            )
        return hits

    def token_set(self, position: int) -> frozenset[str]:
        return self._token_sets[position]


def _idf(n: int, df: int) -> float:
    # Lucene's BM25 IDF, the same bm25s uses by default.
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
