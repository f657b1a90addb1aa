"""Telegram's HTML as the member reads it: its length, and long texts cut into messages.

Telegram measures its limits (4096 for a message, 1024 for a caption) on the parsed text,
tags dropped and ``&lt;`` counted as one character, in UTF-16 code units (an emoji outside
the BMP counts two). Cutting the HTML source instead can land inside a tag or an entity,
and Telegram then refuses the whole message. :func:`split_html` cuts on the visible text,
at a paragraph, else a line, else a sentence, else a space or comma, and only as a last
resort between any two characters; tags open at a cut are closed at the end of one part
and opened again at the start of the next, so every part is balanced markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["split_html", "utf16_len", "visible_length"]

_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z]+);"
)
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# Where a cut reads best, best first: the position just after the separator.
_BREAKS = (
    re.compile(r"\n[ \t]*\n\s*"),  # paragraph
    re.compile(r"\n\s*"),  # line
    re.compile(r"[。！？!?；;…]+[”’」』）)\"']*\s*|\.(?:\s+|$)"),  # sentence
    re.compile(r"[，、,：:]\s*|\s+"),  # clause or word
)


def utf16_len(text: str) -> int:
    """Telegram's length: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True, slots=True)
class _Tag:
    source: str
    name: str
    closing: bool


def _tokens(html: str) -> tuple[list[str | _Tag], str]:
    """The source as tags and visible characters (each with its source), and the visible text."""
    tokens: list[str | _Tag] = []
    visible: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(html):
        for ch in html[pos : match.start()]:
            tokens.append(ch)
            visible.append(ch)
        source = match.group(0)
        if source.startswith("<"):
            tokens.append(_Tag(source, match.group(2).lower(), bool(match.group(1))))
        else:
            tokens.append(source)
            visible.append(_decode(source))
        pos = match.end()
    for ch in html[pos:]:
        tokens.append(ch)
        visible.append(ch)
    return tokens, "".join(visible)


def _decode(entity: str) -> str:
    body = entity[1:-1]
    if body.startswith(("#x", "#X")):
        return chr(int(body[2:], 16))
    if body.startswith("#"):
        return chr(int(body[1:]))
    return _NAMED.get(body, entity)


def visible_length(html: str) -> int:
    """The length Telegram checks against its limits (the text is trimmed first)."""
    return utf16_len(_tokens(html)[1].strip())


def split_html(html: str, limit: int, *, first_limit: int | None = None) -> list[str]:
    """``html`` as parts whose visible text fits ``limit`` (the first part ``first_limit``).

    Nothing is lost: the parts' visible texts, in order, are the whole text, apart from
    whitespace at a cut (Telegram trims every message anyway). Parts that would hold only
    whitespace are left out. A text that fits comes back unchanged, as one part.
    """
    head_limit = limit if first_limit is None else first_limit
    if utf16_len(html) <= head_limit:  # the visible text is never longer than the source
        return [html]
    tokens, visible = _tokens(html)
    if utf16_len(visible.strip()) <= head_limit:
        return [html]
    cuts = _cuts(visible, limit, head_limit)
    parts: list[str] = []
    out: list[str] = []
    stack: list[_Tag] = []
    seen = 0  # visible characters emitted so far
    next_cut = cuts[0] if cuts else None
    k = 0
    for token in tokens:
        opening = isinstance(token, _Tag) and not token.closing
        # A part ends before the first character or opening tag past its cut; closing tags
        # right at the cut still belong to it.
        if next_cut is not None and seen >= next_cut and (opening or isinstance(token, str)):
            out.extend(f"</{tag.name}>" for tag in reversed(stack))
            parts.append("".join(out))
            out = [tag.source for tag in stack]
            k += 1
            next_cut = cuts[k] if k < len(cuts) else None
        if isinstance(token, _Tag):
            if token.closing:
                if stack and stack[-1].name == token.name:
                    stack.pop()
            else:
                stack.append(token)
            out.append(token.source)
        else:
            out.append(token)
            seen += 1
    parts.append("".join(out))
    return [part for part in parts if _tokens(part)[1].strip()] or [""]


def _cuts(visible: str, limit: int, first_limit: int) -> list[int]:
    """Indexes into ``visible`` where a new part starts."""
    cuts: list[int] = []
    start = 0
    budget = first_limit
    while utf16_len(visible[start:].strip()) > budget:
        # The longest window that fits; leading whitespace is trimmed, so it costs nothing.
        begin = start + len(visible[start:]) - len(visible[start:].lstrip())
        end, units = begin, 0
        while end < len(visible):
            width = 2 if ord(visible[end]) > 0xFFFF else 1
            if units + width > budget:
                break
            units += width
            end += 1
        cuts.append(_best_cut(visible, begin, end))
        start = cuts[-1]
        budget = limit
    return cuts


def _best_cut(visible: str, begin: int, end: int) -> int:
    """The most natural cut in ``visible[begin:end]``, in its second half so parts stay full."""
    window = visible[begin:end]
    floor = len(window) // 2
    for pattern in _BREAKS:
        best = None
        for match in pattern.finditer(window):
            if match.end() > floor:
                best = match.end()
        if best is not None:
            return begin + best
    return max(end, begin + 1)
