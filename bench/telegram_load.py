"""The load side of the Telegram benchmark: the emulator that counts replies, the closed-loop
driver, the workloads, and the bare echo bots of (a).

Kept apart from ``telegram_bench.py`` and free of committee-bot imports: an echo bot is
measured in a process that holds only the emulator and its library, as a bare bot would.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.botapi_emulator import BotApiEmulator, Call

REPLY_METHODS = frozenset({"sendmessage", "editmessagetext", "senddocument"})
LIBRARIES = ("ptb", "aiogram")
FIRST_USER = 6_000_000_001


class BenchEmulator(BotApiEmulator):
    """Counts each chat's replies and wakes whoever waits for the n-th one."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[int, int] = defaultdict(int)
        self.reply_times: list[float] = []
        self._waiters: dict[int, tuple[int, asyncio.Future[float]]] = {}

    async def _record(self, call: Call) -> None:
        # No condition broadcast: nothing here waits through wait_for, and it would cost
        # every request a wake-up of every waiter.
        self.calls.append(call)
        if call.status != 200 or call.method not in REPLY_METHODS:
            return
        now = time.perf_counter()
        self.reply_times.append(now)
        chat = int(call.params["chat_id"])
        count = self.replies[chat] = self.replies[chat] + 1
        waiter = self._waiters.get(chat)
        if waiter is not None and count >= waiter[0] and not waiter[1].done():
            waiter[1].set_result(now)

    def expect(self, chat_id: int, more: int) -> asyncio.Future[float]:
        """A future for the time of this chat's ``more``-th reply from now."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters[chat_id] = (self.replies[chat_id] + more, future)
        return future


# A step injects one update for a user and says how many replies complete it.
Step = Callable[[BenchEmulator, int, int], int]


@dataclass
class Result:
    library: str
    bot: str
    updates: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def drive(
    emu: BenchEmulator, *, users: int, total: int, steps: list[Step], timeout: float = 30
) -> tuple[float, list[float]]:
    """Closed loop: each user sends its next update once the previous one was answered."""
    latencies: list[float] = []

    async def user(n: int) -> None:
        uid = FIRST_USER + n
        for i in range(total // users + (n < total % users)):
            step = steps[i % len(steps)]
            started = time.perf_counter()
            # No await between queueing the update and setting the waiter: no reply is missed.
            done = emu.expect(uid, step(emu, uid, i))
            latencies.append(await asyncio.wait_for(done, timeout) - started)

    began = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    return time.perf_counter() - began, latencies


# -- the workloads ------------------------------------------------------------------------
def echo_step(emu: BenchEmulator, uid: int, i: int) -> int:
    emu.send_text(uid, f"第 {i} 条消息")
    return 1


def inbox_steps(counts: list[int]) -> list[Step]:
    """The 留言秘书处 round; ``counts`` are the replies each step gets (see calibrate)."""

    def start(emu: BenchEmulator, uid: int, i: int) -> int:
        emu.send_text(uid, "/contact")
        return counts[0]

    def topic(emu: BenchEmulator, uid: int, i: int) -> int:
        question = emu.last(uid)
        emu.press(uid, question, question.callback_data("履职咨询"))
        return counts[1]

    def body(emu: BenchEmulator, uid: int, i: int) -> int:
        emu.send_text(uid, f"请问第 {i} 号议题怎么报送？")
        return counts[2]

    def confirm(emu: BenchEmulator, uid: int, i: int) -> int:
        prompt = emu.last(uid)
        emu.press(uid, prompt, prompt.callback_data("发送"))
        return counts[3]

    return [start, topic, body, confirm]


def note_steps() -> list[Step]:
    """(b) as the issue states it: each update is one flow step with its database write and
    one reply, like the echo bot's one reply: /note starts the flow (a conversation row),
    three text answers are stored step by step, the last one finishes it."""

    def start(emu: BenchEmulator, uid: int, i: int) -> int:
        emu.send_text(uid, "/note")
        return 1

    def answer(emu: BenchEmulator, uid: int, i: int) -> int:
        emu.send_text(uid, f"第 {i} 段内容")
        return 1

    return [start, answer, answer, answer]


# -- (a) echo bots, each library's own way -------------------------------------------------
async def ptb_echo(emu: BenchEmulator, stack: AsyncExitStack, concurrency: int) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    application = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(f"{emu.api_url}/bot")
        .base_file_url(f"{emu.api_url}/file/bot")
        .concurrent_updates(concurrency)
        .connection_pool_size(concurrency + 8)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(timeout=1)

    async def stop() -> None:
        assert application.updater is not None
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    stack.push_async_callback(stop)


async def aiogram_echo(emu: BenchEmulator, stack: AsyncExitStack, concurrency: int) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    session = AiohttpSession(limit=concurrency + 8)
    session.api = TelegramAPIServer.from_base(emu.api_url)
    bot = Bot(emu.token, session=session)
    dispatcher = Dispatcher()
    dispatcher.message.register(echo)
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot,
            handle_signals=False,
            close_bot_session=False,
            polling_timeout=1,
            tasks_concurrency_limit=concurrency,
        )
    )

    async def stop() -> None:
        await dispatcher.stop_polling()
        await polling
        await bot.session.close()

    stack.push_async_callback(stop)


ECHO_BOTS: dict[str, Callable[[BenchEmulator, AsyncExitStack, int], Awaitable[None]]] = {
    "ptb": ptb_echo,
    "aiogram": aiogram_echo,
}


async def bench_echo(library: str, *, users: int, total: int) -> Result:
    async with AsyncExitStack() as stack:
        emu = await stack.enter_async_context(BenchEmulator())
        await ECHO_BOTS[library](emu, stack, 64)
        await drive(emu, users=users, total=users * 4, steps=[echo_step])  # warm-up
        seconds, latencies = await drive(emu, users=users, total=total, steps=[echo_step])
    return Result(library, "echo", len(latencies), seconds, latencies)


@dataclass
class OutboxResult:
    messages: int
    seconds: float
    limit: float

    @property
    def per_second(self) -> float:
        return (self.messages - 1) / self.seconds

    @property
    def share(self) -> float:
        return self.per_second / self.limit * 100
