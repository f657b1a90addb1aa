"""Broadcast a meeting notice to N members through the real delivery path and time it.

    python bench/notices_bench.py [--recipients 5000] [--rate 30] [--faults] [--kill]

Everything is real except Telegram: members and identities in a SQLite file, the notice
queued by ``send_notice`` (one outbox row per member, dedupe keys), the delivery
service's ``OutboxWorker`` with the shared rate limiter, and the python-telegram-bot
channel talking HTTP to the local Bot API emulator (tests/support/botapi_emulator.py).

Prints: achieved rate against the limit, the busiest one-second window, and per-chat
delivery counts (every recipient exactly once). ``--faults`` answers the first send to 10%
of chats with 429 (retry_after 1) and to 2% with 500. ``--kill`` runs the sender as a
child process, SIGKILLs it half way, starts it again, and counts again.

Needs the delivery service and Telegram channels (branch ``telegram``) merged.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.catalogue import catalogue  # noqa: E402
from bot.notices.buttons import answer_buttons  # noqa: E402
from bot.notices.draft import NoticeDraft  # noqa: E402
from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind  # noqa: E402
from bot.notices.service import create_notice, notice_rules, send_notice  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.columns import utcnow  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.tables import Identity, Member, OutboxMessage  # noqa: E402

TOKEN = "123456789:TEST-token-0123456789abcdefghijklmnopqrst"
CHAT_BASE = 800_000_000
# How old a claim must be before another worker takes it over (the delivery service's
# default is 2 minutes; --kill runs use a shorter one so the restart need not wait long).
STALE_SECONDS = float(os.environ.get("BENCH_STALE_SECONDS", "120"))


def settings_for(db_url: str, api_url: str, rate: float) -> Settings:
    return Settings(
        database_url=db_url,
        telegram_token=TOKEN,  # type: ignore[arg-type]
        telegram_api_url=api_url,
        secret_key="bench-signing-key",  # type: ignore[arg-type]
        rate_global_per_second=rate,
    )


async def prepare(db_url: str, api_url: str, n: int, rate: float) -> int:
    """Roster of n verified members and one notice queued for all of them."""
    db = Database(db_url)
    await db.create_all()
    async with db.session() as s:
        await s.exec(  # type: ignore[call-overload]
            insert(Member),
            params=[
                {
                    "name": f"委员{i:05d}",
                    "sector": "经济界",
                    "committee": "",
                    "roles": "member",
                    "status": "active",
                    "is_demo": False,
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                    "title": "",
                    "unit": "",
                    "address": "",
                }
                for i in range(n)
            ],
        )
        await s.exec(  # type: ignore[call-overload]
            insert(Identity),
            params=[
                {
                    "member_id": i + 1,
                    "platform": "telegram",
                    "user_id": str(CHAT_BASE + i),
                    "chat_id": str(CHAT_BASE + i),
                    "display_name": "",
                    "verified_via": "bench",
                    "verified_at": utcnow(),
                }
                for i in range(n)
            ],
        )
    app = await build_app(settings=settings_for(db_url, api_url, rate), db=db, upgrade=False)
    now = utcnow()
    draft = NoticeDraft(
        kind=MeetingKind.PLENARY,
        title="市政协全体会议",
        starts_at=now + timedelta(days=10),
        place="市政协会议中心",
        mode=AttendanceMode.REQUIRED,
        reply_deadline=now + timedelta(days=7),
        audience=Audience(AudienceKind.ALL),
        agenda="一、听取常委会工作报告\n二、审议提案工作情况报告",
    )
    nid = await create_notice(db.session, draft, rules=notice_rules(), created_by="bench")
    t0 = time.perf_counter()
    queued = await send_notice(
        db.session,
        nid,
        zone=app.settings.zone,
        buttons=answer_buttons(app.services.signer, catalogue()),
    )
    print(f"queued {queued:,} outbox rows in {time.perf_counter() - t0:.1f} s")
    await db.dispose()
    return nid


async def deliver(db_url: str, api_url: str, rate: float) -> None:
    """The sending process: the delivery worker with the PTB channel, until the outbox is empty."""
    from bot.channels.telegram import TelegramConfig
    from bot.delivery import Limits, OutboxWorker, RateLimiter
    from bot.serve import make_channel

    settings = settings_for(db_url, api_url, rate)
    db = Database(db_url)
    channel = make_channel("ptb", TelegramConfig.from_settings(settings))
    await channel.start(lambda _incoming: asyncio.sleep(0))  # type: ignore[arg-type,return-value]
    worker = OutboxWorker(
        db=db,
        senders={"telegram": channel},
        limiter=RateLimiter(Limits.from_settings(settings)),
        stale_after=timedelta(seconds=STALE_SECONDS),
    )
    try:
        # drain() returns when nothing is due *now*; rows waiting out a 429 or a backoff
        # are due later, so keep going until the outbox holds nothing unsent.
        while True:
            await worker.drain()
            if not await _unsent(db):
                break
            await asyncio.sleep(0.2)
    finally:
        await channel.stop()
        await db.dispose()


async def _unsent(db: Database) -> int:
    async with db.session() as s:
        stmt = select(func.count()).where(
            col(OutboxMessage.state).in_(["pending", "failed", "sending"])
        )
        return int((await s.exec(stmt)).one())


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("DB_URL", "API_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        await deliver(args.child[0], args.child[1], args.rate)
        return

    from tests.support.botapi_emulator import BotApiEmulator

    n, rate = args.recipients, args.rate
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        async with BotApiEmulator(tokens=[TOKEN]) as emu:
            await prepare(db_url, emu.api_url, n, rate)
            chats = [CHAT_BASE + i for i in range(n)]
            if args.faults:
                rng = random.Random(7)
                picked = rng.sample(chats, k=n * 12 // 100)
                for chat in picked[: n * 10 // 100]:
                    emu.fail("429", method="sendMessage", chat_id=chat, retry_after=1)
                for chat in picked[n * 10 // 100 :]:
                    emu.fail("500", method="sendMessage", chat_id=chat)
            t0 = time.perf_counter()
            if args.kill:
                cmd = [
                    sys.executable,
                    __file__,
                    "--rate",
                    str(rate),
                    "--child",
                    db_url,
                    emu.api_url,
                ]
                child = subprocess.Popen(cmd, cwd=ROOT)
                await emu.wait_for(
                    lambda: len(emu.method_calls("sendMessage")) >= n // 2, timeout=n / rate * 3
                )
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
                print(f"SIGKILL after {len(emu.method_calls('sendMessage')):,} sends")
                # The killed worker's claims go stale before the restart may take them.
                await asyncio.sleep(STALE_SECONDS + 1)
                restarted = await asyncio.create_subprocess_exec(*cmd, cwd=ROOT)
                await restarted.wait()
            else:
                await deliver(db_url, emu.api_url, rate)
            elapsed = time.perf_counter() - t0
            ok_calls = [c for c in emu.method_calls("sendMessage") if c.status == 200]
            per_chat = Counter(int(c.params["chat_id"]) for c in ok_calls)
            missing = sum(1 for c in chats if per_chat[c] == 0)
            doubled = sum(1 for c in chats if per_chat[c] > 1)
            all_calls = emu.method_calls("sendMessage")
            achieved = n / elapsed
            print(f"recipients        {n:,}")
            print(f"elapsed           {elapsed:.1f} s (the limit allows {n / rate:.1f} s)")
            print(f"achieved rate     {achieved:.2f} msg/s = {achieved / rate:.1%} of {rate:g}")
            print(f"busiest second    {busiest_second([c.at for c in all_calls])} requests")
            print(f"requests          {len(all_calls):,} (answered 2xx: {len(ok_calls):,})")
            print(f"flood violations  {emu.flood_violations}")
            print(f"missing           {missing}")
            print(f"delivered twice   {doubled}")


if __name__ == "__main__":
    asyncio.run(main())
