"""Member-supplied text without the invisible characters that disguise it.

Bidi overrides (U+202E turns ``exe.txt`` into ``txt.exe`` on screen), zero-width
characters and control codes make a name or a draft look different in a listing or an
export from what it holds. They are removed on the way in (roster rows, draft answers);
what a reader sees stays the same. Line breaks and tabs are kept; a zero-width joiner is
kept only inside an emoji sequence, and tag characters only inside a flag, where they are
visible. Other invisible format characters (soft hyphens, tag characters that smuggle
hidden ASCII text) go too.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["has_invisible", "visible_text"]

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ZERO_WIDTH = "\u200b\u200c\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"
_ZWJ = "\u200d"
_INVISIBLE = re.compile(f"[{_BIDI}{_ZERO_WIDTH}]")
_CONTROL_KEPT = {"\n", "\t"}


def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or ch in "\ufe0f\u2640\u2642\u2695\u2708\u2764"


def _in_flag_tags(value: str, i: int) -> bool:
    """A tag character inside a subdivision flag (🏴 + tags + cancel tag) is visible."""
    if not 0xE0020 <= ord(value[i]) <= 0xE007F:
        return False
    j = i
    while j > 0 and 0xE0020 <= ord(value[j - 1]) <= 0xE007F:
        j -= 1
    return j > 0 and value[j - 1] == "\U0001f3f4"


def visible_text(value: str) -> str:
    """``value`` with bidi controls, zero-width and control characters removed."""
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _INVISIBLE.sub("", value)
    out: list[str] = []
    for i, ch in enumerate(value):
        if ch == _ZWJ:
            before = value[i - 1] if i else ""
            after = value[i + 1] if i + 1 < len(value) else ""
            if before and after and _is_emoji(before) and _is_emoji(after):
                out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in _CONTROL_KEPT:
            continue
        if category == "Cf" and not _in_flag_tags(value, i):
            continue  # soft hyphens, tag characters (hidden "ASCII" text) and the like
        out.append(ch)
    return "".join(out)


def has_invisible(value: str) -> bool:
    return visible_text(value) != value.replace("\r\n", "\n").replace("\r", "\n")
