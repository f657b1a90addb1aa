"""Fit the answer model (``bot/kb/verdict.py``) on the development question sets.

For every development question, the rulebook of its set answers it with the checks alone,
and again with their coverage and evidence bars lowered; what the model reads of both is
kept. A question is a positive when it is in scope and the answer the model would let
through cites the unit that answers (hit@3); a negative when it is out of scope. In-scope
questions no answer cites rightly teach nothing and are left out.

The figures printed are cross-validated by era: each era's sets (``kb_dev_sets.ERAS``) are
scored by a model fitted on the other eras', beside the checks alone, at several thresholds. Every set's passages are
ranked by a word translation table and re-ordered by a re-ranking fitted without its era
(``kb_translation.py``, ``kb_rerank.py``), so what the model reads, and is fitted on, is the
ranking of questions they never saw, as a committee's members' are. Held-out sets are never read here.

    .venv/bin/python bench/kb_verdict.py            # cross-validated figures
    .venv/bin/python bench/kb_verdict.py --write    # and fit on all, into config/kb_verdict.json
"""

from __future__ import annotations

import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from kb_dev_sets import ERAS, items_of, rulebook_of
from kb_rerank import reranker_without
from kb_translation import table_without

from bot.kb.answer import articles_named
from bot.kb.citations import Answer
from bot.kb.eval import EvalItem, is_hit
from bot.kb.qa import what_is_asked
from bot.kb.rerank import Reranker
from bot.kb.small_talk import small_talk
from bot.kb.translation import TranslationTable
from bot.kb.verdict import VERDICT_FILE, VerdictModel, answers

THRESHOLDS = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75)
# Kept since stop 35, on the cross-validated figures below (stop 38, all eras: 0.900 / 0.846
# here, 0.896 / 0.856 at 0.55).
THRESHOLD = 0.5
C = 1.0  # inverse L2 strength, as scikit-learn's
MIN_QUESTIONS = 5  # a character or pair is read when this many training questions hold it


@dataclass(frozen=True, slots=True)
class Case:
    era: str
    in_scope: bool
    found: bool
    relaxed_found: bool
    named: bool  # the question names an article
    hit: bool  # the checks' answer cites the unit that answers
    relaxed_hit: bool
    feats: dict[str, float]

    def answered(self, model: VerdictModel | None) -> bool:
        if model is None:  # the checks alone
            return self.found
        return answers(
            model,
            self.feats,
            found=self.found,
            relaxed_found=self.relaxed_found,
            named=self.named,
        )

    def scored(self, model: VerdictModel | None) -> bool:
        if not self.answered(model):
            return False
        return self.hit if self.found else self.relaxed_hit


def _hits(item: EvalItem, answer: Answer) -> bool:
    return any(is_hit(item, c.source, c.locator, c.text) for c in answer.citations[:3])


def cases_of(name: str, era: str, table: TranslationTable, reranker: Reranker) -> list[Case]:
    """What the model reads of a set's questions, ranked by ``table`` and re-ordered by
    ``reranker`` (both fitted without the set's era, so the ranking is as good as on
    questions they never saw)."""
    book = rulebook_of(name, translation=table, reranker=reranker)
    out = []
    for item in items_of(name):
        asked = what_is_asked(item.question)
        if not asked or small_talk(asked) is not None:
            continue  # never searched: the model is not asked
        answer, relaxed, feats = book.second_opinion_case(asked, k=3)
        out.append(
            Case(
                era=era,
                in_scope=item.in_scope,
                found=answer.found,
                relaxed_found=relaxed.found,
                named=bool(articles_named(asked)),
                hit=item.in_scope and answer.found and _hits(item, answer),
                relaxed_hit=item.in_scope and relaxed.found and _hits(item, relaxed),
                feats=feats,
            )
        )
    return out


def _label(case: Case) -> int | None:
    if not case.in_scope:
        return 0
    return 1 if (case.hit if case.found else case.relaxed_hit) else None


