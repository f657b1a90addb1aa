"""Throughput and latency of the two Telegram channels, and the outbox's sending rate.

Run: python bench/telegram_bench.py [--quick] [--users 64] [--channels ptb,aiogram]

For each channel (python-telegram-bot, aiogram), 5,000 updates go through long polling
against the Bot API emulator (tests/support/botapi_emulator.py, same process):

(a) a bare echo bot written the library's own way (a text handler answering with the text;
    updates handled concurrently, as our channels do);
(b) committee-bot (TelegramService: the channel, App.handle with its SQLite database in WAL
    mode, LimitedSender): members each go through the 留言秘书处 flow over and over
    (/contact, topic button, the message text, the send button), four updates per round, each
    a flow step that writes the conversation row (the last one the inbox message).

``--users`` members talk at once, each sending its next update when the bot has answered the
previous one (closed loop). Latency is from the update being queued at the emulator to the
emulator recording the bot's last message for it (a button press gets an edit and a new
prompt: the second one counts). Telegram's sending limits are lifted for (a) and (b): they
measure the pipeline, not the 30 msg/s cap, which the outbox part measures instead: 3,000
messages to 3,000 chats through the OutboxWorker at the default limits.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import App, build_app, root_router
from bot.channels.telegram import TelegramConfig
from bot.context import Context
from bot.flows import Flow
from bot.flows import Step as FlowStep
from bot.router import Router
from bot.serve import TelegramService, make_channel
from bot.settings import Settings
from bot.text import Text
from bot.types import Reply
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import Conversation, Member
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


def note_router() -> Router:
    """A three-step text flow for the benchmark, run by the real engine and storage."""
    router = Router("bench")

    async def done(ctx: Context, conversation: Conversation) -> Reply:
        return Reply(text=Text.plain(f"已保存 {len(conversation.data)} 段"))

    flow = router.flow(
        Flow(
            name="note",
            title="inbox.title",
            steps=(
                FlowStep("a", "inbox.body_prompt"),
                FlowStep("b", "inbox.body_prompt"),
                FlowStep("c", "inbox.body_prompt"),
            ),
            done=done,
        )
    )

    @router.command("note")
    async def note(ctx: Context) -> list[Reply]:
        return await ctx.begin(flow)

    return router


async def calibrate(emu: BenchEmulator, uid: int) -> list[int]:
    """One round by one member, waiting for quiet after each step: how many replies each
    step gets (and a warm-up of connections and caches)."""
    counts: list[int] = []
    for step in inbox_steps([0, 0, 0, 0]):
        before = emu.replies[uid]
        step(emu, uid, 0)
        await asyncio.sleep(0.05)
        for _ in range(100):
            seen = emu.replies[uid]
            await asyncio.sleep(0.05)
            if emu.replies[uid] == seen and seen > before:
                break
        counts.append(emu.replies[uid] - before)
    if any(c < 1 for c in counts):
        raise SystemExit(f"the inbox flow did not answer every step: {counts}")
    return counts


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


# -- (b) committee-bot ----------------------------------------------------------------------
def bench_settings(database_url: str, **limits: Any) -> Settings:
    return Settings(database_url=database_url, secret_key="bench-signing-key", **limits)  # type: ignore[arg-type]


def channel_config(emu: BenchEmulator) -> TelegramConfig:
    return TelegramConfig(
        token=emu.token, api_url=emu.api_url, max_upload_bytes=1024 * 1024, poll_timeout=1
    )


async def add_members(app: App, user_ids: list[int]) -> None:
    async with app.db.session() as session:
        roster = Roster(session)
        for n, uid in enumerate(user_ids):
            member = await roster.add(
                Member(name=f"委员{n}", phone=f"139{n:08d}", roles="member", sector="经济界")
            )
            await roster.bind(member, platform="telegram", user_id=uid, chat_id=uid, via="bench")


async def bench_committee(
    library: str, *, users: int, total: int, database_url: str, workload: str
) -> Result:
    unlimited = {
        "rate_global_per_second": 1e6,
        "rate_chat_per_second": 1e6,
        "rate_chat_burst": 1000,
    }
    async with AsyncExitStack() as stack:
        emu = await stack.enter_async_context(BenchEmulator())
        router = root_router().include(note_router())
        app = await build_app(settings=bench_settings(database_url, **unlimited), router=router)
        stack.push_async_callback(app.db.dispose)
        warm_up = FIRST_USER + users
        await add_members(app, [FIRST_USER + n for n in range(users)] + [warm_up])
        service = TelegramService(app=app, channel=make_channel(library, channel_config(emu)))
        await service.start()
        stack.push_async_callback(service.stop)
        if workload == "flow step":
            steps = note_steps()
        else:
            steps = inbox_steps(await calibrate(emu, warm_up))
        seconds, latencies = await drive(emu, users=users, total=total, steps=steps)
    return Result(library, f"committee-bot {workload}", len(latencies), seconds, latencies)


# -- outbox -------------------------------------------------------------------------------
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


async def bench_outbox(library: str, *, messages: int, database_url: str) -> OutboxResult:
    settings = bench_settings(database_url)
    async with AsyncExitStack() as stack:
        emu = await stack.enter_async_context(BenchEmulator())
        app = await build_app(settings=settings)
        stack.push_async_callback(app.db.dispose)
        async with app.db.session() as session:
            outbox = Outbox(session)
            for n in range(messages):
                await outbox.enqueue(
                    platform="telegram",
                    chat_id=FIRST_USER + n,
                    payload=Reply(text=app.services.catalogue.t("inbox.title")).to_json(),
                    dedupe_key=f"bench:{n}",
                )
        service = TelegramService(app=app, channel=make_channel(library, channel_config(emu)))
        await service.start()
        stack.push_async_callback(service.stop)
        deadline = time.monotonic() + messages / settings.rate_global_per_second * 2 + 30
        while len(emu.reply_times) < messages and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        times = emu.reply_times
        if len(times) < messages:
            raise SystemExit(f"outbox sent {len(times)} of {messages} in time")
    return OutboxResult(messages, times[messages - 1] - times[0], settings.rate_global_per_second)


# -- report -------------------------------------------------------------------------------
def table(results: list[Result], outbox: OutboxResult) -> str:
    echo = {r.library: r for r in results if r.bot == "echo"}
    lines = [
        "| channel | bot | updates | updates/s | p50 ms | p99 ms | vs echo |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        share = r.per_second / echo[r.library].per_second * 100 if r.library in echo else 100
        lines.append(
            f"| {r.library} | {r.bot} | {r.updates} | {r.per_second:.0f} | "
            f"{r.percentile(50):.1f} | {r.percentile(99):.1f} | {share:.0f}% |"
        )
    lines.append("")
    lines.append(
        f"outbox: {outbox.messages} messages at a {outbox.limit:.0f} msg/s limit: "
        f"{outbox.per_second:.2f} msg/s ({outbox.share:.1f}% of the limit)"
    )
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the counts")
    parser.add_argument("--users", type=int, default=64, help="members talking at once")
    parser.add_argument("--channels", default=",".join(LIBRARIES), help="ptb,aiogram")
    args = parser.parse_args()
    updates, messages = (500, 300) if args.quick else (5000, 3000)
    logging.basicConfig(level=logging.WARNING)
    libraries = [name for name in args.channels.split(",") if name]
    with tempfile.TemporaryDirectory() as tmp:

        def database(name: str) -> str:
            return f"sqlite+aiosqlite:///{tmp}/{name}.db"

        results: list[Result] = []
        for library in libraries:
            for run in (
                bench_echo(library, users=args.users, total=updates),
                bench_committee(
                    library,
                    users=args.users,
                    total=updates,
                    database_url=database(f"{library}-step"),
                    workload="flow step",
                ),
                bench_committee(
                    library,
                    users=args.users,
                    total=updates,
                    database_url=database(f"{library}-inbox"),
                    workload="inbox round",
                ),
            ):
                result = await run
                results.append(result)
                print(
                    f"{result.library:8} {result.bot:28} {result.per_second:7.0f} updates/s  "
                    f"p50 {result.percentile(50):6.1f} ms  p99 {result.percentile(99):6.1f} ms",
                    flush=True,
                )
        outbox = await bench_outbox(libraries[0], messages=messages, database_url=database("out"))
    print()
    print(table(results, outbox))
    print(f"\n{args.users} members at once; emulator and bot share one process and event loop")


if __name__ == "__main__":
    asyncio.run(main())
