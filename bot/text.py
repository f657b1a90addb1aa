"""Text that keeps catalogue markup and member-supplied values apart until rendering.

A handler never escapes anything: it builds ``Text`` from a catalogue template plus
parameters, and the channel's renderer escapes the parameters for its markup (HTML for
Telegram, nothing for the terminal). So markup a member types is shown, never interpreted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Markup", "Text", "render"]

Markup = Literal["plain", "html"]

_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>")


@dataclass(frozen=True, slots=True)
class Text:
    """A sequence of (template, params) parts; templates use ``str.format`` fields."""

    parts: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

    @classmethod
    def of(cls, template: str, params: Mapping[str, Any] | None = None) -> Text:
        frozen = tuple((k, _stringify(v)) for k, v in (params or {}).items())
        return cls(((template, frozen),))

    @classmethod
    def plain(cls, value: Any) -> Text:
        """Member or database text shown as-is (escaped by the renderer)."""
        return cls.of("{v}", {"v": value})

    def __add__(self, other: Text | str) -> Text:
        if isinstance(other, str):
            other = Text.plain(other)
        return Text(self.parts + other.parts)

    @staticmethod
    def join(separator: Text | str, texts: Iterable[Text]) -> Text:
        sep = Text.plain(separator) if isinstance(separator, str) else separator
        out: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
        for i, item in enumerate(texts):
            out += (sep.parts if i else ()) + item.parts
        return Text(out)

    def to_json(self) -> list[list[Any]]:
        return [[template, dict(params)] for template, params in self.parts]

    @classmethod
    def from_json(cls, data: list[list[Any]]) -> Text:
        return cls(tuple((str(t), tuple((str(k), str(v)) for k, v in p.items())) for t, p in data))

    def __str__(self) -> str:  # plain rendering, handy in logs and tests
        return render(self, "plain")


def _stringify(value: Any) -> str:
    if isinstance(value, Text):
        # nested Text is flattened to plain; callers concatenate Text to keep markup
        return render(value, "plain")
    return "" if value is None else str(value)


def render(text: Text, markup: Markup) -> str:
    chunks: list[str] = []
    for template, params in text.parts:
        values = dict(params)
        if markup == "html":
            chunks.append(
                template.format_map({k: html.escape(v, quote=False) for k, v in values.items()})
            )
        else:
            bare = html.unescape(_TAG.sub("", template))
            chunks.append(bare.format_map(values))
    return "".join(chunks)
