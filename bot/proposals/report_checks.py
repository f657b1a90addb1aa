"""A clerk's checks on a public-opinion report (社情民意信息) draft (domain.md §2).

Blocking: a missing category, title, situation, cause analysis or suggestions, suggestions
of a few characters or of nothing but slogans, or a report kept from the public without a
reason. Warnings: length beyond the limit (about 1,500 characters), several matters, vague
suggestions or slogans in them, routine work items, vocabulary of the grounds a proposal
would be refused on.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.proposals.checks import (
    Finding,
    check_body_length,
    check_grounds,
    check_spread,
    check_suggestions,
    required,
)
from bot.proposals.config import Rules
from bot.proposals.config import rules as default_rules

__all__ = ["ReportText", "check_report"]

_P = "reports.check."


@dataclass(frozen=True, slots=True)
class ReportText:
    category: str = ""
    title: str = ""
    situation: str = ""
    cause: str = ""
    suggestions: str = ""
    public: bool = True
    private_reason: str = ""


def check_report(text: ReportText, *, rules: Rules | None = None) -> list[Finding]:
    r = rules or default_rules()
    out = required(
        _P,
        category=text.category,
        title=text.title,
        situation=text.situation,
        cause=text.cause,
        suggestions=text.suggestions,
    )
    if text.category and text.category not in r.report.categories:
        out.append(Finding("blocking", f"{_P}unknown_category", {"category": text.category}))
    if not text.public and not text.private_reason.strip():
        out.append(Finding("blocking", f"{_P}private_needs_reason"))

    body = "\n".join((text.situation, text.cause, text.suggestions))
    out += check_body_length(
        body,
        low=r.report.body_min_chars,
        high=r.report.body_max_chars,
        key_prefix=_P,
        blocks=r.report.over_length_blocks,
    )
    # One or more suggestions are fine in a report; what matters is that they can be acted on.
    out += check_suggestions(
        text.suggestions, r, min_items=0, min_chars=r.report.suggestions_min_chars, key_prefix=_P
    )
    out += check_spread(text.suggestions, r, key=f"{_P}several_matters", title=text.title)
    routine = next((w for w in r.routine_words if w in body or w in text.title), None)
    if routine:
        out.append(Finding("warning", f"{_P}routine", {"word": routine}))
    out += check_grounds(f"{text.title}\n{body}", r, key=f"{_P}ground")
    out.sort(key=lambda f: not f.blocking)
    return out
