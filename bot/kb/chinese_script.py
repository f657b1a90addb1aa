"""Traditional characters read as the simplified ones a member types (政協委員 -> 政协委员).

A rule copied from a page in traditional characters must still match, and its site's
bars still be recognised. Character by character, from the tables zhconv ships
(MediaWiki's); phrases are not needed to match.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

__all__ = ["simplified"]


def simplified(text: str) -> str:
    """``text`` with the characters only traditional text uses made simplified (協 -> 协)."""
    table, traditional = _to_simplified()
    return text if traditional.isdisjoint(text) else text.translate(table)


@cache
def _to_simplified() -> tuple[dict[int, str], frozenset[str]]:
    """The table is read as data (20 ms), without importing zhconv's converter (200 ms)."""
    spec = importlib.util.find_spec("zhconv")
    if spec is None or spec.origin is None:
        return {}, frozenset()
    tables = json.loads((Path(spec.origin).parent / "zhcdict.json").read_text(encoding="utf-8"))
    # characters only traditional text uses (協, 條), not 著 of 显著, which simplified text has too
    traditional_only = set(tables["TRADONLY"])
    single = {
        k: v
        for k, v in tables["zh2Hans"].items()
        if len(k) == 1 and len(v) == 1 and k in traditional_only
    }
    # most text holds none of them: looking is cheaper than translating every character
    return str.maketrans(single), frozenset(single)
