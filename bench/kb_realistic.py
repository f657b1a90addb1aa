"""Rulebook answers on realistic documents, as a member sees them, beside a naive pipeline.

Loads the four documents of ``bench/kb_eval/realistic`` (written in the shapes real
regulations use; the questions were written blind to this code) and scores each split:
hit@1, hit@3 and MRR over the answer's citations (a refusal is a miss), answered rate on
in-scope questions, refusal on out-of-scope ones. Tune on ``tune``; ``heldout`` is only
ever reported. The naive pipeline is what knowledge-base products ship by default:
250-character chunks, jieba, BM25, the top 3, never refusing; "+pairs" is ours with the
character-pair BM25 fused in (measured, not the default). Then the older sets: the
sample rulebook's procedures, facts from the seed reports and questions to refuse, with the
sample rulebook and the seeds indexed together.

    .venv/bin/python bench/kb_realistic.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bm25s
import jieba

from bot.kb.eval import Asker, EvalItem, evaluate, load_items
from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import read_file
from bot.kb.service import SAMPLE_RULEBOOK, expand_paths
from bot.kb.tokenize import shared_tokenizer

EVAL = Path(__file__).resolve().parent / "kb_eval"
HERE = EVAL / "realistic"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DOCUMENTS = sorted(
    p for p in HERE.iterdir() if p.suffix in {".md", ".txt"} and p.name != "README.md"
)
CHUNK = 250


class Naive:
    """Fixed chunks, jieba, BM25, top 3."""

    def __init__(self) -> None:
        self.chunks: list[tuple[str, str]] = []
        for path in DOCUMENTS:
            text = path.read_text(encoding="utf-8")
            self.chunks += [(path.name, text[i : i + CHUNK]) for i in range(0, len(text), CHUNK)]
        self.bm25 = bm25s.BM25()
        self.bm25.index([self._tokens(t) for _, t in self.chunks], show_progress=False)

    @staticmethod
    def _tokens(text: str) -> list[str]:
        return [w for w in jieba.lcut_for_search(text) if w.strip()]

    def top(self, question: str) -> list[tuple[str, str]]:
        ids, _ = self.bm25.retrieve([self._tokens(question)], k=3, show_progress=False)
        return [self.chunks[int(i)] for i in ids[0]]


def naive_hit(item: EvalItem, source: str, text: str) -> bool:
    return any(source == where and all(u in text for u in path) for where, path in item.units)


def naive_figures(naive: Naive, items: list[EvalItem]) -> dict[str, float]:
    inside = [i for i in items if i.in_scope]
    ranks = []
    for item in inside:
        found = [n for n, (s, t) in enumerate(naive.top(item.question), 1) if naive_hit(item, s, t)]
        ranks.append(found[0] if found else None)
    n = len(inside) or 1
    return {
        "hit@1": round(sum(r == 1 for r in ranks) / n, 3),
        "hit@3": round(sum(r is not None for r in ranks) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        "refusal_accuracy": 0.0,
    }


def main() -> None:
    tokenizer = shared_tokenizer()
    started = time.perf_counter()
    prepared = [prepare(read_file(p), tokenizer=tokenizer) for p in DOCUMENTS]
    rulebook = Rulebook.from_prepared(prepared, tokenizer=tokenizer)
    print(
        f"ingest: {len(DOCUMENTS)} documents, {len(rulebook)} passages in "
        f"{time.perf_counter() - started:.2f} s"
    )
    # The character-pair BM25 fused with the words' one: measured, not the default.
    fused = Rulebook.from_prepared(prepared, tokenizer=tokenizer, character_ranking=True)

    def asker(book: Rulebook) -> Asker:
        def ask(question: str) -> tuple[list[tuple[str, str, str]], bool]:
            answer = book.answer(question, k=3)
            return [(c.source, c.locator, c.text) for c in answer.citations], answer.found

        return ask

    naive = Naive()
    for split in ("tune", "heldout"):
        items = load_items(HERE / "questions.jsonl", split=split)
        items += load_items(HERE / "out_of_scope.jsonl", split=split)
        print(f"{split:8} ours : {evaluate(items, asker(rulebook)).figures()}")
        print(f"{split:8} +pairs: {evaluate(items, asker(fused)).figures()}")
        print(f"{split:8} naive: {naive_figures(naive, items)}")

    sample = Rulebook.from_prepared(
        [prepare(read_file(p), tokenizer=tokenizer) for p in expand_paths([SAMPLE_RULEBOOK])]
        + [prepare(read_file(p), tokenizer=tokenizer) for p in sorted(SEEDS.glob("*.txt"))],
        tokenizer=tokenizer,
    )

    for name in ("rulebook", "seeds", "out_of_scope"):
        report = evaluate(load_items(EVAL / f"{name}.jsonl"), asker(sample))
        print(f"{name:12} {report.figures()}")
        for miss in report.misses:
            print("   ", miss)


if __name__ == "__main__":
    main()