def fit(cases: list[Case], *, c: float = C, steps: int = 1500) -> VerdictModel:
    """L2-regularised logistic regression (loss summed, intercept free), by Adam."""
    taught = [(case, y) for case in cases if (y := _label(case)) is not None]
    # a character or pair seen in a handful of questions is one set's topic, not a way of asking
    seen = Counter(name for case, _ in taught for name in case.feats)
    names = sorted(name for name, n in seen.items() if n >= MIN_QUESTIONS or ":" not in name)
    column = {name: i for i, name in enumerate(names)}
    rows, cols, vals = [], [], []
    for r, (case, _) in enumerate(taught):
        for name, value in case.feats.items():
            if name not in column:
                continue
            rows.append(r)
            cols.append(column[name])
            vals.append(value)
    row = np.array(rows)
    col = np.array(cols)
    val = np.array(vals, dtype=np.float64)
    y = np.array([label for _, label in taught], dtype=np.float64)
    w = np.zeros(len(names))
    b = 0.0
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for t in range(1, steps + 1):
        z = np.bincount(row, weights=val * w[col], minlength=len(y)) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = p - y
        g_w = c * np.bincount(col, weights=val * err[row], minlength=len(w)) + w
        g_b = c * float(err.sum())
        m_w = beta1 * m_w + (1 - beta1) * g_w
        v_w = beta2 * v_w + (1 - beta2) * g_w**2
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b**2
        w -= rate * (m_w / (1 - beta1**t)) / (np.sqrt(v_w / (1 - beta2**t)) + 1e-8)
        b -= rate * (m_b / (1 - beta1**t)) / (np.sqrt(v_b / (1 - beta2**t)) + 1e-8)
    return VerdictModel(
        weights=dict(zip(names, w.tolist(), strict=True)), bias=b, threshold=THRESHOLD
    )


def figures(cases: list[Case], models: list[VerdictModel | None]) -> tuple[float, float]:
    """hit@3 and refusal, each case decided with its model (None: the checks alone)."""
    inside = [(c, m) for c, m in zip(cases, models, strict=True) if c.in_scope]
    outside = [(c, m) for c, m in zip(cases, models, strict=True) if not c.in_scope]
    hit3 = sum(c.scored(m) for c, m in inside) / max(1, len(inside))
    refusal = sum(not c.answered(m) for c, m in outside) / max(1, len(outside))
    return hit3, refusal


def main() -> None:
    tables = {era: table_without(era) for era in ERAS}
    jobs = [
        (name, era, tables[era], reranker_without(era))
        for era, names in ERAS.items()
        for name in names
    ]
    with ProcessPoolExecutor(max_workers=2) as pool:
        cases = [c for batch in pool.map(cases_of, *zip(*jobs, strict=True)) for c in batch]
    print(f"{len(cases)} questions from {len(jobs)} development sets")
    # each era scored by the model fitted on the others
    fitted = {era: fit([c for c in cases if c.era != era]) for era in ERAS}
    for era in (*ERAS, "all"):
        sub = [c for c in cases if era in ("all", c.era)]
        row = [f"checks alone {_pair(figures(sub, [None] * len(sub)))}"]
        for t in THRESHOLDS:
            models = [replace(fitted[c.era], threshold=t) for c in sub]
            row.append(f"{t}: {_pair(figures(sub, models))}")
        print(f"{era:15} (hit@3, refusal) " + "  ".join(row))
    if "--write" in sys.argv:
        model = fit(cases)
        model.dump(
            VERDICT_FILE,
            about="bench/kb_verdict.py: fitted on the development sets; features in bot/kb/verdict.py",
            questions=len(cases),
        )
        print(f"written {VERDICT_FILE} ({len(model.weights)} weights)")


def _pair(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.3f}/{pair[1]:.3f}"


if __name__ == "__main__":
    main()
