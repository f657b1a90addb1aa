"""Settings: environment (prefix ``COMMITTEE_BOT_``), then an optional TOML file, then defaults.

Unknown options and impossible combinations fail at start with one clear line
(``ConfigError``); ``committee-bot config show`` prints the effective values, secrets masked.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

__all__ = ["ENV_PREFIX", "Settings", "load_settings"]

ENV_PREFIX = "COMMITTEE_BOT_"
TOKEN_RE = re.compile(r"^\d{3,12}:[A-Za-z0-9_-]{30,64}$")
# Environment names with our prefix that are not settings but test or tooling switches.
_NON_SETTINGS = {"SETTINGS_FILE", "TEST_POSTGRES_URL", "REQUIRE_POSTGRES"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    committee_name: str = Field("示例市政协", description="shown in greetings and documents")
    database_url: str = "sqlite+aiosqlite:///var/committee-bot.db"
    timezone: str = "Asia/Shanghai"
    secret_key: SecretStr | None = Field(
        None, description="signs button payloads; generated and kept in the database if unset"
    )

    telegram_token: SecretStr | None = None
    telegram_api_url: str | None = None
    webhook_secret: SecretStr | None = None

    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = 30.0
    kb_vocabulary_file: Path | None = Field(
        None, description="extra committee terms for the rulebook search, one a line"
    )
    kb_max_file_mb: int = Field(50, ge=1, description="largest rulebook file kb ingest reads")

    flow_idle_minutes: int = Field(60, ge=1)
    invite_ttl_hours: int = Field(72, ge=1)
    max_text_chars: int = Field(4000, ge=100)
    max_upload_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    verify_free_attempts: int = Field(3, ge=1)
    verify_window_minutes: int = Field(15, ge=1)
    # Guessing invite codes from many accounts: more than this many wrong codes in this many
    # minutes, over all accounts, pauses code redemption for every unverified account.
    verify_code_burst_failures: int = Field(20, ge=1)
    verify_code_burst_minutes: int = Field(10, ge=1)

    # The secretariat's morning digest of overdue proposals (local time, committee zone).
    daily_digest_time: time = Field(time(8, 30), description="local time of the daily digest")
    # While a notice goes out, the clerk's status message is edited at most this often.
    broadcast_status_edit_seconds: float = Field(3.0, gt=0, le=3600)

    rate_global_per_second: float = Field(30.0, gt=0)
    rate_chat_per_second: float = Field(1.0, gt=0)
    rate_chat_burst: int = Field(3, ge=1)
    rate_group_per_minute: int = Field(20, ge=1)

    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("daily_digest_time")
    @classmethod
    def _wall_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("expected a local time such as 08:30, without a zone")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.split(":///", 1)[1]
        if not value.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
            raise ValueError("expected a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("kb_vocabulary_file")
    @classmethod
    def _readable_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"file not found: {value}")
        return value

    @field_validator("telegram_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("does not look like a bot token (digits:letters from @BotFather)")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("expected DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    def masked(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                raw = value.get_secret_value()
                value = (raw[:4] + "…" + "*" * 6) if raw else ""
            elif name == "database_url":
                value = re.sub(r"//([^:/@]+):([^@]+)@", r"//\1:******@", value)
            out[name] = "" if value is None else str(value)
        return out


def load_settings(file: str | Path | None = None, **overrides: Any) -> Settings:
    """Environment wins over the file; ``overrides`` (tests, CLI flags) win over both."""
    file = file or os.environ.get(ENV_PREFIX + "SETTINGS_FILE")
    from_file: dict[str, Any] = {}
    if file:
        path = Path(file)
        try:
            from_file = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"settings file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"settings file {path} is not valid TOML: {exc}") from None
    unknown_env = sorted(
        name
        for name in os.environ
        if name.startswith(ENV_PREFIX)
        and name[len(ENV_PREFIX) :].lower() not in Settings.model_fields
        and name[len(ENV_PREFIX) :] not in _NON_SETTINGS
    )
    if unknown_env:
        raise ConfigError(f"unknown setting in the environment: {unknown_env[0]}")
    env_names = {
        name for name in Settings.model_fields if (ENV_PREFIX + name.upper()) in os.environ
    }
    merged = {k: v for k, v in from_file.items() if k not in env_names} | overrides
    try:
        settings = Settings(**merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"unknown setting: {where}") from None
        raise ConfigError(f"{ENV_PREFIX}{where.upper()}: {first['msg']}") from None
    if bool(settings.llm_base_url) != bool(settings.llm_model):
        raise ConfigError(
            f"{ENV_PREFIX}LLM_BASE_URL and {ENV_PREFIX}LLM_MODEL must be set together"
        )
    return settings
