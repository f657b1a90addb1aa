"""Limits, lists and vocabulary for proposals and reports, from config/proposals.toml.

Local rules differ between committees, so nothing here is hard-coded in the checks. A bad
file (unknown key, impossible limits, a number pattern without ``{seq}``) fails at start
with one ``ConfigError`` line naming the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from bot.errors import ConfigError

__all__ = [
    "DEFAULT_PATH",
    "GROUNDS",
    "ProposalRules",
    "ReportRules",
    "Rules",
    "format_number",
    "load_rules",
    "rules",
]

_T = TypeVar("_T")

# Beside the message catalogue: config/proposals.toml.
DEFAULT_PATH = (Path(__file__).resolve().parents[2] / "config" / "proposals").with_suffix(".toml")

# The ten usual grounds for non-registration (domain.md §1), in the order a clerk reads them.
GROUNDS = (
    "secrets",
    "forbidden",
    "party_organisation",
    "party_internal",
    "litigation",
    "academic",
    "personal",
    "promotion",
    "accusation",
    "empty",
)


@dataclass(frozen=True, slots=True)
class ProposalRules:
    fields: tuple[str, ...]
    number_pattern: str
    title_min_chars: int
    title_max_chars: int
    body_min_chars: int
    body_max_chars: int
    over_length_blocks: bool
    suggestions_min_chars: int
    min_suggestions: int
    handling_months: int
    rehandle_months: int
    similarity_threshold: float
    similar_shown: int
    term_start_year: int


@dataclass(frozen=True, slots=True)
class ReportRules:
    categories: tuple[str, ...]
    body_min_chars: int
    body_max_chars: int
    over_length_blocks: bool
    suggestions_min_chars: int
    urgencies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rules:
    proposal: ProposalRules
    report: ReportRules
    action_verbs: tuple[str, ...]
    slogans: tuple[str, ...]
    filler: tuple[str, ...]
    several_matters_title: tuple[str, ...]
    field_words: Mapping[str, tuple[str, ...]]
    ground_words: Mapping[str, tuple[str, ...]]
    person_pattern: re.Pattern[str]
    routine_words: tuple[str, ...]


def format_number(pattern: str, *, year: int, seq: int) -> str:
    """立案编号 from the configured pattern, e.g. ``{year}-{seq:03d}`` → ``2025-007``."""
    return pattern.format(year=year, seq=seq)


def _section(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"proposals config: [{name}] must be a table")
    return dict(value)


def _build(cls: type[_T], data: dict[str, Any], where: str) -> _T:
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ConfigError(f"proposals config: unknown key [{where}].{unknown[0]}")
    missing = [n for n in names if n not in data]
    if missing:
        raise ConfigError(f"proposals config: missing key [{where}].{missing[0]}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return cls(**values)


def _words(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise ConfigError(f"proposals config: {where} must be a list of non-empty strings")
    return tuple(value)


def _person_pattern(posts: tuple[str, ...], surnames: str) -> re.Pattern[str]:
    post = "|".join(map(re.escape, sorted(posts, key=len, reverse=True)))
    family = f"[{re.escape(surnames)}]"
    return re.compile(
        rf"{family}[某\u4e00-\u9fa5]{{0,2}}?(?:{post})|(?:{post}){family}[某\u4e00-\u9fa5]{{1,2}}|某某"
    )


def load_rules(path: Path = DEFAULT_PATH) -> Rules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"proposals config not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"proposals config {path} is not valid TOML: {exc}") from None
    known = {"proposal", "report", "vocabulary", "field_words", "grounds", "report_vocabulary"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"proposals config: unknown section [{unknown[0]}]")

    proposal = _build(ProposalRules, _section(data, "proposal"), "proposal")
    report = _build(ReportRules, _section(data, "report"), "report")
    _check_limits(proposal, report)

    vocab = _section(data, "vocabulary")
    unknown = sorted(set(vocab) - {"action_verbs", "slogans", "filler", "several_matters_title"})
    if unknown:
        raise ConfigError(f"proposals config: unknown key [vocabulary].{unknown[0]}")
    field_words = {
        name: _words(words, f"[field_words].{name}")
        for name, words in _section(data, "field_words").items()
    }
    stray = sorted(set(field_words) - set(proposal.fields))
    if stray:
        raise ConfigError(f"proposals config: [field_words].{stray[0]} is not in proposal.fields")

    grounds = _section(data, "grounds")
    if sorted(grounds) != sorted(GROUNDS):
        odd = sorted(set(grounds) ^ set(GROUNDS))[0]
        raise ConfigError(f"proposals config: [grounds.{odd}] unknown or missing")
    accusation = dict(grounds["accusation"])
    person = _person_pattern(
        _words(accusation.pop("posts", []), "[grounds.accusation].posts"),
        str(accusation.pop("surnames", "")) or "王",
    )
    ground_words: dict[str, tuple[str, ...]] = {}
    for name in GROUNDS:
        table = accusation if name == "accusation" else dict(grounds[name])
        extra = sorted(set(table) - {"words"})
        if extra:
            raise ConfigError(f"proposals config: unknown key [grounds.{name}].{extra[0]}")
        words = table.get("words", [])
        ground_words[name] = _words(words, f"[grounds.{name}].words") if words else ()

    routine = _section(data, "report_vocabulary")
    if set(routine) - {"routine"}:
        raise ConfigError("proposals config: [report_vocabulary] holds only `routine`")
    return Rules(
        proposal=proposal,
        report=report,
        action_verbs=_words(vocab.get("action_verbs", []), "[vocabulary].action_verbs"),
        slogans=_words(vocab.get("slogans", []), "[vocabulary].slogans"),
        filler=_words(vocab.get("filler", []), "[vocabulary].filler"),
        several_matters_title=_words(
            vocab.get("several_matters_title", []), "[vocabulary].several_matters_title"
        ),
        field_words=field_words,
        ground_words=ground_words,
        person_pattern=person,
        routine_words=_words(routine.get("routine", []), "[report_vocabulary].routine"),
    )


def _check_limits(proposal: ProposalRules, report: ReportRules) -> None:
    if not proposal.fields or len(set(proposal.fields)) != len(proposal.fields):
        raise ConfigError("proposals config: proposal.fields must be a non-empty list of names")
    if not report.categories:
        raise ConfigError("proposals config: report.categories must not be empty")
    pairs = [
        ("proposal.title", proposal.title_min_chars, proposal.title_max_chars),
        ("proposal.body", proposal.body_min_chars, proposal.body_max_chars),
        ("report.body", report.body_min_chars, report.body_max_chars),
    ]
    for where, low, high in pairs:
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high):
            raise ConfigError(f"proposals config: {where} limits must satisfy 0 <= min < max")
    parts: list[tuple[str, ProposalRules | ReportRules]] = [
        ("proposal", proposal),
        ("report", report),
    ]
    for where, rule in parts:
        if not isinstance(rule.over_length_blocks, bool):
            raise ConfigError(f"proposals config: {where}.over_length_blocks must be true or false")
        low = rule.suggestions_min_chars
        if not (isinstance(low, int) and 1 <= low < rule.body_max_chars):
            raise ConfigError(
                f"proposals config: {where}.suggestions_min_chars must be 1 .. body_max_chars"
            )
    if not 0 < proposal.similarity_threshold <= 1:
        raise ConfigError("proposals config: proposal.similarity_threshold must be in (0, 1]")
    for where, months in [
        ("handling_months", proposal.handling_months),
        ("rehandle_months", proposal.rehandle_months),
    ]:
        if not (isinstance(months, int) and 1 <= months <= 12):
            raise ConfigError(f"proposals config: proposal.{where} must be 1..12")
    if set(report.urgencies) != {"normal", "urgent"}:
        raise ConfigError("proposals config: report.urgencies must be normal and urgent")
    try:
        sample = format_number(proposal.number_pattern, year=2025, seq=7)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"proposals config: proposal.number_pattern is invalid: {exc}") from None
    if "{seq" not in proposal.number_pattern or sample == format_number(
        proposal.number_pattern, year=2025, seq=8
    ):
        raise ConfigError("proposals config: proposal.number_pattern must contain {seq}")


@cache
def rules() -> Rules:
    """The committee's rules from the default file, loaded once."""
    return load_rules()
