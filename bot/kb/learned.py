"""Reading the files fitted on the development sets (the word translation table, the answer
model): a missing file means the part is not used, a corrupt one is logged and not used."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["load_learned"]

log = logging.getLogger(__name__)

T = TypeVar("T")


def load_learned(path: Path, build: Callable[[Any], T], *, what: str, without: str) -> T | None:
    """``build`` applied to the JSON in ``path``; None when there is no file, or (logged:
    "the ``what`` … could not be read; ``without``") when it is not what ``build`` reads."""
    try:
        return build(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("the %s %s could not be read; %s", what, path, without)
        return None
