"""committee-bot's side of the Telegram benchmark (see telegram_bench.py): the benchmark's
flow, the service wired to the emulator, and the outbox run. Imported only in the processes
that run a committee-bot row.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from telegram_load import (
    FIRST_USER,
    BenchEmulator,
    OutboxResult,
    Result,
    drive,
    inbox_steps,
    note_steps,
)

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
from storage.db import Database
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import Conversation, Member
from tests.support.databases import scratch_schema


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
            await roster.bind(
                member, platform="telegram", user_id=str(uid), chat_id=str(uid), via="bench"
            )


@asynccontextmanager
async def scratch_database(url: str) -> AsyncIterator[Database]:
    """The URL's database; on PostgreSQL a schema of its own, migrated, dropped afterwards."""
    if not url.startswith("postgresql"):
        db = Database(url)
        yield db
        await db.dispose()
        return
    async with scratch_schema(url, prefix="bench") as schema:
        db = Database(url, schema=schema)
        try:
            await db.upgrade()
            yield db
        finally:
            await db.dispose()


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
        db = await stack.enter_async_context(scratch_database(database_url))
        settings = bench_settings(database_url, **unlimited)
        app = await build_app(settings=settings, db=db, router=router)
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
                    chat_id=str(FIRST_USER + n),
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
