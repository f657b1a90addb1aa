"""An outbox row that edits a known message (the clerk's broadcast status) over real HTTP
on both Telegram libraries: the message is edited in place; one that can no longer be
edited is replaced by a new message, whose id the next edit then follows."""

from __future__ import annotations

from bot.serve import TelegramService
from bot.text import Text
from bot.types import Reply
from tests.channels.test_telegram_e2e import (  # noqa: F401  (fixtures)
    db_kind,
    emu,
    library,
    service,
)
from tests.support.botapi_emulator import BotApiEmulator

CLERK = 4_000_000_077


async def test_edit_of_a_known_message_in_place_and_fallback(
    emu: BotApiEmulator,  # noqa: F811
    service: TelegramService,  # noqa: F811
) -> None:
    channel = service.channel
    first = await channel.send(str(CLERK), Reply(text=Text.plain("已发送 0 / 3")))
    assert first.message_id is not None
    edited = await channel.send(
        CLERK, Reply(text=Text.plain("已发送 2 / 3"), edit_message_id=first.message_id)
    )
    assert edited.message_id == first.message_id
    [message] = emu.messages(CLERK)
    assert message.text == "已发送 2 / 3" and message.history == ["已发送 0 / 3"]
    same = await channel.send(  # unchanged text: Telegram says "not modified", not an error
        CLERK, Reply(text=Text.plain("已发送 2 / 3"), edit_message_id=first.message_id)
    )
    assert same.message_id == first.message_id and len(emu.messages(CLERK)) == 1

    emu.forget_message(CLERK, first.message_id)  # deleted by the clerk, say
    fallback = await channel.send(
        CLERK, Reply(text=Text.plain("发送完毕"), edit_message_id=first.message_id)
    )
    assert fallback.message_id != first.message_id
    assert [m.text for m in emu.messages(CLERK)] == ["已发送 2 / 3", "发送完毕"]
