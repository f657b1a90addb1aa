from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue import catalogue
from bot.errors import ConfigError
from bot.proposals.config import DEFAULT_PATH, GROUNDS, format_number, load_rules
from bot.proposals.proposal_lifecycle import _FROM, AnswerCategory, Conversion, Kind, Rating, Status
from bot.proposals.report_lifecycle import AdoptionLevel, ReportStatus


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "proposals.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_default_file_loads_with_the_usual_fields() -> None:
    rules = load_rules()
    assert rules.proposal.fields[:3] == ("经济", "城建", "教育")
    assert rules.proposal.body_max_chars == 1500 and rules.proposal.handling_months == 3
    assert format_number(rules.proposal.number_pattern, year=2025, seq=7) == "2025-007"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("handling_months = 3", "handling_monts = 3", "unknown key [proposal].handling_monts"),
        ('number_pattern = "{year}-{seq:03d}"', 'number_pattern = "{year}"', "must contain {seq}"),
        ('number_pattern = "{year}-{seq:03d}"', 'number_pattern = "{yr}-{seq}"', "invalid"),
        ("body_min_chars = 200", "body_min_chars = 2000", "min < max"),
        ("similarity_threshold = 0.13", "similarity_threshold = 1.5", "similarity_threshold"),
        ("[grounds.academic]", "[grounds.scholarly]", "grounds"),
        ('"农业农村" = [', '"航天" = [', "[field_words].航天"),
    ],
)
def test_bad_configuration_fails_with_one_clear_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("{", r"\{")):
        load_rules(variant(tmp_path, old, new))


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_rules(tmp_path / "nope.toml")


def test_every_status_action_and_choice_has_a_chinese_name() -> None:
    cat = catalogue()
    names = (
        [f"proposals.status.{s}" for s in Status]
        + [f"proposals.action.{a}" for a in _FROM]
        + [f"proposals.ground.{g}" for g in GROUNDS]
        + [f"proposals.kind.{k}" for k in Kind]
        + [f"proposals.answer_category.{c}" for c in AnswerCategory]
        + [f"proposals.rating.{r}" for r in Rating]
        + [f"proposals.conversion.{c}" for c in Conversion]
        + [f"reports.status.{s}" for s in ReportStatus]
        + [f"reports.level.{lv}" for lv in AdoptionLevel]
        + [f"reports.urgency.{u}" for u in load_rules().report.urgencies]
    )
    missing = [n for n in names if n not in cat]
    assert missing == []
