"""The committee's points rules (config/points.toml, or ``COMMITTEE_BOT_POINTS_FILE``).

A rules file names items (points per unit, an optional cap, an optional group), groups
(a starting value, a cap, a floor), grades and yearly minimums. Items the bot counts itself
are named from ``FACTS``; any other item must say ``manual = true`` (the secretariat enters
it), so a misspelt fact fails at start instead of scoring zero for everyone. Every problem is
one ``ConfigError`` in Chinese naming the file, the line and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.catalogue import CONFIG_DIR, catalogue
from bot.errors import ConfigError

__all__ = [
    "DEFAULT_PATH",
    "FACTS",
    "Grade",
    "Group",
    "Item",
    "Minimum",
    "PointsRules",
    "current_points",
    "load_points",
    "parse_points",
    "points_path",
]

DEFAULT_PATH = CONFIG_DIR / "points.toml"

# What the bot counts by itself for a member's year (bot/record/facts.py fills them).
FACTS: tuple[str, ...] = (
    "plenary_halfdays",
    "plenary_attended",
    "plenary_leave",
    "plenary_absent",
    "standing_attended",
    "standing_leave",
    "standing_absent",
    "meeting_attended",
    "meeting_leave",
    "meeting_absent",
    "activity_attended",
    "activity_leave",
    "activity_absent",
    "proposal_lead_submitted",
    "proposal_lead_registered",
    "proposal_lead_key",
    "proposal_lead_merged",
    "proposal_lead_excellent",
    "proposal_cosigned_submitted",
    "proposal_cosigned_registered",
    "proposal_cosigned_key",
    "proposal_cosigned_merged",
    "proposal_cosigned_excellent",
    "report_submitted",
    "report_adopted_city",
    "report_adopted_province",
    "report_adopted_national",
    "report_instruction",
    "reading_checkins",
    "reading_notes",
)

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_TOP = frozenset({"title", "max_total", "groups", "items", "grades", "minimums"})
_ITEM_KEYS = frozenset({"label", "unit", "points", "cap", "group", "manual"})
_GROUP_KEYS = frozenset({"label", "base", "cap", "floor"})


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    label: str
    unit: str
    points: float  # per unit; negative for a deduction
    cap: float | None  # the most this item adds (or, for a deduction, takes away)
    group: str | None
    manual: bool


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    label: str
    base: float
    cap: float | None
    floor: float


@dataclass(frozen=True, slots=True)
class Grade:
    name: str
    min: float


@dataclass(frozen=True, slots=True)
class Minimum:
    text: str  # may hold {count}
    items: tuple[str, ...]
    count: int

    def describe(self) -> str:
        return self.text.format(count=self.count)


@dataclass(frozen=True, slots=True)
class PointsRules:
    title: str
    items: tuple[Item, ...]
    groups: tuple[Group, ...]
    grades: tuple[Grade, ...]  # highest minimum first
    minimums: tuple[Minimum, ...]
    max_total: float | None = None

    def item(self, key_or_label: str) -> Item | None:
        wanted = key_or_label.strip()
        for item in self.items:
            if wanted in (item.key, item.label):
                return item
        return None

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)


def points_path(configured: Path | None) -> Path:
    """The rules file a deployment uses: the setting, else config/points.toml."""
    return configured if configured is not None else DEFAULT_PATH


# Rules by file, with the file's (mtime, size) when read: an edited file is read again at
# the next look, so a changed rule recomputes every record without a restart.
_loaded: dict[Path, tuple[tuple[int, int], PointsRules]] = {}


def current_points(configured: Path | None = None) -> PointsRules:
    """The rules in force: read again whenever the file has changed."""
    path = points_path(configured)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError(catalogue().s("record.rules.not_found", path=path)) from None
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _loaded.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rules = load_points(path)
    _loaded[path] = (stamp, rules)
    return rules


def load_points(path: Path = DEFAULT_PATH) -> PointsRules:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(catalogue().s("record.rules.not_found", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            catalogue().s("record.rules.unreadable", path=path, detail=type(exc).__name__)
        ) from None
    return parse_points(text, source=str(path))


def parse_points(text: str, *, source: str = "config/points.toml") -> PointsRules:
    """The rules in ``text``; ``source`` names the file in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (where.group(1), where.group(2)) if where else ("?", "?")
        raise ConfigError(
            catalogue().s("record.rules.bad_toml", path=source, line=line, column=column)
        ) from None
    return _Parser(text, source).rules(data)


