"""Members chatting while a notice goes out to everyone: are their replies held up?

    python bench/reply_priority_bench.py [--recipients 5000] [--chatters 20] [--rate 30]
                                          [--library ptb|aiogram] [--faults] [--flood S]

The real bot: ``TelegramService`` (the channel, ``App.handle``, the immediate replies and
the outbox worker sharing one rate limiter) against the Bot API emulator, on a SQLite file.
A notice is queued for ``--recipients`` verified members; ``--chatters`` other members
meanwhile each type /menu, /me or /help, or press 我的信息 under their menu, wait for the
answer, read it for 2-6 s and go on, until the notice has reached everyone.

Prints the reply latency (update pushed to the emulator → the bot's answer recorded there)
p50/p95/p99/max, the broadcast's achieved rate, all sends per second against the limit,
and the busiest one-second window (must not exceed the limit).

``--faults`` answers the first send to 10% of the notice's chats with 429 (retry_after 1):
Telegram's per-chat limit; the broadcast should still run close to the limit.
``--flood S`` answers every send with 429 (retry_after S) for S seconds once a third of the
notice is out: the bot-wide limit; prints how many requests the bot made in that window
(a few are needed to recognise it; none should follow) and when sending resumed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from notices_bench import CHAT_BASE, busiest_second, prepare, settings_for  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from telegram_load import REPLY_METHODS, BenchEmulator  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.channels.telegram import TelegramConfig  # noqa: E402
from bot.serve import TelegramService, make_channel  # noqa: E402
from storage.columns import utcnow  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.tables import Identity, Member  # noqa: E402

CHATTER_BASE = 900_000_000


async def add_chatters(db_url: str, first_member_id: int, count: int) -> list[int]:
    """Members added after the notice was queued, so they chat but are not its recipients."""
    if count == 0:
        return []
    db = Database(db_url)
    now = utcnow()
    async with db.session() as s:
        await s.exec(  # type: ignore[call-overload]
            insert(Member),
            params=[
                {
                    "name": f"在线委员{i:02d}",
                    "sector": "经济界",
                    "committee": "",
                    "roles": "member",
                    "status": "active",
                    "is_demo": False,
                    "created_at": now,
                    "updated_at": now,
                    "title": "",
                    "unit": "",
                    "address": "",
                }
                for i in range(count)
            ],
        )
        await s.exec(  # type: ignore[call-overload]
            insert(Identity),
            params=[
                {
                    "member_id": first_member_id + i,
                    "platform": "telegram",
                    "user_id": str(CHATTER_BASE + i),
                    "chat_id": str(CHATTER_BASE + i),
                    "display_name": "",
                    "verified_via": "bench",
                    "verified_at": now,
                }
                for i in range(count)
            ],
        )
    await db.dispose()
    return [CHATTER_BASE + i for i in range(count)]


async def chat(
    emu: BenchEmulator, uid: int, rng: random.Random, stop: asyncio.Event, out: list[float]
) -> None:
    """One member: an action, wait for the answer, read it, the next action."""
    menu = None
    await asyncio.sleep(rng.uniform(0, 3))
    while not stop.is_set():
        done = emu.expect(uid, 1)
        started = time.perf_counter()
        if menu is not None and rng.random() < 0.4:
            emu.press(uid, menu, menu.callback_data("我的信息"))
            command = ""
        else:
            command = rng.choice(["/menu", "/menu", "/me", "/help"])
            emu.send_text(uid, command)
        out.append(await asyncio.wait_for(done, 60) - started)
        if command == "/menu":
            menu = emu.last(uid)
        with_stop = asyncio.ensure_future(stop.wait())
        await asyncio.wait([with_stop], timeout=rng.uniform(2, 6))
        with_stop.cancel()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--chatters", type=int, default=20)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--library", choices=["ptb", "aiogram"], default="ptb")
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--flood", type=int, default=0, metavar="SECONDS")
    args = parser.parse_args()
    n, rate = args.recipients, args.rate
    notice_chats = range(CHAT_BASE, CHAT_BASE + n)

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        emu = BenchEmulator()
        async with emu:
            await prepare(db_url, emu.api_url, n, rate)
            chatters = await add_chatters(db_url, n + 1, args.chatters)
            if args.faults:
                for chat_id in random.Random(7).sample(list(notice_chats), k=n // 10):
                    emu.fail("429", method="sendMessage", chat_id=chat_id, retry_after=1)

            settings = settings_for(db_url, emu.api_url, rate)
            db = Database(db_url)
            app = await build_app(settings=settings, db=db, upgrade=False)
            channel = make_channel(args.library, TelegramConfig.from_settings(settings))
            service = TelegramService(app=app, channel=channel)
            bot_wide: list[float] = []  # when the limiter paused the whole bot
            honour = service.limiter.on_retry_after

            def counted(seconds: float, chat_id: str | None) -> bool:
                paused = honour(seconds, chat_id)
                if paused:
                    bot_wide.append(time.monotonic())
                return paused

            service.limiter.on_retry_after = counted  # type: ignore[method-assign]
            await service.start()
            began = time.perf_counter()

            stop = asyncio.Event()
            latencies: list[float] = []
            rng = random.Random(11)
            members = [
                asyncio.create_task(chat(emu, uid, random.Random(rng.random()), stop, latencies))
                for uid in chatters
            ]
            flood_window: tuple[float, float] | None = None
            while (reached := sum(1 for c in notice_chats if emu.replies.get(c))) < n:
                if args.flood and flood_window is None and reached >= n // 3:
                    emu.flood(args.flood)
                    start = time.monotonic()
                    flood_window = (start, start + args.flood)
                await asyncio.sleep(0.25)
            elapsed = time.perf_counter() - began
            stop.set()
            await asyncio.gather(*members)
            await service.stop()
            await db.dispose()

        sends = [c for c in emu.calls if c.method in REPLY_METHODS]
        notice_calls = [c for c in sends if int(c.params["chat_id"]) in notice_chats]
        ok = [c for c in notice_calls if c.status == 200]
        first, last = min(c.at for c in ok), max(c.at for c in ok)
        span = last - first
        print(f"library           {args.library}")
        print(f"recipients        {n:,} (+ {len(chatters)} members chatting)")
        print(f"elapsed           {elapsed:.1f} s (the limit alone allows {n / rate:.1f} s)")
        print(
            f"broadcast rate    {n / span:.2f} msg/s = {n / span / rate:.1%} of {rate:g} "
            f"(first to last notice, {span:.1f} s)"
        )
        in_span = [c for c in sends if first <= c.at <= last]
        print(
            f"all sends         {len(in_span) / span:.2f} msg/s = {len(in_span) / span / rate:.1%}"
            f" of the limit (notices, retries and replies)"
        )
        print(
            f"busiest second    {busiest_second([c.at for c in sends if c.status == 200])} "
            f"messages accepted, {busiest_second([c.at for c in sends])} requests"
        )
        print(
            f"answered 429      {sum(1 for c in sends if c.status == 429)}; "
            f"the bot paused as a whole {len(bot_wide)} times"
        )
        if latencies:
            print(
                f"reply latency     p50 {percentile(latencies, 50):.0f} ms, "
                f"p95 {percentile(latencies, 95):.0f} ms, p99 {percentile(latencies, 99):.0f} ms,"
                f" max {max(latencies) * 1000:.0f} ms over {len(latencies)} replies"
            )
        if flood_window is not None:
            lo, hi = flood_window
            during = [c for c in sends if lo <= c.at < hi]
            after = [c.at for c in ok if c.at >= hi]
            resumed = f"{min(after) - hi:+.2f} s after it ended" if after else "never"
            print(
                f"bot-wide 429      {args.flood} s: {len(during)} requests during it "
                f"({sum(1 for c in during if c.status == 429)} answered 429, "
                f"{emu.flood_violations} after the bot had been told); sending resumed {resumed}"
            )
        delivered = {int(c.params["chat_id"]) for c in ok}
        print(f"missing           {sum(1 for c in notice_chats if c not in delivered)}")


if __name__ == "__main__":
    asyncio.run(main())
