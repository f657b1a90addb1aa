"""An update neither library can read (a newer API version's shape) is logged once and
skipped, and the bot keeps answering everyone, on both libraries, polling and webhook; and
commands addressed to another bot in a group are left alone (issue 11)."""
# ruff: noqa: F811  (the fixtures imported from test_telegram_e2e are parameters here)

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from tests.channels.test_telegram_e2e import (  # noqa: F401  (fixtures)
    USER,
    db_kind,
    emu,
    library,
    said,
    service,
    start_service,
    verified,
)

OTHER = USER + 1
GROUP = -1_000_000_123
SECRET_PHONE = "13912345678"


def poison_updates() -> list[dict[str, Any]]:
    sender = {"id": USER, "is_bot": False, "first_name": "测试"}
    return [
        # ``chat`` as a string: PTB and aiogram both fail to parse the batch.
        {"message": {"message_id": 1, "date": 1, "chat": "private", "from": sender,
                     "text": f"我的手机 {SECRET_PHONE}"}},
        # A required field missing (no ``chat`` at all).
        {"message": {"message_id": 2, "date": 1, "from": sender, "text": "/help"}},
        # A callback query without its sender.
        {"callback_query": {"id": "cbq-x", "chat_instance": "1", "data": "x"}},
    ]  # fmt: skip


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_poison_update_is_skipped_once_and_the_bot_keeps_serving(
    app, emu, library, mode, caplog
) -> None:
    await verified(app)
    await verified(app, OTHER, "13900000003")
    caplog.set_level(logging.INFO)
    service = await start_service(app, emu, library, webhook=mode == "webhook")
    try:
        emu.send_text(USER, "/help")
        poison = [emu.push_update(update) for update in poison_updates()]
        emu.send_text(OTHER, "/help")
        await said(emu, OTHER, "/menu", timeout=10)
        await emu.wait_idle(timeout=10)  # confirmed past them, or answered 2xx: not again
        started = time.monotonic()
        emu.send_text(OTHER, "/me")  # and the next one is answered at once
        await emu.wait_for_messages(OTHER, 2, timeout=5)
        assert time.monotonic() - started < 3
    finally:
        await service.stop()
    assert len(emu.texts(USER)) == 1
    assert not [e for e in emu.webhook_errors if "500" in e]
    for update_id in poison:
        lines = [r for r in caplog.records if str(update_id) in r.getMessage()]
        assert len(lines) == 1, [r.getMessage() for r in lines]  # one line, not a flood
        assert lines[0].levelno == logging.WARNING and lines[0].exc_info is None
    assert not any(SECRET_PHONE in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_commands_for_another_bot_in_a_group_are_not_ours(app, emu, service) -> None:
    await verified(app)
    emu.send_text(USER, "/help@other_bot", chat_id=GROUP, chat_type="supergroup")
    emu.send_text(USER, "/ask@other_bot 提案办理的期限", chat_id=GROUP, chat_type="supergroup")
    # One chat's updates are handled in order: once this is answered, the two before were
    # handled too, and they were left alone.
    emu.send_text(USER, "/help@Committee_Test_Bot", chat_id=GROUP, chat_type="supergroup")
    await said(emu, GROUP, "/menu")
    emu.send_text(USER, "/help", chat_id=GROUP, chat_type="supergroup")
    await emu.wait_for_messages(GROUP, 2)
    assert len(emu.texts(GROUP)) == 2 and all("/menu" in t for t in emu.texts(GROUP))
