"""WeCom markdown as the member reads it: rendering, escaping, and long texts cut into parts.

The catalogue writes Telegram's HTML subset (``<b>``, ``<i>``, ``<code>``, ``<a href>``);
WeCom's AI bot speaks markdown and no HTML. A text is rendered to HTML first (so member
values are escaped once, by :func:`bot.text.render`), cut where Telegram's splitter would
cut it (:func:`split_html`, reused: paragraphs, then lines, sentences, words), and each
part is then turned into markdown: tags become markdown marks, every visible character is
escaped. So ``**``, ``#``, ``[link](…)`` or ``<@userid>`` typed by a member are shown as
typed and never interpreted, and an ``@`` cannot become a mention (it is shown full-width).

WeCom counts its limits in UTF-8 bytes (20480 for a markdown or stream message); the
splitter counts UTF-16 units, so it gets a third of the byte limit (a CJK character is 3
bytes and 1 unit, an escaped ASCII one 2 bytes, an emoji 4 bytes and 2 units), and a part
that still exceeds it (long link targets) is cut again, harder.
"""

from __future__ import annotations

import html
import re

from bot.channels.telegram_html import split_html
from bot.text import Text, render

__all__ = ["MARKDOWN_LIMIT", "escape", "plain", "to_markdown", "utf8_len"]

MARKDOWN_LIMIT = 20480  # bytes, WeCom's limit for markdown and stream content

_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z]+);"
)
_HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""")
# Characters markdown (or WeCom's extensions) would read as syntax.
_SPECIAL = re.compile(r"([\\`*_\[\]#|~<>])")
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def escape(value: str) -> str:
    """Member or database text as literal markdown: no marks, no links, no mentions."""
    return _SPECIAL.sub(r"\\\1", value).replace("@", "＠")


def _html_to_markdown(source: str) -> str:
    out: list[str] = []
    links: list[str | None] = []
    pos = 0
    for match in _TOKEN.finditer(source):
        out.append(escape(source[pos : match.start()]))
        pos = match.end()
        token = match.group(0)
        if not token.startswith("<"):
            out.append(escape(html.unescape(token)))
            continue
        closing, name = bool(match.group(1)), match.group(2).lower()
        if name == "a":
            if closing:
                href = links.pop() if links else None
                if href:
                    out.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")
            else:
                found = _HREF.search(match.group(3) or "")
                href = html.unescape(found.group(1)) if found else None
                ok = bool(href) and href.startswith(("https://", "http://"))  # type: ignore[union-attr]
                links.append(href if ok else None)
                if ok:
                    out.append("[")
        elif name in _MARKS:
            out.append(_MARKS[name])
        elif name == "br":
            out.append("\n")
        # other tags (u, s, pre, blockquote, tg-spoiler) carry no markdown: text only
    out.append(escape(source[pos:]))
    return "".join(out)


def to_markdown(text: Text, *, limit: int = MARKDOWN_LIMIT) -> list[str]:
    """``text`` as WeCom markdown parts, each at most ``limit`` UTF-8 bytes."""
    rendered = render(text, "html")
    budget = max(16, limit // 3 - 64)
    parts: list[str] = []
    for part in split_html(rendered, budget):
        markdown = _html_to_markdown(part).strip()
        if utf8_len(markdown) <= limit:
            parts.append(markdown)
            continue
        parts.extend(_hard_cut(markdown, limit))
    return [p for p in parts if p] or [""]


def _hard_cut(markdown: str, limit: int) -> list[str]:
    """Last resort for a part still over the byte limit: cut at a line, else anywhere
    (never inside a UTF-8 character or right after an escaping backslash)."""
    out: list[str] = []
    rest = markdown
    while utf8_len(rest) > limit:
        cut = len(rest.encode("utf-8")[:limit].decode("utf-8", "ignore"))
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:
            cut = newline
        while cut > 1 and rest[cut - 1] == "\\":
            cut -= 1
        out.append(rest[:cut].strip())
        rest = rest[cut:]
    out.append(rest.strip())
    return out


def plain(text: Text) -> str:
    """Text for places that show no markdown at all (card titles, button labels)."""
    return render(text, "plain")
