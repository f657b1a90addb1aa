"""The development question sets, by era, and what the learned parts of answering read
of them (``kb_translation.py`` and ``kb_verdict.py`` fit on these; held-out sets are never
named here)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.kb.eval import EvalItem, load_items
from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import read_file
from bot.kb.rerank import Reranker
from bot.kb.tokenize import shared_tokenizer
from bot.kb.translation import TranslationTable

EVAL = Path(__file__).resolve().parent / "kb_eval"
# Development sets only, by the era they were written in (the folds of the cross-validation).
ERAS = {
    "before stop 28": [
        "realistic",
        "fresh",
        "second",
        "third",
        "fourth",
        "eighth",
        "twelfth",
        "fourteenth",
        "fifteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "twentyfirst",
        "twentysecond",
        "twentythird",
        "twentyfourth",
        "twentyfifth",
    ],
    "stops 28-31": [
        "twentyseventh",
        "twentyninth",
        "thirtyfirst",
        "thirtysecond",
        "thirtyfourth",
        "thirtyeighth",
        "thirtyninth",
        "fortyfirst",
        "fortysecond",
        "fortythird",
    ],
    "stop 32": [
        "fortysixth",
        "fortyseventh",
        "fortyeighth",
        "fortyninth",
        "fiftysecond",
        "fiftythird",
    ],
    "stop 33": [
        "fiftyfifth",
        "fiftysixth",
        "fiftyseventh",
        "fiftyeighth",
        "fiftyninth",
        "sixtyfirst",
        "sixtysecond",
        "sixtythird",
        "sixtyfourth",
        "sixtyfifth",
    ],
    "stop 35": [
        "sixtyeighth",
        "sixtyninth",
        "seventieth",
        "seventyfirst",
        "seventysecond",
        "seventythird",
        "seventyfourth",
    ],
    "stop 37": [
        "seventyfifth",
        "seventysixth",
        "seventyseventh",
        "seventyeighth",
        "seventyninth",
        "eightieth",
        "eightyfirst",
        "eightysecond",
    ],
    "stop 38": [
        "eightythird",
        "eightyfourth",
        "eightyfifth",
        "eightysixth",
        "eightyseventh",
        "eightyeighth",
        "eightyninth",
        "ninetieth",
        "ninetyfirst",
        "ninetysecond",
        "ninetythird",
        "ninetyfourth",
    ],
    "stop 39": [
        "ninetyfifth",
        "ninetysixth",
        "ninetyseventh",
        "ninetyeighth",
        "ninetyninth",
        "hundredth",
        "hundredfirst",
        "hundredsecond",
    ],
    "stop 39, second batch": [
        "hundredthird",
        "hundredfourth",
        "hundredfifth",
        "hundredsixth",
        "hundredseventh",
        "hundredeighth",
        "hundredninth",
        "hundredtenth",
    ],
    # (measured once by the stop's second increment; not yet in the fitted files)
    "stop 39, third batch": [
        "hundredeleventh",
        "hundredtwelfth",
        "hundredthirteenth",
        "hundredfourteenth",
        "hundredfifteenth",
        "hundredsixteenth",
        "hundredseventeenth",
        "hundredeighteenth",
    ],
}
ERA_OF = {name: era for era, names in ERAS.items() for name in names}


def documents(folder: Path) -> list[Path]:
    suffixes = {".md", ".txt", ".html", ".docx", ".xlsx"}
    return sorted(p for p in folder.iterdir() if p.suffix in suffixes and p.name != "README.md")


def rulebook_of(
    name: str,
    *,
    translation: TranslationTable | None = None,
    reranker: Reranker | None = None,
    learned: bool = True,
) -> Rulebook:
    """The rulebook a set's questions are asked of (``fresh`` asks ``realistic``'s), ranked
    with ``translation`` (and re-ordered by ``reranker``) when given, else as shipped
    (``learned``) or by BM25 alone."""
    tokenizer = shared_tokenizer()
    folder = EVAL / ("realistic" if name == "fresh" else name)
    book = Rulebook.from_prepared(
        [prepare(read_file(p), tokenizer=tokenizer) for p in documents(folder)],
        tokenizer=tokenizer,
        second_opinion=learned,
    )
    return book if translation is None else book.ranked_with(translation, reranker)


def items_of(name: str) -> list[EvalItem]:
    items = load_items(EVAL / name / "questions.jsonl")
    if (EVAL / name / "out_of_scope.jsonl").exists():
        items += load_items(EVAL / name / "out_of_scope.jsonl")
    return items
