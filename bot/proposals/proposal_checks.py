"""A clerk's checks on a proposal draft before it is submitted (domain.md §1).

Blocking: a missing title (案由), situation and analysis (情况分析) or suggestions (具体建议).
Warnings: title not framed as "关于……的提案" or of odd length or not matching the body; body
length; signs of several matters in one proposal (一事一案); suggestions that are not
numbered or say nothing actionable; vocabulary of the usual grounds for non-registration;
a similar proposal already submitted this term (with an offer to co-sign instead).
"""

from __future__ import annotations

import re
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
from bot.proposals.similarity import SimilarityIndex, bigrams

__all__ = [
    "ProposalText",
    "check_proposal",
    "comparison_text",
    "suggest_title",
    "title_core",
]

_P = "proposals.check."


@dataclass(frozen=True, slots=True)
class ProposalText:
    """The parts of a proposal the checks read."""

    title: str = ""
    situation: str = ""
    suggestions: str = ""
    field: str = ""


_TITLE_STRIP = " \t\r\n\u3000《》<>「」“”\"'。.；;"
_TAIL = re.compile(r"(?:的)?(?:提案|建议|意见|议案)$")


def title_core(title: str) -> str:
    """The matter itself: the title without "关于" and "的提案"."""
    core = title.strip(_TITLE_STRIP)
    core = core.removeprefix("关于")
    core = _TAIL.sub("", core)
    return core.strip(_TITLE_STRIP)


def suggest_title(raw: str) -> str:
    """The title in the conventional frame: "关于加快托育服务发展的提案"."""
    core = title_core(raw)
    return f"关于{core}的提案" if core else ""


def comparison_text(text: ProposalText) -> str:
    """What similarity compares: the matter (title twice, it names it best) and the body."""
    core = title_core(text.title)
    return f"{core} {core} {text.situation} {text.suggestions}"


def _title_findings(title: str, body: str, r: Rules) -> list[Finding]:
    out: list[Finding] = []
    core = title_core(title)
    suggested = suggest_title(title)
    if suggested and suggested != title.strip():
        out.append(Finding("warning", f"{_P}title_frame", {"suggested": suggested}))
    size = len(core)
    limits = {"count": str(size)}
    if size < r.proposal.title_min_chars:
        out.append(
            Finding(
                "warning", f"{_P}title_short", limits | {"min": str(r.proposal.title_min_chars)}
            )
        )
    elif size > r.proposal.title_max_chars:
        out.append(
            Finding("warning", f"{_P}title_long", limits | {"max": str(r.proposal.title_max_chars)})
        )
    if any(word in core for word in r.several_matters_title) or core.count("、") >= 2:
        out.append(Finding("warning", f"{_P}several_matters_title", {"title": core}))
    # The title must match the body: some of its bigrams should appear there.
    title_grams = set(bigrams(core))
    if body.strip() and len(title_grams) >= 3:
        covered = len(title_grams & set(bigrams(body))) / len(title_grams)
        if covered < 0.25:
            out.append(Finding("warning", f"{_P}title_mismatch"))
    return out


def check_proposal(
    text: ProposalText,
    *,
    rules: Rules | None = None,
    similar: SimilarityIndex | None = None,
    exclude: int | None = None,
) -> list[Finding]:
    """Every finding for the draft, blocking ones first.

    ``similar`` holds this term's submitted proposals; ``exclude`` is the draft's own id.
    """
    r = rules or default_rules()
    out = required(_P, title=text.title, situation=text.situation, suggestions=text.suggestions)
    if text.field and text.field not in r.proposal.fields:
        out.append(Finding("blocking", f"{_P}unknown_field", {"field": text.field}))
    elif not text.field:
        out.append(Finding("warning", f"{_P}no_field"))

    body = f"{text.situation}\n{text.suggestions}"
    if text.title.strip():
        out += _title_findings(text.title, body, r)
    out += check_body_length(
        body, low=r.proposal.body_min_chars, high=r.proposal.body_max_chars, key_prefix=_P
    )
    out += check_suggestions(
        text.suggestions, r, min_items=r.proposal.min_suggestions, key_prefix=_P
    )
    out += check_spread(text.suggestions, r, key=f"{_P}several_matters_fields")
    out += check_grounds(f"{text.title}\n{body}", r, key=f"{_P}ground")
    if similar is not None and text.title.strip():
        for m in similar.query(
            comparison_text(text),
            threshold=r.proposal.similarity_threshold,
            top=r.proposal.similar_shown,
            exclude=exclude,
        ):
            out.append(
                Finding(
                    "warning",
                    f"{_P}similar",
                    {"proposal_id": str(m.ref), "title": m.label, "score": f"{m.score:.0%}"},
                )
            )
    out.sort(key=lambda f: not f.blocking)
    return out
