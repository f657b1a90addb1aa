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

__all__ = ["DEFAULT_DATA_DIR", "ENV_PREFIX", "Settings", "default_database_url", "load_settings"]

ENV_PREFIX = "COMMITTEE_BOT_"
TOKEN_RE = re.compile(r"^\d{3,12}:[A-Za-z0-9_-]{30,64}$")
# Environment names with our prefix that are not settings but test or tooling switches.
_NON_SETTINGS = {"SETTINGS_FILE", "TEST_POSTGRES_URL", "REQUIRE_POSTGRES", "REQUIRE_BROWSER"}
_PROJECT = Path(__file__).resolve().parent.parent
# The embedded database's folder: the checkout's var/ (./run installs the project in place),
# else the user's data directory. Never the working directory: `./run` started from another
# folder must find the same members. Tests point it at a scratch folder.
DEFAULT_DATA_DIR = (
    _PROJECT / "var"
    if (_PROJECT / "pyproject.toml").is_file()
    else Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "committee-bot"
)


def default_database_url() -> str:
    """The SQLite file used when COMMITTEE_BOT_DATABASE_URL is not set (an absolute path)."""
    return f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'committee-bot.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    committee_name: str = Field("示例市政协", description="shown in greetings and documents")
    # The session line under the committee's name on a proposal, e.g. 第十四届委员会第三次会议;
    # the default leaves the numbers blank to be written in by hand, as on the paper form.
    session_line: str = Field(
        "第　　届委员会第　　次会议", max_length=64, description="session line on proposal DOCX"
    )
    database_url: str = Field(default_factory=default_database_url)
    timezone: str = "Asia/Shanghai"
    secret_key: SecretStr | None = Field(
        None, description="signs button payloads; generated and kept in the database if unset"
    )

    telegram_token: SecretStr | None = None
    telegram_api_url: str | None = None
    webhook_secret: SecretStr | None = None

    # WeCom's AI bot (智能机器人) over its long connection (bot/channels/wecom.py).
    wecom_bot_id: str | None = Field(None, description="the AI bot's BotID (WeCom admin console)")
    wecom_secret: SecretStr | None = Field(None, description="the AI bot's long-connection Secret")
    wecom_ws_url: str = Field(
        "wss://openws.work.weixin.qq.com", description="WeCom's long-connection endpoint"
    )
    # Proactive pushes (notices, reminders): conservative defaults below WeCom's limits.
    wecom_rate_global_per_second: float = Field(
        20.0, gt=0, description="pushes per second over all WeCom chats"
    )
    wecom_rate_chat_per_minute: float = Field(
        20.0, gt=0, description="pushes per minute to one WeCom chat"
    )
    wecom_retry_seconds: float = Field(
        30.0, gt=0, le=3600, description="pause after WeCom answers busy or rate-limited"
    )
    # Files (the AI bot cannot send any): a self-built WeCom application sends them.
    wecom_corp_id: str | None = Field(None, description="the committee's WeCom CorpID")
    wecom_agent_id: int | None = Field(None, description="the file-sending application's AgentId")
    wecom_app_secret: SecretStr | None = Field(None, description="that application's Secret")
    wecom_api_url: str = Field(
        "https://qyapi.weixin.qq.com", description="WeCom's server API (tests: an emulator)"
    )

    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = 30.0
    kb_vocabulary_file: Path | None = Field(
        None, description="extra committee terms for the rulebook search, one a line"
    )
    kb_max_file_mb: int = Field(50, ge=1, description="largest rulebook file kb ingest reads")
    kb_verdict: bool = Field(
        True,
        description="rulebook answers use what was learned from members' questions: the word"
        " translation table (config/kb_translation.json) and the second opinion"
        " (config/kb_verdict.json)",
    )
    points_file: Path | None = Field(
        None, description="the committee's duty points rules (default config/points.toml)"
    )

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

    # The secretariat's web console (bot/web/): `committee-bot run` serves it too when set.
    web_listen: str | None = Field(None, description="host:port of the web console")
    public_url: str | None = Field(
        None, description="base URL members and staff reach the bot's links at"
    )
    metrics_allow: str = Field(
        "127.0.0.1,::1", description="addresses or networks allowed to read /metrics"
    )

    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(_text("config.unknown_zone", value=value)) from None
        return value

    @field_validator("metrics_allow")
    @classmethod
    def _networks(cls, value: str) -> str:
        import ipaddress

        for part in value.split(","):
            if part.strip():
                try:
                    ipaddress.ip_network(part.strip(), strict=False)
                except ValueError:
                    raise ValueError(f"not an address or network: {part.strip()!r}") from None
        return value

    @field_validator("web_listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\[?[\w.:-]*\]?:\d{1,5}", value):
            raise ValueError("expected host:port, such as 127.0.0.1:8080")
        return value

    @field_validator("daily_digest_time")
    @classmethod
    def _wall_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError(_text("config.zone_in_wall_time"))
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.split(":///", 1)[1]
        if not value.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
            raise ValueError(_text("config.bad_database_url"))
        return value

    @field_validator("kb_vocabulary_file")
    @classmethod
    def _readable_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(_text("config.file_not_found", path=value))
        return value

    @field_validator("telegram_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TOKEN_RE.match(value.get_secret_value()):
            raise ValueError(_text("config.bad_token"))
        return value

    @field_validator("wecom_ws_url")
    @classmethod
    def _ws_url(cls, value: str) -> str:
        if not value.startswith(("wss://", "ws://")):
            raise ValueError(_text("wecom.bad_ws_url"))
        return value.rstrip("/")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError(_text("config.bad_log_level"))
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


def _text(key: str, /, **params: Any) -> str:
    from bot.catalogue import catalogue

    return catalogue().s(key, **params)


def _problem(error: Any) -> str:
    """What is wrong with one value, in Chinese: our validators' own sentence, or the
    catalogue's wording for pydantic's kind of error."""
    context = error.get("ctx") or {}
    if error["type"] == "value_error" and "error" in context:
        return str(context["error"])
    key = f"config.problem.{error['type']}"
    from bot.catalogue import catalogue

    if key not in catalogue():
        key = "config.problem.other"
    return _text(key, input=error.get("input", ""), **context)


def load_settings(file: str | Path | None = None, **overrides: Any) -> Settings:
    """Environment wins over the file; ``overrides`` (tests, CLI flags) win over both."""
    file = file or os.environ.get(ENV_PREFIX + "SETTINGS_FILE")
    from_file: dict[str, Any] = {}
    if file:
        path = Path(file)
        try:
            from_file = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("config.settings_file_missing", path=path) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config.settings_file_not_toml", path=path, reason=exc) from None
    unknown_env = sorted(
        name
        for name in os.environ
        if name.startswith(ENV_PREFIX)
        and name[len(ENV_PREFIX) :].lower() not in Settings.model_fields
        and name[len(ENV_PREFIX) :] not in _NON_SETTINGS
    )
    if unknown_env:
        raise ConfigError("config.unknown_env_setting", name=unknown_env[0])
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
            raise ConfigError("config.unknown_setting", name=where) from None
        name = f"{ENV_PREFIX}{where.upper()}"
        raise ConfigError("config.bad_setting", name=name, problem=_problem(first)) from None
    if bool(settings.llm_base_url) != bool(settings.llm_model):
        raise ConfigError(
            "config.llm_pair", base_url=f"{ENV_PREFIX}LLM_BASE_URL", model=f"{ENV_PREFIX}LLM_MODEL"
        )
    return settings
