"""Failure analysis on the realistic set's tune split only (never the held-out one).

    .venv/bin/python bench/kb_tune.py

For each tune question answered wrongly or refused: where the expected unit ranks among
the retrieved passages, the question's words as the index sees them ("?" for a word no
passage holds, nor its synonyms, parts or characters) and the best passage's coverage and
evidence, which AnswerPolicy decides on. Out-of-scope tune questions that were answered
are listed last. Thresholds and synonyms are chosen from this output, on tune alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.kb.eval import EvalItem, is_hit, load_items
from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import read_file
from bot.kb.tokenize import shared_tokenizer

HERE = Path(__file__).resolve().parent / "kb_eval" / "realistic"
DOCUMENTS = sorted(
    p for p in HERE.iterdir() if p.suffix in {".md", ".txt"} and p.name != "README.md"
)


def _rank(rulebook: Rulebook, item: EvalItem) -> int | None:
    for hit in rulebook.retrieve(item.question, k=10):
        if is_hit(item, hit.entry.source, hit.entry.locator, hit.entry.text):
            return hit.rank
    return None


def main() -> None:
    tokenizer = shared_tokenizer()
    rulebook = Rulebook.from_prepared(
        [prepare(read_file(p), tokenizer=tokenizer) for p in DOCUMENTS], tokenizer=tokenizer
    )
    rows = [json.loads(line) for line in (HERE / "questions.jsonl").open(encoding="utf-8")]
    wanted = {r["question"]: r.get("path") or [r["locator"]] for r in rows if r}
    inside = load_items(HERE / "questions.jsonl", split="tune")
    outside = load_items(HERE / "out_of_scope.jsonl", split="tune")
    for item in inside + outside:
        answer = rulebook.answer(item.question, k=3)
        hit = any(is_hit(item, c.source, c.locator, c.text) for c in answer.citations)
        if (item.in_scope and hit) or (not item.in_scope and not answer.found):
            continue
        groups = rulebook.index.groups(tokenizer.tokens(item.question))
        words = " ".join(g.word + ("" if g.known else "?") for g in groups)
        top = rulebook.retrieve(item.question, k=1)
        evidence = f"cov={top[0].coverage:.2f} ev={top[0].evidence:.2f}" if top else "-"
        if item.in_scope:
            state = "WRONG  " if answer.found else "REFUSED"
            want = f"{item.source}:{''.join(wanted.get(item.question, []))}"
            print(f"{state} rank={_rank(rulebook, item)} want={want} | {item.question}")
        else:
            print(f"ANSWERED-OUT {[c.label for c in answer.citations][:1]} | {item.question}")
        print(f"        [{words}] {evidence}")


if __name__ == "__main__":
    main()
