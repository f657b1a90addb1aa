"""Documents the bot produces: the formatted proposal and public-opinion report (DOCX),
the year's export (XLSX); and the answer letter the secretariat uploads, passed on as is."""

from __future__ import annotations

import mimetypes
import re

from bot.types import OutDocument

__all__ = ["answer_letter", "printable"]

# Control characters XML (and so DOCX and XLSX) cannot hold; members paste them from old files.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    return _CONTROL.sub("", text)


def answer_letter(name: str | None, content: bytes | None) -> OutDocument | None:
    """The uploaded answer letter as an attachment, under its own file name."""
    if not content:
        return None
    from bot.catalogue import catalogue  # the catalogue loads lazily; keep this module light

    file_name = name or catalogue().s("documents.answer.file_name")
    mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return OutDocument(file_name, content, mime)
