from __future__ import annotations

from datetime import time

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings


def test_defaults_run_offline() -> None:
    s = load_settings()
    assert s.database_url.startswith("sqlite+aiosqlite:///")
    assert s.timezone == "Asia/Shanghai" and s.telegram_token is None and not s.llm_enabled


def test_environment_overrides_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "bot.toml"
    file.write_text('committee_name = "郑州市政协"\ntimezone = "Asia/Urumqi"\n', encoding="utf-8")
    monkeypatch.setenv("COMMITTEE_BOT_TIMEZONE", "Asia/Shanghai")
    s = load_settings(file)
    assert s.committee_name == "郑州市政协" and s.timezone == "Asia/Shanghai"


def test_postgres_url_gets_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_BOT_DATABASE_URL", "postgresql://bot:pw@db/committee")
    assert load_settings().database_url == "postgresql+asyncpg://bot:pw@db/committee"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("COMMITTEE_BOT_TIMEZONE", "Mars/Olympus", "COMMITTEE_BOT_TIMEZONE"),
        ("COMMITTEE_BOT_TELEGRAM_TOKEN", "not-a-token", "COMMITTEE_BOT_TELEGRAM_TOKEN"),
        ("COMMITTEE_BOT_DATABASE_URL", "mysql://x", "COMMITTEE_BOT_DATABASE_URL"),
        ("COMMITTEE_BOT_FLOW_IDLE_MINUTES", "-5", "COMMITTEE_BOT_FLOW_IDLE_MINUTES"),
        ("COMMITTEE_BOT_TIMEZOEN", "Asia/Shanghai", "COMMITTEE_BOT_TIMEZOEN"),
        ("COMMITTEE_BOT_LLM_MODEL", "qwen", "LLM_BASE_URL"),
        ("COMMITTEE_BOT_DAILY_DIGEST_TIME", "25:00", "COMMITTEE_BOT_DAILY_DIGEST_TIME"),
        ("COMMITTEE_BOT_DAILY_DIGEST_TIME", "08:30+08:00", "COMMITTEE_BOT_DAILY_DIGEST_TIME"),
        ("COMMITTEE_BOT_BROADCAST_STATUS_EDIT_SECONDS", "0", "BROADCAST_STATUS_EDIT_SECONDS"),
    ],
)
def test_bad_settings_fail_with_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert fragment in message and "\n" not in message


def test_digest_time_and_status_interval(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = load_settings()
    assert defaults.daily_digest_time == time(8, 30)
    assert defaults.broadcast_status_edit_seconds == 3.0
    file = tmp_path / "bot.toml"
    file.write_text("daily_digest_time = 07:45:00\n", encoding="utf-8")  # a TOML local time
    assert load_settings(file).daily_digest_time == time(7, 45)
    monkeypatch.setenv("COMMITTEE_BOT_DAILY_DIGEST_TIME", "09:05")
    monkeypatch.setenv("COMMITTEE_BOT_BROADCAST_STATUS_EDIT_SECONDS", "1.5")
    s = load_settings(file)
    assert s.daily_digest_time == time(9, 5) and s.broadcast_status_edit_seconds == 1.5


def test_unknown_option_in_file_fails(tmp_path) -> None:
    file = tmp_path / "bot.toml"
    file.write_text('databse_url = "sqlite:///x.db"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="databse_url"):
        load_settings(file)


def test_secrets_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "123456789:" + "A" * 35
    monkeypatch.setenv("COMMITTEE_BOT_TELEGRAM_TOKEN", token)
    monkeypatch.setenv("COMMITTEE_BOT_DATABASE_URL", "postgresql://bot:hunter2@db/c")
    shown = load_settings().masked()
    assert token not in shown["telegram_token"] and "hunter2" not in shown["database_url"]
