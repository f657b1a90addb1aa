"""Issue 11: the bot token (and every other secret) never reaches a log line, with DEBUG
logging on, over both Telegram libraries against the Bot API emulator."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.app import App
from tests.channels.test_telegram_e2e import USER, emu, said, start_service, verified
from tests.support.botapi_emulator import BotApiEmulator

__all__ = ["emu"]  # the emulator fixture, shared with the end-to-end tests


@pytest.fixture
def db_kind() -> str:
    return "sqlite"


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def debug_stream() -> Iterator[io.StringIO]:
    """Everything logged at DEBUG, formatted with tracebacks, as a deployment would write it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield out
    root.removeHandler(handler)
    root.setLevel(old)


async def test_token_never_in_debug_logs(
    app: App,
    emu: BotApiEmulator,
    library: str,
    debug_stream: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await verified(app)
    service = await start_service(app, emu, library, webhook=False)
    try:
        emu.send_text(USER, "/contact")
        await said(emu, USER, "第 1/3 步")
        question = emu.last(USER)
        emu.press(USER, question, question.callback_data("履职咨询"))
        await emu.wait_for(lambda: bool(question.history))
        emu.fail("500", method="sendMessage", chat_id=USER)  # an error path logs too
        emu.send_text(USER, "/help")
        await said(emu, USER, "/menu", timeout=15)
        # A library logging the URL in an exception after we started.
        try:
            raise ConnectionError(f"cannot reach {emu.api_url}/bot{emu.token}/getUpdates")
        except ConnectionError:
            logging.getLogger("some.transport").exception("request failed")
    finally:
        await service.stop()
    secret_part = emu.token.split(":", 1)[1]
    logged = debug_stream.getvalue() + caplog.text
    logged += "".join(r.getMessage() for r in caplog.records)
    assert "getUpdates" in logged  # the requests were logged, just not the token
    assert emu.token not in logged and secret_part not in logged