def _header(raw: str) -> str | None:
    """The table a ``[a.b]`` or ``[[a]]`` line opens, without quotes or spaces."""
    found = re.match(r"^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$", raw)
    if found is None:
        return None
    return re.sub(r"[\s\"']", "", found.group(1))


class _Parser:
    """Builds the rules, remembering the text so that a problem can name its line."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    # -- problems ------------------------------------------------------------------------
    def fail(self, table: str, key: str | None, problem: str, /, **params: Any) -> ConfigError:
        cat = catalogue()
        detail = cat.s(f"record.rules.{problem}", **params)
        name, _, nth = table.partition("#")
        shown = cat.s("record.rules.nth", table=name, n=int(nth) + 1) if nth else f"[{name}]"
        where = (shown + (f" {key}" if key else "")) if table else (key or "")
        line = self._line(table, key)
        if line is None:
            return ConfigError(
                cat.s("record.rules.at", path=self.source, where=where, detail=detail)
            )
        return ConfigError(
            cat.s("record.rules.at_line", path=self.source, line=line, where=where, detail=detail)
        )

    def _line(self, table: str, key: str | None) -> int | None:
        """1-based line of ``key`` under the header ``[table]`` (``grades#2`` is the third
        ``[[grades]]``), or of the header itself; top-level keys when ``table`` is empty."""
        name, _, nth = table.partition("#")
        start = 0
        if table:
            headers = [n for n, raw in enumerate(self.lines, 1) if _header(raw) == name]
            wanted = int(nth) if nth else 0
            if wanted >= len(headers):
                return None
            start = headers[wanted]
        if key is not None:
            pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
            for number in range(start + 1, len(self.lines) + 1):
                raw = self.lines[number - 1]
                if _header(raw) is not None:
                    break
                if pattern.match(raw):
                    return number
        return start or None

    # -- building ------------------------------------------------------------------------
    def rules(self, data: dict[str, Any]) -> PointsRules:
        for name in data:
            if name not in _TOP:
                raise self.fail("", name, "unknown_key", key=name)
        title = data.get("title", "")
        if not isinstance(title, str) or not title.strip():
            raise self.fail("", "title", "need_text", key="title")
        max_total = None
        if "max_total" in data:
            max_total = self.number(data["max_total"], "", "max_total", minimum=0)
        groups = tuple(self.group(k, v) for k, v in self.tables(data, "groups").items())
        items = tuple(
            self.item(k, v, {g.key for g in groups}) for k, v in self.tables(data, "items").items()
        )
        if not items:
            raise self.fail("", "items", "no_items")
        grades = self.grades(data.get("grades", []))
        minimums = self.minimums(data.get("minimums", []), {i.key for i in items})
        return PointsRules(
            title=title.strip(),
            items=items,
            groups=groups,
            grades=grades,
            minimums=minimums,
            max_total=max_total,
        )

    def tables(self, data: Mapping[str, Any], name: str) -> dict[str, dict[str, Any]]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.fail("", name, "need_table", key=name)
        for key, table in value.items():
            if not _KEY.match(key):
                raise self.fail(f"{name}.{key}", None, "bad_name", key=key)
            if not isinstance(table, dict):
                raise self.fail(name, key, "need_table", key=f"{name}.{key}")
        return value

    def number(self, value: Any, table: str, key: str, *, minimum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(table, key, "need_number", key=key, value=value)
        if minimum is not None and value < minimum:
            raise self.fail(table, key, "too_small", key=key, value=value, minimum=minimum)
        return float(value)

    def text(self, table_data: Mapping[str, Any], table: str, key: str, default: str | None) -> str:
        value = table_data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(table, key, "need_text", key=key)
        return value.strip()

    def only(self, data: Mapping[str, Any], allowed: frozenset[str], table: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(table, key, "unknown_key", key=key)

    def group(self, key: str, data: dict[str, Any]) -> Group:
        table = f"groups.{key}"
        self.only(data, _GROUP_KEYS, table)
        cap = self.number(data["cap"], table, "cap", minimum=0) if "cap" in data else None
        base = self.number(data.get("base", 0), table, "base", minimum=0)
        floor = self.number(data.get("floor", 0), table, "floor")
        if cap is not None and (base > cap or floor > cap):
            raise self.fail(table, "cap", "cap_below", key="cap")
        return Group(
            key=key,
            label=self.text(data, table, "label", None),
            base=base,
            cap=cap,
            floor=floor,
        )

    def item(self, key: str, data: dict[str, Any], groups: set[str]) -> Item:
        table = f"items.{key}"
        self.only(data, _ITEM_KEYS, table)
        manual = data.get("manual", False)
        if not isinstance(manual, bool):
            raise self.fail(table, "manual", "need_bool", key="manual")
        if key not in FACTS and not manual:
            raise self.fail(table, None, "unknown_fact", item=key)
        if "points" not in data:
            raise self.fail(table, None, "missing", key="points")
        group = data.get("group")
        if group is not None and group not in groups:
            raise self.fail(table, "group", "unknown_group", group=group)
        return Item(
            key=key,
            label=self.text(data, table, "label", None),
            unit=self.text(data, table, "unit", catalogue().s("record.default_unit")),
            points=self.number(data["points"], table, "points"),
            cap=self.number(data["cap"], table, "cap", minimum=0) if "cap" in data else None,
            group=group,
            manual=manual,
        )

    def grades(self, raw: Any) -> tuple[Grade, ...]:
        if not isinstance(raw, list):
            raise self.fail("", "grades", "need_list", key="grades")
        out: list[Grade] = []
        for n, entry in enumerate(raw):
            table = f"grades#{n}"
            if not isinstance(entry, dict):
                raise self.fail("", "grades", "need_list", key="grades")
            self.only(entry, frozenset({"name", "min"}), table)
            if "min" not in entry:
                raise self.fail(table, None, "missing", key="min")
            grade = Grade(
                name=self.text(entry, table, "name", None),
                min=self.number(entry["min"], table, "min"),
            )
            if any(g.min == grade.min or g.name == grade.name for g in out):
                raise self.fail(table, "min", "grade_twice", name=grade.name)
            out.append(grade)
        return tuple(sorted(out, key=lambda g: g.min, reverse=True))

    def minimums(self, raw: Any, items: set[str]) -> tuple[Minimum, ...]:
        if not isinstance(raw, list):
            raise self.fail("", "minimums", "need_list", key="minimums")
        out: list[Minimum] = []
        for n, entry in enumerate(raw):
            table = f"minimums#{n}"
            if not isinstance(entry, dict):
                raise self.fail("", "minimums", "need_list", key="minimums")
            self.only(entry, frozenset({"text", "items", "count"}), table)
            text = self.text(entry, table, "text", None)
            keys = entry.get("items")
            if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
                raise self.fail(table, "items", "need_items")
            for key in keys:
                if key not in items and key not in FACTS:
                    raise self.fail(table, "items", "unknown_item", item=key)
            count = entry.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise self.fail(table, "count", "need_count", key="count", value=count)
            try:
                text.format(count=count)
            except (KeyError, IndexError, ValueError):
                raise self.fail(table, "text", "bad_placeholder") from None
            out.append(Minimum(text=text, items=tuple(keys), count=count))
        return tuple(out)
