"""Fit the learned re-ranking of the first passages found (``bot/kb/rerank.py``) on the
development question sets.

Every in-scope development question is searched in its set's rulebook, ranked by a word
translation table fitted without its era (``kb_translation.py``), as a committee's
questions are ranked by a table that never saw them. Of the first ten passages, the one
that answers should score above each of the others: a pairwise logistic regression over
what the re-ranking reads of each (``candidate_features``) learns the weights.

The figures printed are cross-validated by era (``kb_dev_sets.py``): each era's questions
re-ordered by weights fitted on the other eras', against the order before. Held-out sets
are never read here.

    .venv/bin/python bench/kb_rerank.py            # cross-validated figures
    .venv/bin/python bench/kb_rerank.py --write    # and fit on all, into config/kb_rerank.json
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from kb_dev_sets import ERA_OF, ERAS, items_of, rulebook_of
from kb_translation import table_without

from bot.kb.eval import is_hit
from bot.kb.qa import what_is_asked
from bot.kb.rerank import DEPTH, RERANK_FILE, Reranker, candidate_features
from bot.kb.translation import TranslationTable

C = 1.0  # inverse L2 strength


@dataclass(frozen=True, slots=True)
class Ranked:
    """One in-scope question's first passages: what the re-ranking reads of each, and
    whether each answers."""

    era: str
    feats: list[dict[str, float]]
    answers: list[bool]

    def hit(self, order: list[int], n: int) -> bool:
        return any(self.answers[i] for i in order[:n])


def ranked_of(name: str, table: TranslationTable) -> list[Ranked]:
    book = rulebook_of(name, translation=table)
    out = []
    for item in items_of(name):
        if not item.in_scope:
            continue
        asked = what_is_asked(item.question) or item.question
        groups = book.index.groups(book.tokenizer.tokens(asked))
        found = book.index.candidates(groups, query=asked)
        out.append(
            Ranked(
                era=ERA_OF[name],
                feats=candidate_features(asked, [c for _, c in found]),
                answers=[
                    is_hit(item, h.entry.source, h.entry.locator, h.entry.text) for h, _ in found
                ],
            )
        )
    return out


@cache
def all_ranked() -> list[Ranked]:
    tables = {era: table_without(era) for era in ERAS}
    names = list(ERA_OF)
    with ProcessPoolExecutor(max_workers=2) as pool:
        batches = pool.map(ranked_of, names, [tables[ERA_OF[n]] for n in names])
        return [r for batch in batches for r in batch]


def fit(questions: list[Ranked], *, c: float = C, steps: int = 800) -> Reranker:
    """Pairwise L2-regularised logistic regression (the answering passage over each other
    one found with it, by the difference of their figures), by Adam."""
    names = sorted({name for q in questions for f in q.feats for name in f})
    diffs = []
    for q in questions:
        if True not in q.answers:
            continue
        best = q.feats[q.answers.index(True)]
        diffs += [
            [best[n] - other[n] for n in names]
            for other, answers in zip(q.feats, q.answers, strict=True)
            if not answers
        ]
    x = np.array(diffs, dtype=np.float64)
    w = np.zeros(len(names))
    m, v = np.zeros_like(w), np.zeros_like(w)
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for t in range(1, steps + 1):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        g = c * (x.T @ (p - 1.0)) + w
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        w -= rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + 1e-8)
    return Reranker(weights=dict(zip(names, w.tolist(), strict=True)), depth=DEPTH)


@cache
def reranker_without(era: str | None) -> Reranker:
    """The re-ranking fitted on every era's questions but ``era``'s (None: on all)."""
    return fit([q for q in all_ranked() if q.era != era])


def main() -> None:
    questions = all_ranked()
    print(f"{len(questions)} in-scope questions from {len(ERA_OF)} development sets")
    totals = np.zeros(5)
    for era in (*ERAS, "all"):
        sub = [q for q in questions if era in ("all", q.era)]
        if era != "all":
            fitted = reranker_without(era)
            before = [q.hit(list(range(len(q.answers))), n) for q in sub for n in (1, 3)]
            after = [q.hit(fitted.order(q.feats), n) for q in sub for n in (1, 3)]
            row = np.array(
                [len(sub), sum(before[0::2]), sum(before[1::2]), sum(after[0::2]), sum(after[1::2])]
            )
            totals += row
        else:
            row = totals
        n = max(1.0, row[0])
        print(
            f"{era:15} {int(row[0]):5} questions  before hit@1 {row[1] / n:.3f} hit@3 {row[2] / n:.3f}"
            f"  re-ranked hit@1 {row[3] / n:.3f} hit@3 {row[4] / n:.3f}"
        )
    if "--write" in sys.argv:
        reranker = reranker_without(None)
        reranker.dump(
            RERANK_FILE,
            about="bench/kb_rerank.py: fitted on the development sets' questions",
            questions=len(questions),
        )
        print(
            f"written {RERANK_FILE}: "
            + ", ".join(f"{k} {v:.2f}" for k, v in reranker.weights.items())
        )


if __name__ == "__main__":
    main()
