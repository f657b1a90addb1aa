"""From a file's bytes to passages ready to store and index (no database here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from bot.kb.ingest_bounds import report_progress
from bot.kb.normalize import normalize, normalize_line
from bot.kb.readers import RawDocument, UnreadableDocument
from bot.kb.structure import (
    Passage,
    clean_title,
    detect_title,
    fuller_title,
    in_own_script,
    split_passages,
)
from bot.kb.tokenize import Tokenizer

# The locator of what a saved web page says of itself (发布时间, 来源, its site's footer).
PAGE_NOTES = "页面信息"
# (its heading: the words a member asks it by, 网站 and 发布, which its lines may not write)
PAGE_NOTES_HEADING = "网站页面发布信息"

__all__ = ["STRUCTURE_VERSION", "PreparedDocument", "content_hash", "index_text", "prepare"]


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    file_name: str
    title: str
    content_hash: str
    passages: list[Passage]
    tokens: list[list[str]]
    chars: int
    duplicates_dropped: int = 0
    ads_dropped: list[str] = field(default_factory=list)


# How a file becomes passages (readers, normalize, structure). Raise it when a change cuts
# or cleans documents differently: the stored hash then differs, so `kb ingest` replaces
# the passages of a file whose bytes did not change instead of skipping it.
STRUCTURE_VERSION = "2026-12-06.36"


def content_hash(content: bytes) -> str:
    """The file's bytes as this version of the reader would cut them."""
    return hashlib.sha256(STRUCTURE_VERSION.encode() + b"\0" + content).hexdigest()


def index_text(*, title: str, heading_path: tuple[str, ...] | list[str], text: str) -> str:
    """What a passage is searched by: its own text plus where it sits in the document."""
    return "\n".join([title, *heading_path, text])


def prepare(raw: RawDocument, *, tokenizer: Tokenizer) -> PreparedDocument:
    normalized = normalize(raw.text)
    if not normalized.paragraphs:
        raise UnreadableDocument(raw.file_name, "no_text")
    if raw.title_hint:  # a page's <title> or a Word file's own: cleaned as a title line is
        hint = clean_title(normalize_line(raw.title_hint))  # (试行) as the text writes it: （试行）
        title = fuller_title(hint, normalized.paragraphs)
    else:
        title = detect_title(normalized.paragraphs, fallback=Path(raw.file_name).stem)
    passages = split_passages(normalized.paragraphs, title=title)
    if passages and normalized.page_notes:
        # a saved page's date, source and footer: cited as the page's, never as an article
        passages.append(
            Passage(
                title=title,
                locator=PAGE_NOTES,
                heading_path=(PAGE_NOTES_HEADING,),
                # (under the title it speaks of: 视察调研规定哪天发布的 names the rule)
                text="\n".join((title, *normalized.page_notes)),
                ordinal=len(passages),
            )
        )
    passages = in_own_script(passages, normalized.text)
    if not passages:
        raise UnreadableDocument(raw.file_name, "no_body")  # a title and nothing under it
    tokens = []
    for number, p in enumerate(passages, start=1):
        tokens.append(
            tokenizer.tokens(index_text(title=p.title, heading_path=p.heading_path, text=p.text))
        )
        if number % 200 == 0 or number == len(passages):
            report_progress(raw.file_name, "passages", number, len(passages))
    return PreparedDocument(
        file_name=raw.file_name,
        title=title,
        content_hash=content_hash(raw.content),
        passages=passages,
        tokens=tokens,
        chars=len(raw.text),
        duplicates_dropped=normalized.duplicates_dropped,
        ads_dropped=normalized.ads_dropped,
    )
