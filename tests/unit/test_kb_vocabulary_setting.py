"""A committee's own vocabulary file (COMMITTEE_BOT_KB_VOCABULARY_FILE) reaches the search."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.kb.service import KnowledgeBase
from bot.settings import load_settings
from storage.db import Database


def test_extra_vocabulary_keeps_the_committees_terms_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# 本会常用词\n委员之家\n", encoding="utf-8")
    monkeypatch.setenv("COMMITTEE_BOT_KB_VOCABULARY_FILE", str(words))
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    knowledge = KnowledgeBase.from_settings(load_settings(), db=db)
    monkeypatch.delenv("COMMITTEE_BOT_KB_VOCABULARY_FILE")
    default = KnowledgeBase.from_settings(load_settings(), db=db)
    # (segmenting with added words is tested with the tokenizer; here: the wiring)
    assert "委员之家" in knowledge.tokenizer.vocabulary
    assert "委员之家" not in default.tokenizer.vocabulary
    # a different vocabulary re-segments stored passages on the next index build
    assert knowledge.tokenizer.signature != default.tokenizer.signature


def test_missing_vocabulary_file_fails_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMITTEE_BOT_KB_VOCABULARY_FILE", str(tmp_path / "absent.txt"))
    with pytest.raises(ConfigError, match="KB_VOCABULARY_FILE"):
        load_settings()
