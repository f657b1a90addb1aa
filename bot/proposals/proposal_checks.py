"""A clerk's checks on a proposal draft before it is submitted (domain.md §1).

Blocking: a missing title (案由), situation and analysis (情况分析) or suggestions (具体建议);
suggestions of a few characters ("无") or of nothing but slogans; a body beyond the
committee's limit when its rules say "最多不超过" (config/proposals.toml).
Warnings: title not framed as "关于……的提案" or of odd length or not matching the body
(compared through the matching core, so 交通拥堵 in the title matches 堵车 in the body);
body length; signs of several matters in one proposal (一事一案); suggestions that are not
numbered, say nothing actionable or lean on slogans; vocabulary of the usual grounds for
non-registration; a similar proposal already submitted this term (with an offer to co-sign
instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.kb.normalize import fold
from bot.proposals.checks import (
    Finding,
    check_body_length,
    check_grounds,
    check_spread,
    check_suggestions,
    field_of,
    required,
)
from bot.proposals.config import Rules
from bot.proposals.config import rules as default_rules
from bot.proposals.matching import analyzer
from bot.proposals.similarity import SimilarityIndex

__all__ = [
    "ProposalText",
    "check_proposal",
    "comparison_text",
    "suggest_title",
    "title_core",
    "title_mismatch",
]

_P = "proposals.check."
# Below this share of the title's content words found in the body, they do not match.
TITLE_COVERAGE = 0.3


@dataclass(frozen=True, slots=True)
class ProposalText:
    """The parts of a proposal the checks read."""

    title: str = ""
    situation: str = ""
    suggestions: str = ""
    field: str = ""


_TITLE_STRIP = " \t\r\n\u3000《》<>「」“”\"'。.；;"
# "……的几点建议" says how many suggestions follow, not that there are several matters.
_TAIL = re.compile(r"(?:的)?(?:几点|若干|一些|几条)?(?:对策建议|提案|建议|意见|议案|思考)$")


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


# How much of each body part similarity reads: the matter is named in the title and the
# opening of each part; segmenting the rest would cost time, not add evidence.
COMPARED_CHARS = 300


def comparison_text(text: ProposalText) -> str:
    """What similarity compares: the matter as the title names it, and the opening of the
    situation and of the suggestions. (The title counted twice ranked worse on the tune
    pairs of bench/similarity_eval.)"""
    situation = text.situation[:COMPARED_CHARS]
    suggestions = text.suggestions[:COMPARED_CHARS]
    return f"{title_core(text.title)} {situation} {suggestions}"


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
    if any(word in core for word in r.several_matters_title) or _listed_matters(core, r):
        out.append(Finding("warning", f"{_P}several_matters_title", {"title": core}))
    if body.strip() and title_mismatch(core, body):
        out.append(Finding("warning", f"{_P}title_mismatch"))
    return out


def _listed_matters(core: str, r: Rules) -> bool:
    """A title listing things of different fields (托育、养老、医疗服务) names several matters;
    one listing the parts of one thing (水、电、气管网改造) does not."""
    if core.count("、") < 2:
        return False
    fields = {field_of(part, r) for part in core.split("、")} - {""}
    return len(fields) >= 2


def title_mismatch(core: str, body: str) -> bool:
    """The title's content words (synonyms and sub-words counted, frame words not) barely
    show in the body: 交通拥堵 in the title is matched by 堵车 or 通行不畅 in the body."""
    matcher = analyzer()
    units = matcher.content(core).units
    if len(units) < 2:
        return False  # too little to judge; a one-word title is flagged for its length
    folded = fold(body)
    other = matcher.content(body)
    covered = sum(matcher.covered(u, other, folded) for u in units)
    return covered / len(units) < TITLE_COVERAGE


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
        body,
        low=r.proposal.body_min_chars,
        high=r.proposal.body_max_chars,
        key_prefix=_P,
        blocks=r.proposal.over_length_blocks,
    )
    out += check_suggestions(
        text.suggestions,
        r,
        min_items=r.proposal.min_suggestions,
        min_chars=r.proposal.suggestions_min_chars,
        key_prefix=_P,
    )
    out += check_spread(
        text.suggestions, r, key=f"{_P}several_matters_fields", title=title_core(text.title)
    )
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
