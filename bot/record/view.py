"""The record as a member reads it in chat and a clerk in the terminal (the same Text).

Items are shown by group in the rules' order, those with a count only; then the proposals
as 第一提案人 and as 联名提案人 apart (whatever the rules score), the total with its
deductions, the grade, and what the yearly minimum still asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.catalogue import Catalogue
from bot.record.rules import PointsRules
from bot.record.scoring import ItemScore, Score
from bot.text import Text

__all__ = ["number", "record_text"]


def number(value: float) -> str:
    """5.0 → 5, 2.5 → 2.5, -10.0 → -10."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _item_lines(cat: Catalogue, items: Iterable[ItemScore]) -> Text:
    out = Text.of("")
    for s in items:
        out += cat.t(
            "record.item_deduction" if s.is_deduction else "record.item_line",
            label=s.item.label,
            count=s.count,
            unit=s.item.unit,
            points=number(abs(s.points)),
        )
        if s.capped and s.item.cap is not None:
            out += cat.t("record.item_capped", cap=number(s.item.cap))
    return out


def record_text(
    cat: Catalogue,
    *,
    name: str,
    year: int,
    rules: PointsRules,
    score: Score,
    counts: Mapping[str, int],
) -> Text:
    text = cat.t("record.title", name=name, year=year) + cat.t(
        "record.rules_title", title=rules.title
    )
    shown = [s for s in score.items if s.count]
    for group in score.groups:
        members = [s for s in shown if s.item.group == group.key]
        if not members and not group.base:
            continue
        text += cat.t("record.group_head", label=group.label, points=number(group.points))
        if group.cap is not None:
            text += cat.t("record.group_cap", cap=number(group.cap))
        if group.base:
            text += cat.t("record.group_base", base=number(group.base))
        text += _item_lines(cat, members)
    loose = [s for s in shown if s.item.group is None]
    if loose:
        text += cat.t("record.items_head") + _item_lines(cat, loose)
    if not shown:
        text += cat.t("record.empty_note")

    text += cat.t(
        "record.proposals",
        lead=counts.get("proposal_lead_submitted", 0),
        lead_registered=counts.get("proposal_lead_registered", 0),
        cosigned=counts.get("proposal_cosigned_submitted", 0),
        cosigned_registered=counts.get("proposal_cosigned_registered", 0),
    )
    text += cat.t("record.total", total=number(score.total))
    if score.deductions:
        text += cat.t("record.deductions", points=number(score.deductions))
    if score.grade:
        text += cat.t("record.grade", grade=score.grade)
    if score.shortfalls:
        text += cat.t("record.shortfalls_head")
        for short in score.shortfalls:
            text += cat.t("record.shortfall", text=short.text, have=short.have)
    elif rules.minimums:
        text += cat.t("record.minimums_met")
    return text
