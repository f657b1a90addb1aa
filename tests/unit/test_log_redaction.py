"""Issue 11: no secret reaches a log line, at any level, from any logger, in any traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.log_redaction import (
    RedactionFilter,
    install,
    print_exception,
    redact,
    register_secrets,
    register_settings,
)
from bot.settings import Settings

TOKEN = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
PASSWORD = "s3cr3t-Pa55word"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """A handler of our own on the root logger, formatted like the CLI's."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    install()
    yield out
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_token_in_a_request_url_is_masked_at_every_level(stream: io.StringIO) -> None:
    log = logging.getLogger("httpx")
    url = f"https://api.telegram.org/bot{TOKEN}/getUpdates"
    for level in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR):
        log.log(level, 'HTTP Request: POST %s "HTTP/1.1 200 OK"', url)
    text = stream.getvalue()
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
    assert text.count("/bot987654321:***/getUpdates") == 4


def test_registered_secrets_and_their_url_forms_are_masked(stream: io.StringIO) -> None:
    register_secrets("webhook-secret-0123", "sk-llm-key-abcdef")
    log = logging.getLogger("some.library")
    log.info("secret=%s key=%s", "webhook-secret-0123", "sk-llm-key-abcdef")
    log.info("quoted: %s", "bot987654321%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1")
    text = stream.getvalue()
    assert "webhook-secret-0123" not in text and "sk-llm-key-abcdef" not in text
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1" not in text


def test_a_traceback_holding_a_secret_is_redacted(stream: io.StringIO) -> None:
    register_secrets("signing-key-XYZ-123456")
    try:
        raise RuntimeError(f"cannot connect to postgresql://bot:{PASSWORD}@db/x with {TOKEN}")
    except RuntimeError:
        logging.getLogger("bot.app").exception("update failed (key signing-key-XYZ-123456)")
    text = stream.getvalue()
    assert "Traceback" in text and "RuntimeError" in text
    assert PASSWORD not in text and TOKEN not in text and "signing-key-XYZ-123456" not in text
    assert "postgresql://bot:***@db/x" in text


def test_database_password_in_any_url_is_masked() -> None:
    assert redact(f"postgresql+asyncpg://bot:{PASSWORD}@db.internal:5432/c") == (
        "postgresql+asyncpg://bot:***@db.internal:5432/c"
    )
    register_settings(
        Settings(database_url=f"postgresql://bot:{PASSWORD}@db/c")  # type: ignore[arg-type]
    )
    assert PASSWORD not in redact(f"password authentication failed: {PASSWORD}")


def test_a_logger_configured_later_by_a_library_is_redacted_too() -> None:
    """A library adds its own handler and stops propagation after we set logging up."""
    install()
    out = io.StringIO()
    lib = logging.getLogger("newlib.transport")
    handler = logging.StreamHandler(out)
    lib.addHandler(handler)
    lib.propagate = False
    lib.setLevel(logging.DEBUG)
    try:
        lib.debug("GET /bot%s/getMe", TOKEN, stack_info=True)
        record = logging.makeLogRecord({"msg": f"replayed {TOKEN}", "levelno": 20})
        handler.addFilter(RedactionFilter())  # what install() puts on the root handlers
        handler.handle(record)
    finally:
        lib.removeHandler(handler)
        lib.propagate = True
    assert TOKEN not in out.getvalue() and "getMe" in out.getvalue()


def test_cli_traceback_printer_redacts(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        raise ValueError(f"postgresql://u:{PASSWORD}@h/db {TOKEN}")
    except ValueError as exc:
        print_exception(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err
    assert "ValueError" in err and PASSWORD not in err and TOKEN not in err


def test_wecom_secrets_in_the_settings_are_masked() -> None:
    bot_secret, app_secret = "wecomBotSecret0123456789abcdef", "wecomAppSecretZYXW98765432"
    register_settings(
        Settings(wecom_secret=bot_secret, wecom_app_secret=app_secret)  # type: ignore[arg-type]
    )
    line = redact(f"subscribe failed with {bot_secret}; gettoken?corpsecret={app_secret}")
    assert bot_secret not in line and app_secret not in line
