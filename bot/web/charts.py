"""Bar charts as inline SVG, drawn on the server: no JavaScript, no chart library, printable."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

__all__ = ["bar_chart"]

_ROW = 26
_LABEL = 120
_WIDTH = 520


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "") -> Markup:
    """Horizontal bars, one per (label, value), the value written at the end of each bar."""
    if not items:
        return Markup("")
    top = max(value for _, value in items) or 1
    span = _WIDTH - _LABEL - 60
    height = _ROW * len(items) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = 4 + i * _ROW
        w = max(1.0, span * value / top) if value else 0
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{_LABEL - 6}" y="{y + 17}" text-anchor="end">{escape(label[:10])}</text>'
            f'<rect x="{_LABEL}" y="{y + 4}" width="{w:.1f}" height="{_ROW - 8}" rx="3"></rect>'
            f'<text x="{_LABEL + w + 6:.1f}" y="{y + 17}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
