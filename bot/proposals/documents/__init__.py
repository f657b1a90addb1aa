"""Documents the bot produces: the formatted proposal (DOCX), the year's export (XLSX)."""

from __future__ import annotations

import re

__all__ = ["printable"]

# Control characters XML (and so DOCX and XLSX) cannot hold; members paste them from old files.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    return _CONTROL.sub("", text)
