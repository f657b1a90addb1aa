"""Rulebooks built in memory for tests: from a text as a file of that name, or a folder."""

from __future__ import annotations

from pathlib import Path

from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import SUPPORTED_SUFFIXES, read_bytes, read_file
from bot.kb.service import SAMPLE_RULEBOOK
from bot.kb.tokenize import shared_tokenizer


def book_of_text(name: str, text: str) -> Rulebook:
    """``text`` read as a file called ``name`` (its suffix decides how: .md, .txt …)."""
    tokenizer = shared_tokenizer()
    raw = read_bytes(name, text.encode("utf-8"))
    return Rulebook.from_prepared([prepare(raw, tokenizer=tokenizer)], tokenizer=tokenizer)


def book_of_files(folder: Path, *, second_opinion: bool = True) -> Rulebook:
    tokenizer = shared_tokenizer()
    paths = sorted(
        p for p in folder.iterdir() if p.suffix in SUPPORTED_SUFFIXES and p.name != "README.md"
    )
    return Rulebook.from_prepared(
        [prepare(read_file(p), tokenizer=tokenizer) for p in paths],
        tokenizer=tokenizer,
        second_opinion=second_opinion,
    )


def sample_with(folder: Path, files: dict[str, str], *, without: tuple[str, ...] = ()) -> Rulebook:
    """The sample rulebook (less the files ``without``) with ``files`` (name: text) beside it,
    as a committee loads its own pages next to it."""
    for source in SAMPLE_RULEBOOK.glob("*.md"):
        if source.name not in without:
            (folder / source.name).write_bytes(source.read_bytes())
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return book_of_files(folder)
