"""The message catalogue: every sentence a member or clerk reads, in Simplified Chinese.

One catalogue, loaded from ``config/messages/*.toml``; each file is a namespace
(``core.toml`` holds ``core.*`` keys) so capabilities can keep their texts together
without scattering them through code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bot.text import Text

__all__ = ["CONFIG_DIR", "Catalogue", "catalogue", "t"]

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


class Catalogue:
    def __init__(self, entries: Mapping[str, str]) -> None:
        self._entries = dict(entries)

    @classmethod
    def load(cls, folder: Path) -> Catalogue:
        entries: dict[str, str] = {}
        for path in sorted(folder.glob("*.toml")):
            with path.open("rb") as fh:
                _flatten(path.stem, tomllib.load(fh), entries)
        return cls(entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def raw(self, key: str) -> str:
        try:
            return self._entries[key]
        except KeyError:
            raise KeyError(f"message catalogue has no key {key!r}") from None

    def t(self, key: str, /, **params: Any) -> Text:
        return Text.of(self.raw(key), params)

    def s(self, key: str, /, **params: Any) -> str:
        """Plain string (CLI output, button labels that never carry markup)."""
        return str(self.t(key, **params))


def _flatten(prefix: str, node: Mapping[str, Any], out: dict[str, str]) -> None:
    for name, value in node.items():
        key = f"{prefix}.{name}"
        if isinstance(value, Mapping):
            _flatten(key, value, out)
        else:
            out[key] = str(value)


@cache
def catalogue() -> Catalogue:
    return Catalogue.load(CONFIG_DIR / "messages")


def t(key: str, /, **params: Any) -> Text:
    """Shortcut for ``catalogue().t``: a catalogue entry with its parameters."""
    return catalogue().t(key, **params)
