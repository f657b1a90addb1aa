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
from bot.proposals.config import Rules
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
    "field_spread",
    "ground_hits",
    "has_blocking",
    "missing",
    "preamble",
    "required",
    "split_items",
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


def check_spread(suggestions: str, rules: Rules, *, key: str) -> list[Finding]:
    """一事一案: suggestions mainly about three fields or more are several matters."""
    items, _ = split_items(suggestions)
    spread = field_spread(items, rules)
    if len(spread) >= 3:
        return [Finding("warning", key, {"fields": "、".join(spread)})]
    return []


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


def check_suggestions(text: str, rules: Rules, *, min_items: int, key_prefix: str) -> list[Finding]:
    """Suggestions numbered into items (``min_items`` 0: numbering optional), each actionable."""
    if not text.strip():
        return []
    items, numbered = split_items(text)
    out: list[Finding] = []
    if min_items and (not numbered or len(items) < min_items):
        out.append(Finding("warning", f"{key_prefix}not_numbered", {"min": str(min_items)}))
    vague = vague_items(items, rules)
    if vague and len(vague) == len(items):
        out.append(Finding("warning", f"{key_prefix}all_vague", {"example": _clip(vague[0])}))
    elif vague:
        out.append(
            Finding(
                "warning",
                f"{key_prefix}some_vague",
                {"count": str(len(vague)), "example": _clip(vague[0])},
            )
        )
    return out


def _clip(text: str, size: int = 30) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= size else text[: size - 1] + "…"


def field_spread(items: Sequence[str], rules: Rules) -> list[str]:
    """The distinct fields the items are mainly about, in order of first appearance."""
    seen: list[str] = []
    for item in items:
        scores = {
            name: sum(item.count(w) for w in words) for name, words in rules.field_words.items()
        }
        best = max(scores.items(), key=lambda kv: kv[1], default=("", 0))
        if best[1] > 0 and best[0] not in seen:
            seen.append(best[0])
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


def check_body_length(body: str, *, low: int, high: int, key_prefix: str) -> list[Finding]:
    count = char_count(body)
    if count > high:
        return [
            Finding("warning", f"{key_prefix}too_long", {"count": str(count), "max": str(high)})
        ]
    if 0 < count < low:
        return [
            Finding("warning", f"{key_prefix}too_short", {"count": str(count), "min": str(low)})
        ]
    return []
