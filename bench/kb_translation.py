"""Fit the word translation table (``bot/kb/translation.py``) on the development question sets.

Each in-scope development question is paired with the passage that answers it: the question's
words as the rulebook's index reads them, against the passage's words. IBM model 1 learns from
the pairs how likely each question word is to stand for each passage word.

The figures printed are cross-validated by era (the eras of ``kb_dev_sets.py``): each era's
questions are searched with a table fitted on the other eras' pairs, and the share whose
answering passage ranks in the top three (and first) is printed beside the ranking without
a table. Held-out sets are never read here.

    .venv/bin/python bench/kb_translation.py            # cross-validated figures
    .venv/bin/python bench/kb_translation.py --write    # and fit on all, into config/kb_translation.json
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb_dev_sets import ERA_OF, ERAS, items_of, rulebook_of

from bot.kb.eval import EvalItem, is_hit
from bot.kb.qa import Rulebook, what_is_asked
from bot.kb.translation import TRANSLATION_FILE, TranslationTable, asked_words, fit_translation

Pair = tuple[list[str], list[str], str]


def _answering(book: Rulebook, item: EvalItem) -> list[int]:
    return [
        i for i, e in enumerate(book.index.entries) if is_hit(item, e.source, e.locator, e.text)
    ]


def _asked_words(book: Rulebook, question: str) -> list[str]:
    asked = what_is_asked(question) or question
    return asked_words(book.index.groups(book.tokenizer.tokens(asked)))


def pairs_of(name: str) -> list[Pair]:
    """(question words, answering passage's words, the set) for a set's in-scope questions."""
    book = rulebook_of(name, learned=False)
    words = book.index.token_set
    rulebook = "realistic" if name == "fresh" else name  # (the two ask the same documents)
    out = []
    for item in items_of(name):
        if not item.in_scope:
            continue
        answering = _answering(book, item)
        asked = _asked_words(book, item.question)
        if answering and asked:
            out.append((asked, sorted(words(answering[0])), rulebook))
    return out


@cache
def all_pairs() -> dict[str, list[Pair]]:
    names = list(ERA_OF)
    with ProcessPoolExecutor(max_workers=2) as pool:
        return dict(zip(names, pool.map(pairs_of, names), strict=True))


def table_without(era: str | None) -> TranslationTable:
    """The table fitted on every era's pairs but ``era``'s (None: on all)."""
    pairs = all_pairs()
    return fit_translation(p for name, ps in pairs.items() if ERA_OF[name] != era for p in ps)


def ranks_of(name: str, table: TranslationTable | None) -> list[int | None]:
    """Where each in-scope question's answering passage ranks (None: not in the top ten)."""
    book = rulebook_of(name, learned=False).ranked_with(table)
    out: list[int | None] = []
    for item in items_of(name):
        if not item.in_scope:
            continue
        asked = what_is_asked(item.question) or item.question
        hits = book.retrieve(asked, k=10)
        out.append(
            next(
                (
                    r
                    for r, h in enumerate(hits, 1)
                    if is_hit(item, h.entry.source, h.entry.locator, h.entry.text)
                ),
                None,
            )
        )
    return out


def _shares(ranks: Sequence[int | None]) -> str:
    n = max(1, len(ranks))
    first = sum(r == 1 for r in ranks) / n
    top3 = sum(r is not None and r <= 3 for r in ranks) / n
    return f"hit@1 {first:.3f} hit@3 {top3:.3f}"


def main() -> None:
    print(f"{sum(map(len, all_pairs().values()))} question/passage pairs from {len(ERA_OF)} sets")
    tables = {era: table_without(era) for era in ERAS}
    every_before: list[int | None] = []
    every_after: list[int | None] = []
    for era, names in ERAS.items():
        jobs = [(n, t) for n in names for t in (None, tables[era])]
        with ProcessPoolExecutor(max_workers=2) as pool:
            ranked = list(pool.map(ranks_of, *zip(*jobs, strict=True)))
        before = [r for ranks in ranked[0::2] for r in ranks]
        after = [r for ranks in ranked[1::2] for r in ranks]
        every_before += before
        every_after += after
        print(
            f"{era:15} {len(before):5} questions  BM25+coverage {_shares(before)}"
            f"  with the table {_shares(after)}"
        )
    print(
        f"{'all':15} {len(every_before):5} questions  BM25+coverage {_shares(every_before)}"
        f"  with the table {_shares(every_after)}"
    )
    if "--write" in sys.argv:
        table = table_without(None)
        table.dump(
            TRANSLATION_FILE,
            about="bench/kb_translation.py: fitted on the development sets' questions",
            pairs=sum(map(len, all_pairs().values())),
        )
        entries = sum(map(len, table.table.values()))
        print(f"written {TRANSLATION_FILE} ({len(table.table)} words, {entries} entries)")


if __name__ == "__main__":
    main()
