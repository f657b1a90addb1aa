"""Sending pace over real HTTP on both Telegram channels: a member's reply does not wait
behind a broadcast, a 429 to one chat pauses that chat, and a bot-wide 429 pauses the bot."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.delivery import Limits, RateLimiter
from bot.serve import TelegramService, make_channel
from bot.text import Text
from bot.types import Reply
from storage.outbox import Outbox
from tests.channels.test_telegram_e2e import USER, config_for, verified
from tests.support.botapi_emulator import BotApiEmulator, Call

BASE = 810_000_000


@pytest.fixture
def db_kind() -> str:
    """SQLite only: the channels and the limiter are what is tested here."""
    return "sqlite"


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def broadcast(app: App, count: int) -> list[int]:
    """One notice row per chat, as a broadcast queues them."""
    chats = [BASE + i for i in range(count)]
    async with app.db.session() as session:
        for chat in chats:
            await Outbox(session).enqueue(
                platform="telegram",
                chat_id=str(chat),
                payload=Reply(text=Text.plain(f"会议通知 {chat}")).to_json(),
                dedupe_key=f"pace:{chat}",
                kind="notice",
                ref="pace",
            )
    return chats


def notices(emu: BotApiEmulator, *, ok: bool = True) -> list[Call]:
    return [
        c
        for c in emu.method_calls("sendMessage")
        if int(c.params["chat_id"]) >= BASE and (c.status == 200 or not ok)
    ]


async def served(
    app: App, emu: BotApiEmulator, library: str, *, per_second: float = 30
) -> TelegramService:
    limiter = RateLimiter(Limits(global_per_second=per_second))
    service = TelegramService(
        app=app, channel=make_channel(library, config_for(emu)), limiter=limiter
    )
    await service.start()
    return service


async def test_a_reply_is_not_queued_behind_the_broadcast(app, emu, library) -> None:
    await verified(app)
    await broadcast(app, 240)  # 8 s of sending at 30 msg/s
    service = await served(app, emu, library)
    try:
        await emu.wait_for(lambda: len(notices(emu)) >= 15, timeout=15)
        emu.send_text(USER, "/help")
        asked = len(notices(emu))
        await emu.wait_for(lambda: bool(emu.texts(USER)), timeout=15)
        # Before, the outbox had booked a slot for each of its 100 claimed rows and the
        # reply came after all of them (3 s at the limit); now it takes the next free slot.
        assert len(notices(emu)) - asked < 20
        await emu.wait_for(lambda: len(notices(emu)) == 240, timeout=30)
    finally:
        await service.stop()


async def test_a_429_to_some_chats_pauses_only_those_chats(app, emu, library) -> None:
    # 300 notices at 100 msg/s; four chats told to wait 4 s once the first rows went.
    # Before, the second of them paused the whole bot: once the rows already booked (the
    # 100 claimed, 1 s) were out, nothing went until the pause ended.
    chats = await broadcast(app, 300)
    told = chats[60:90:9]
    for chat in told:
        emu.fail("429", method="sendMessage", chat_id=chat, retry_after=4)
    service = await served(app, emu, library, per_second=100)
    try:
        await emu.wait_for(lambda: len(notices(emu)) == 300, timeout=40)
    finally:
        await service.stop()
    sends = [c for c in notices(emu) if int(c.params["chat_id"]) not in told]
    times = sorted(c.at for c in sends)
    assert max(b - a for a, b in itertools.pairwise(times)) < 1.5  # the others kept going
    told_again = [c.at for c in notices(emu) if int(c.params["chat_id"]) in told]
    first_429 = min(c.at for c in notices(emu, ok=False) if c.status == 429)
    assert min(told_again) >= first_429 + 3.5  # each chat told to wait did wait
    assert emu.flood_violations == 0


async def test_a_bot_wide_429_pauses_all_sending(app, emu, library) -> None:
    await broadcast(app, 90)
    service = await served(app, emu, library)
    try:
        await emu.wait_for(lambda: len(notices(emu)) >= 20, timeout=15)
        emu.flood(3)  # every send answered 429 for 3 s, whatever the chat
        flood_from = time.monotonic()
        await emu.wait_for(lambda: len(notices(emu)) == 90, timeout=40)
    finally:
        await service.stop()
    during = [c for c in notices(emu, ok=False) if flood_from < c.at < flood_from + 2.5]
    # A few requests, to different chats, show the pattern (RateLimiter.BOT_WIDE_CHATS);
    # with those in flight at that moment, then nothing until the pause ends.
    assert RateLimiter.BOT_WIDE_CHATS <= len(during) <= RateLimiter.BOT_WIDE_CHATS + 6
    assert all(c.status == 429 for c in during)
