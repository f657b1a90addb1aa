"""What a clerk checks in any member's draft, proposal or report alike: rule-based, no LLM.

A check returns ``Finding`` values: a severity (``blocking`` stops submission, ``warning``
is explained and left to the member), a catalogue key that says it in plain Chinese, and
the parameters that text needs. Vocabulary and limits come from ``config.Rules``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.catalogue import Catalogue, catalogue
from bot.kb.normalize import fold
from bot.proposals.config import Rules
from bot.proposals.matching import analyzer
from bot.text import Text

__all__ = [
    "Finding",
    "Severity",
    "char_count",
    "check_body_length",
    "check_grounds",
    "check_spread",
    "check_suggestions",
    "explain",
    "field_of",
    "field_spread",
    "ground_hits",
    "has_blocking",
    "matter_spread",
    "missing",
    "only_slogans",
    "preamble",
    "required",
    "slogans_in",
    "split_items",
    "substance",
    "vague_items",
]

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    key: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"


def explain(finding: Finding, cat: Catalogue | None = None) -> Text:
    """The finding in plain Chinese (a ground key becomes the ground's name)."""
    cat = cat or catalogue()
    params = dict(finding.params)
    if "ground" in params:
        params["ground_name"] = cat.s(f"proposals.ground.{params['ground']}")
    return cat.t(finding.key, **params)


def has_blocking(findings: Iterable[Finding]) -> bool:
    return any(f.blocking for f in findings)


_SPACE = re.compile(r"\s+")


def char_count(text: str) -> int:
    """Characters as a clerk counts them: whitespace (and the line breaks phones add) excluded."""
    return len(_SPACE.sub("", text))


def missing(key: str, value: str | None) -> Finding | None:
    """A blocking finding when a required part is empty or only whitespace."""
    return None if value and value.strip() else Finding("blocking", key)


def required(prefix: str, **parts: str | None) -> list[Finding]:
    """A blocking ``<prefix>missing_<part>`` for each required part left empty, in order."""
    found = (missing(f"{prefix}missing_{name}", value) for name, value in parts.items())
    return [f for f in found if f is not None]


def check_spread(suggestions: str, rules: Rules, *, key: str, title: str = "") -> list[Finding]:
    """一事一案: suggestions mainly about three fields or more are several matters.

    Items about the title's matter are one matter whatever field words they use: an
    elevator proposal's items on subsidies (经济) and on mediating neighbours (社会法制)
    are still about the elevator.
    """
    items, _ = split_items(suggestions)
    spread = matter_spread(items, title, rules)
    if len(spread) >= 3:
        return [Finding("warning", key, {"fields": "、".join(spread)})]
    return []


def matter_spread(items: Sequence[str], title: str, rules: Rules) -> list[str]:
    """Like :func:`field_spread`, with the items on the title's matter counted as one field
    (theirs taken together), in order of first appearance."""
    matcher = analyzer()
    units = matcher.content(title).units if title.strip() else ()
    on_matter: list[str] = []
    labels: list[str | None] = []  # None: the matter's own field, decided below
    for item in items:
        content = matcher.content(item)
        folded = fold(item)
        if units and any(matcher.covered(u, content, folded) for u in units):
            on_matter.append(item)
            labels.append(None)
        else:
            labels.append(field_of(item, rules))
    matter = field_of(" ".join([title, *on_matter]), rules) if on_matter else ""
    seen: list[str] = []
    for label in labels:
        name = matter if label is None else label
        if name and name not in seen:
            seen.append(name)
    return seen


def field_of(text: str, rules: Rules) -> str:
    """The field whose words the text uses most, or "" when it uses none."""
    scores = {name: sum(text.count(w) for w in words) for name, words in rules.field_words.items()}
    best = max(scores.items(), key=lambda kv: kv[1], default=("", 0))
    return best[0] if best[1] > 0 else ""


# Item markers members actually type: "1." "1、" "(1)" "（一）" "一、" "一是" "①". Arabic numerals
# count only at a line start or after a sentence end, so "3.5万" or "第2条" is no marker.
_CN = "一二三四五六七八九十"
_MARKER = re.compile(
    rf"(?:^|(?<=[\n。；;！!]))[ \t\u3000]*\d{{1,2}}[\.．、)）](?!\d)"
    rf"|(?:^|(?<=[\n。；;！!，,]))[ \t\u3000]*[{_CN}]{{1,3}}[、是]"
    rf"|[（(](?:\d{{1,2}}|[{_CN}]{{1,3}})[)）]"
    rf"|[①-⑳]"
)


def preamble(text: str) -> str:
    """What comes before the first numbered item (e.g. "为此，建议："), or "" if unnumbered."""
    text = text.strip()
    first = _MARKER.search(text)
    return text[: first.start()].strip() if first else ""


def split_items(text: str) -> tuple[list[str], bool]:
    """The text's numbered items and whether it was numbered at all.

    Text before the first marker (an introduction like "为此，建议：") is not an item.
    """
    text = text.strip()
    marks = list(_MARKER.finditer(text))
    if len(marks) < 1:
        return ([text] if text else []), False
    items = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        item = text[m.end() : end].strip(" \t\u3000\n；;，,")
        if item:
            items.append(item)
    return items, True


_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_NUMBER = re.compile(
    r"\d|[一二三四五六七八九十百千万两]+(?:个|所|家|项|条|名|万|亿|年|月|天|小时|%|成)"
)


def vague_items(items: Sequence[str], rules: Rules) -> list[str]:
    """Items with nothing a handling unit could do: slogans, or no verb of action and no figure.

    Slogans are removed first, so "提高认识" does not pass as the verb "提高".
    """
    vague = []
    for item in items:
        rest = item
        for slogan in sorted(rules.slogans, key=len, reverse=True):
            rest = rest.replace(slogan, "")
        substance = _PUNCT.sub("", rest)
        concrete = any(v in rest for v in rules.action_verbs) or bool(_NUMBER.search(rest))
        if not concrete or len(substance) < 8:
            vague.append(item)
    return vague


def check_suggestions(
    text: str, rules: Rules, *, min_items: int, min_chars: int, key_prefix: str
) -> list[Finding]:
    """Suggestions numbered into items (``min_items`` 0: numbering optional), each actionable.

    Blocking: fewer than ``min_chars`` characters ("无", "见附件"), or nothing but slogans.
    A hint: slogans inside otherwise concrete suggestions.
    """
    if not text.strip():
        return []
    count = substance(text)
    # Slogans alone ("高度重视，加强领导。") are told as slogans, however short.
    if count < min_chars and not slogans_in(text, rules):
        return [
            Finding(
                "blocking",
                f"{key_prefix}suggestions_too_short",
                {"count": str(count), "min": str(min_chars)},
            )
        ]
    items, numbered = split_items(text)
    out: list[Finding] = []
    if min_items and (not numbered or len(items) < min_items):
        out.append(Finding("warning", f"{key_prefix}not_numbered", {"min": str(min_items)}))
    vague = vague_items(items, rules)
    if vague and len(vague) == len(items):
        phrases = slogans_in(text, rules)
        if phrases and only_slogans(text, rules):
            out.append(
                Finding("blocking", f"{key_prefix}only_slogans", {"phrases": _quoted(phrases)})
            )
        else:
            out.append(Finding("warning", f"{key_prefix}all_vague", {"example": _clip(vague[0])}))
        return out
    if vague:
        out.append(
            Finding(
                "warning",
                f"{key_prefix}some_vague",
                {"count": str(len(vague)), "example": _clip(vague[0])},
            )
        )
    concrete = "\n".join(item for item in items if item not in vague)
    phrases = slogans_in(concrete, rules)
    if phrases:
        out.append(Finding("warning", f"{key_prefix}slogans", {"phrases": _quoted(phrases)}))
    return out


_HAN_OR_ALNUM = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def substance(text: str) -> int:
    """Characters that say something: Han, letters and digits, item markers not counted."""
    return len(_HAN_OR_ALNUM.findall(_MARKER.sub(" ", text)))


def slogans_in(text: str, rules: Rules) -> list[str]:
    """The set phrases the text uses, longest first where they overlap, in text order."""
    found: list[tuple[int, str]] = []
    for slogan in sorted(rules.slogans, key=len, reverse=True):
        start = text.find(slogan)
        while start >= 0:
            if not any(
                s <= start < s + len(w) or start <= s < start + len(slogan) for s, w in found
            ):
                found.append((start, slogan))
            start = text.find(slogan, start + 1)
    return list(dict.fromkeys(w for _, w in sorted(found)))


def only_slogans(text: str, rules: Rules) -> bool:
    """Nothing left once the slogans and the words around them are taken out."""
    rest = _MARKER.sub(" ", text)
    for word in sorted((*rules.slogans, *rules.filler), key=len, reverse=True):
        rest = rest.replace(word, " ")
    return substance(rest) < _SLOGAN_REST


# What may remain of slogan-only suggestions: the matter's name (托育) and little else.
_SLOGAN_REST = 6


def _quoted(phrases: Sequence[str], most: int = 3) -> str:
    return "".join(f"“{p}”" for p in phrases[:most])


def _clip(text: str, size: int = 30) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= size else text[: size - 1] + "…"


def field_spread(items: Sequence[str], rules: Rules) -> list[str]:
    """The distinct fields the items are mainly about, in order of first appearance."""
    seen: list[str] = []
    for item in items:
        best = field_of(item, rules)
        if best and best not in seen:
            seen.append(best)
    return seen


def ground_hits(text: str, rules: Rules) -> dict[str, str]:
    """Grounds for non-registration the vocabulary suggests, each with the words that showed it."""
    hits: dict[str, str] = {}
    for ground, words in rules.ground_words.items():
        word = next((w for w in words if w in text), None)
        if word is None:
            continue
        if ground == "accusation":
            person = rules.person_pattern.search(text)
            if person is None:
                continue
            word = f"{word}／{person.group(0)}"
        hits[ground] = word
    return hits


def check_grounds(text: str, rules: Rules, *, key: str) -> list[Finding]:
    return [
        Finding("warning", key, {"ground": ground, "word": word})
        for ground, word in ground_hits(text, rules).items()
    ]


def check_body_length(
    body: str, *, low: int, high: int, key_prefix: str, blocks: bool = False
) -> list[Finding]:
    """The body's length against the committee's limits, the count shown; beyond ``high``
    stops submission when the rules say "最多不超过" (``blocks``)."""
    count = char_count(body)
    if count > high:
        severity: Severity = "blocking" if blocks else "warning"
        key = f"{key_prefix}too_long_blocking" if blocks else f"{key_prefix}too_long"
        return [Finding(severity, key, {"count": str(count), "max": str(high)})]
    if 0 < count < low:
        return [
            Finding("warning", f"{key_prefix}too_short", {"count": str(count), "min": str(low)})
        ]
    return []
