"""Secrets never reach a log line, whoever logs it.

httpx logs every request URL at INFO, and a Bot API URL holds the token
(``…/bot123456:AA…/getUpdates``); a traceback can quote a database URL with its password.
Redaction therefore happens in logging itself rather than at each call site: a record
factory makes every record the process creates, for any logger and level, including
loggers a library configures later, give back its message, its traceback text
(``exc_text``) and its stack text already redacted, so every handler and formatter
(ours, pytest's caplog, a library's own) writes the clean text. A filter on the root
handlers covers records built without the factory (``logging.makeLogRecord``).

What is masked: every secret registered here (the Telegram token, the webhook secret, the
signing key from the settings or the database, the LLM key, the database password), their
URL-encoded forms, anything shaped like a bot token (``digits:30+ letters``), and the
password of any ``scheme://user:password@host`` URL.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = [
    "MASK",
    "RedactionFilter",
    "install",
    "print_exception",
    "redact",
    "register_secrets",
    "register_settings",
]

MASK = "***"
# Shorter values are too likely to be ordinary words; in URLs the patterns below catch them.
_MIN_SECRET_CHARS = 6
_TOKEN_SHAPED = re.compile(r"(\d{6,})(?::|%3A)[A-Za-z0-9_-]{30,}", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):[^@\s/]+@")


class _Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._literal: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, values: Iterable[str | None]) -> None:
        fresh = {
            form
            for value in values
            if value and len(value) >= _MIN_SECRET_CHARS
            for form in (value, quote(value, safe=""))
        } - self._secrets
        if not fresh:
            return
        with self._lock:
            self._secrets |= fresh
            # Longest first, so a secret containing another is masked whole.
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._literal = re.compile("|".join(re.escape(s) for s in ordered))

    def __call__(self, text: str) -> str:
        literal = self._literal
        if literal is not None:
            text = literal.sub(MASK, text)
        text = _TOKEN_SHAPED.sub(r"\1:" + MASK, text)
        return _URL_PASSWORD.sub(r"\1:" + MASK + "@", text)


_redact = _Redactor()


def redact(text: str) -> str:
    """``text`` with every known secret and secret-shaped string masked."""
    return _redact(text) if text else text


def register_secrets(*values: str | None) -> None:
    """Mask these values from now on (and make sure logging is redacted)."""
    _redact.add(values)
    install()


def register_settings(settings: Settings) -> None:
    """Every secret the settings hold, including the password inside the database URL."""
    values: list[str | None] = [
        secret.get_secret_value() if secret is not None else None
        for secret in (
            settings.telegram_token,
            settings.webhook_secret,
            settings.secret_key,
            settings.llm_api_key,
            settings.wecom_secret,
            settings.wecom_app_secret,
        )
    ]
    # An unparsable URL: the URL pattern still masks its password.
    with contextlib.suppress(ValueError):
        values.append(urlsplit(settings.database_url).password)
    register_secrets(*values)


class _RedactedRecord(logging.LogRecord):
    """A record whose message, traceback and stack text come out redacted."""

    def getMessage(self) -> str:
        return redact(super().getMessage())

    @property
    def exc_text(self) -> str | None:
        return self.__dict__.get("_exc_text")

    @exc_text.setter
    def exc_text(self, value: str | None) -> None:
        self.__dict__["_exc_text"] = redact(value) if value else value

    @property
    def stack_info(self) -> str | None:
        return self.__dict__.get("_stack_info")

    @stack_info.setter
    def stack_info(self, value: str | None) -> None:
        self.__dict__["_stack_info"] = redact(value) if value else value


def _redact_in_place(record: logging.LogRecord) -> None:
    """For records not made by our factory: freeze the message and traceback redacted."""
    if isinstance(record, _RedactedRecord) or getattr(record, "_redacted", False):
        return
    record.msg = redact(record.getMessage())
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._redacted = True


class RedactionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        _redact_in_place(record)
        return True


_FILTER = RedactionFilter()
_installed = False


def install() -> None:
    """Idempotent: the record factory, and the filter on the root logger's handlers."""
    global _installed
    if not _installed:
        previous = logging.getLogRecordFactory()
        if previous is logging.LogRecord:
            logging.setLogRecordFactory(_RedactedRecord)
        else:  # someone else's factory: keep it, and redact what it makes

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                _redact_in_place(record)
                return record

            logging.setLogRecordFactory(factory)
        _installed = True
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def print_exception(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> None:
    """A traceback on stderr, redacted (installed as ``sys.excepthook`` by the CLI)."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    sys.stderr.write(redact(text))
