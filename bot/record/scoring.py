"""Facts × rules → the year's score: a pure function, so a changed rules file simply gives
another score from the same facts (nothing is stored as points).

Per item: count × points, limited by the item's cap (for a deduction, the most it takes
away). Per group: its base plus its items, kept between its floor and its cap. The total is
the groups plus the ungrouped items, limited by ``max_total``; never below zero. The grade
is the first (highest) whose minimum the total reaches. A yearly minimum is short when its
items' counts together stay below its count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.record.rules import Item, Minimum, PointsRules

__all__ = ["GroupScore", "ItemScore", "Score", "Shortfall", "score"]


@dataclass(frozen=True, slots=True)
class ItemScore:
    item: Item
    count: int
    points: float  # after the item's cap
    capped: bool  # the cap took something off

    @property
    def is_deduction(self) -> bool:
        return self.points < 0


@dataclass(frozen=True, slots=True)
class GroupScore:
    key: str
    label: str
    base: float
    cap: float | None
    raw: float  # base + items, before the cap and floor
    points: float


@dataclass(frozen=True, slots=True)
class Shortfall:
    minimum: Minimum
    have: int

    @property
    def text(self) -> str:
        return self.minimum.describe()


@dataclass(frozen=True, slots=True)
class Score:
    items: tuple[ItemScore, ...]  # in the rules' order, every item (count 0 included)
    groups: tuple[GroupScore, ...]
    total: float
    deductions: float  # the (positive) sum taken away by deduction items
    grade: str | None
    shortfalls: tuple[Shortfall, ...]

    def of(self, key: str) -> ItemScore | None:
        return next((s for s in self.items if s.item.key == key), None)


def _item_points(item: Item, count: int) -> tuple[float, bool]:
    raw = item.points * count
    if item.cap is None or abs(raw) <= item.cap:
        return raw, False
    return (item.cap if raw > 0 else -item.cap), True


def score(rules: PointsRules, counts: Mapping[str, int]) -> Score:
    """The score of one member's year; ``counts`` holds every fact and manual item by key
    (a missing key counts zero, a negative sum of corrections counts zero)."""
    items = []
    for item in rules.items:
        count = max(int(counts.get(item.key, 0)), 0)
        points, capped = _item_points(item, count)
        items.append(ItemScore(item=item, count=count, points=points, capped=capped))

    groups = []
    for group in rules.groups:
        raw = group.base + sum(s.points for s in items if s.item.group == group.key)
        points = max(raw, group.floor)
        if group.cap is not None:
            points = min(points, group.cap)
        groups.append(
            GroupScore(
                key=group.key,
                label=group.label,
                base=group.base,
                cap=group.cap,
                raw=raw,
                points=points,
            )
        )
    total = sum(g.points for g in groups) + sum(s.points for s in items if s.item.group is None)
    if rules.max_total is not None:
        total = min(total, rules.max_total)
    total = round(max(total, 0.0), 2)
    grade = next((g.name for g in rules.grades if total >= g.min), None)

    shortfalls = []
    for minimum in rules.minimums:
        have = sum(max(int(counts.get(key, 0)), 0) for key in minimum.items)
        if have < minimum.count:
            shortfalls.append(Shortfall(minimum=minimum, have=have))
    return Score(
        items=tuple(items),
        groups=tuple(groups),
        total=total,
        deductions=round(-sum(s.points for s in items if s.points < 0), 2),
        grade=grade,
        shortfalls=tuple(shortfalls),
    )
