"""A message Telegram accepted is never sent again, even when the library cannot read
Telegram's answer (a 200 with a garbled or unexpected body), on both libraries, for direct
replies and outbox sends; failures before Telegram accepted are still retried (issue 11)."""
# ruff: noqa: F811  (the fixtures imported from test_telegram_e2e are parameters here)

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlmodel import select

from bot.text import Text
from bot.types import Reply
from storage.outbox import Outbox
from storage.tables import OutboxMessage
from tests.channels.test_telegram_e2e import (  # noqa: F401  (fixtures)
    USER,
    db_kind,
    emu,
    library,
    said,
    service,
    verified,
)


def sends_to(emu, chat_id: int) -> int:
    return sum(int(c.params.get("chat_id", 0)) == chat_id for c in emu.method_calls("sendMessage"))


@pytest.mark.parametrize("kind", ["garbled", "malformed"])
async def test_a_reply_accepted_with_an_unreadable_answer_is_not_repeated(
    app, emu, service, kind, caplog
) -> None:
    await verified(app)
    emu.fail(kind, method="sendMessage", chat_id=USER)
    caplog.set_level(logging.WARNING)
    emu.send_text(USER, "/help")
    await said(emu, USER, "/menu")
    await emu.wait_idle()
    await asyncio.sleep(1.5)  # longer than the in-place retries and the outbox's first retry
    assert len(emu.texts(USER)) == 1 and sends_to(emu, USER) == 1
    assert any("could not be read" in r.getMessage() for r in caplog.records)
    emu.send_text(USER, "/help")  # and the chat goes on as usual
    await emu.wait_for_messages(USER, 2)


@pytest.mark.parametrize("kind", ["garbled", "malformed"])
async def test_an_outbox_send_accepted_with_an_unreadable_answer_is_marked_sent(
    app, emu, service, kind
) -> None:
    emu.fail(kind, method="sendMessage", chat_id=USER)
    async with app.db.session() as session:
        row = await Outbox(session).enqueue(
            platform="telegram",
            chat_id=USER,
            payload=Reply(text=Text.plain("会议通知：明天上午九点开会")).to_json(),
        )
        assert row is not None
        row_id = row.id
    service.worker.wake()

    async def state() -> tuple[str, int | None]:
        async with app.db.session() as session:
            stored = (
                await session.exec(select(OutboxMessage).where(OutboxMessage.id == row_id))
            ).one()
            return stored.state, stored.message_id

    for _ in range(100):
        if (await state())[0] == "sent":
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.5)  # a retry, if one were scheduled, would have gone by now
    assert await state() == ("sent", None)
    assert emu.texts(USER) == ["会议通知：明天上午九点开会"] and sends_to(emu, USER) == 1


async def test_a_refused_connection_before_the_answer_is_still_retried(app, emu, service) -> None:
    await verified(app)
    emu.fail("502", method="sendMessage", chat_id=USER)
    emu.fail("drop", method="sendMessage", chat_id=USER)
    emu.send_text(USER, "/help")
    await said(emu, USER, "/menu", timeout=10)
    # The 502 and the final send are recorded; the dropped request never reached a handler.
    assert len(emu.texts(USER)) == 1 and sends_to(emu, USER) == 2
