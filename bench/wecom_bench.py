"""Throughput of the WeCom channel against a bare echo bot on the official SDK, and a large
notice pushed at the configured rate. Everything talks over real WebSockets to the WeCom
long-connection emulator (tests/support/wecom_emulator.py).

Run: python bench/wecom_bench.py [--users 32] [--updates 2000] [--rounds 2]
                                 [--recipients 5000] [--rate 20] [--skip-notice] [--kill]
     python bench/wecom_bench.py --profile   (only (e))

(a) echo: a bare bot on ``wecom-aibot-python-sdk`` written the SDK's own way (a ``message``
    listener answering each text with a finished stream reply on its ``req_id``);
(b) flow step: committee-bot's WeComService (the same SDK client, App.handle with SQLite in
    WAL mode, LimitedSender): every update is one step of the /note flow with its database
    write and one reply, like the echo bot's one reply. Its replies go under the channel's
    REPLY_LIMITS (wecom_serve.py: 1,000/s in all, 30/s a chat), so with 32 members it can
    never pass 960/s whatever a step costs;
between them, "channel echo": WeComChannel and LimitedSender answering each text with itself
(no core, no database), once under REPLY_LIMITS (it then reads the limit) and once with the
limits lifted, clearly labelled, to show the channel's own ceiling.
``--users`` members talk at once, each sending the next message when the previous one was
answered (closed loop). Each row runs ``--rounds`` times in a fresh process; the best round
counts, "share" is (b) against (a).

(c) notice: ``--recipients`` verified WeCom members, one meeting notice queued for all by
``send_notice`` (one outbox row each), delivered by the OutboxWorker as ``aibot_send_msg``
pushes at ``COMMITTEE_BOT_WECOM_RATE_GLOBAL_PER_SECOND`` = ``--rate``; the achieved rate is
over the pushes the emulator accepted, and every member is counted (exactly once).
(d) ``--kill``: the same notice sent by a separate process that is SIGKILLed half way and
started again: who was missed, who got it twice.
(e) ``--profile``: the flow step under cProfile, the WeCom side's cumulative time against
    the core's ``App.handle`` (the SDK's receive runs outside ``on_update``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.wecom_emulator import Sent, WeComEmulator  # noqa: E402


class Driver:
    """Closed-loop members: each waits for its reply before sending again."""

    def __init__(self, emu: WeComEmulator) -> None:
        self.emu = emu
        self.waiting: dict[str, tuple[int, asyncio.Future[None]]] = {}
        self.counts: Counter[str] = Counter()
        emu.on_sent = self._sent

    def _sent(self, sent: Sent) -> None:
        self.counts[sent.chat] += 1
        waiting = self.waiting.get(sent.chat)
        if waiting and self.counts[sent.chat] >= waiting[0] and not waiting[1].done():
            waiting[1].set_result(None)

    async def say(self, user: str, text: str) -> None:
        future = asyncio.get_running_loop().create_future()
        self.waiting[user] = (self.counts[user] + 1, future)
        self.emu.send_text(user, text)
        await asyncio.wait_for(future, timeout=60)

    async def run(self, users: list[str], total: int, texts: list[str]) -> float:
        per_user = max(1, total // len(users))

        async def member(user: str) -> None:
            for i in range(per_user):
                await self.say(user, texts[i % len(texts)])

        start = time.perf_counter()
        await asyncio.gather(*(member(u) for u in users))
        return per_user * len(users) / (time.perf_counter() - start)


# -- (a) the echo bot --------------------------------------------------------------------
class Quiet:
    """The SDK's default logger prints every frame; both rows log nothing per message."""

    def debug(self, message: str, *args: Any) -> None: ...
    def info(self, message: str, *args: Any) -> None: ...
    def warn(self, message: str, *args: Any) -> None: ...
    def error(self, message: str, *args: Any) -> None: ...


async def echo_row(users: int, total: int) -> float:
    import aibot.ws
    from aibot import WSClient, WSClientOptions

    async with WeComEmulator() as emu:
        aibot.ws._SSL_CONTEXT = None  # plain ws:// to the emulator
        options = WSClientOptions(
            bot_id=emu.bot_id, secret=emu.secret, ws_url=emu.ws_url, logger=Quiet()
        )
        client = WSClient(options)

        async def echo(frame: dict[str, Any]) -> None:
            content = frame["body"]["text"]["content"]
            await client.reply_stream(frame, f"s{time.time_ns()}", content, finish=True)

        client.on("message.text", echo)
        await client.connect()
        await emu.wait_for(lambda: emu.subscribes == 1)
        driver = Driver(emu)
        names = [f"user{n}" for n in range(users)]
        await driver.run(names, users * 4, ["预热"])  # warm-up
        rate = await driver.run(names, total, ["第一段内容"])
        client.disconnect()
        return rate


# -- (b) committee-bot -------------------------------------------------------------------
async def _members(db: Any, userids: list[str]) -> None:
    from sqlalchemy import insert

    from storage.columns import utcnow
    from storage.tables import Identity, Member

    async with db.session() as s:
        now = utcnow()
        base = {"sector": "经济界", "committee": "", "roles": "member", "status": "active"}
        extra = {"is_demo": False, "created_at": now, "updated_at": now}
        extra |= {"title": "", "unit": "", "address": ""}
        rows = [{"name": f"委员{i:05d}", **base, **extra} for i in range(len(userids))]
        await s.exec(insert(Member), params=rows)  # type: ignore[call-overload]
        ids = [
            {
                "member_id": i + 1,
                "platform": "wecom",
                "user_id": uid,
                "chat_id": uid,
                "display_name": "",
                "verified_via": "bench",
                "verified_at": now,
            }
            for i, uid in enumerate(userids)
        ]
        await s.exec(insert(Identity), params=ids)  # type: ignore[call-overload]


def _settings(db_url: str, emu: WeComEmulator, rate: float) -> Any:
    from bot.settings import Settings

    return Settings(
        database_url=db_url,
        secret_key="bench-signing-key",  # type: ignore[arg-type]
        wecom_bot_id=emu.bot_id,
        wecom_secret=emu.secret,  # type: ignore[arg-type]
        wecom_ws_url=emu.ws_url,
        wecom_rate_global_per_second=rate,
    )


async def _service(
    db_url: str,
    emu: WeComEmulator,
    rate: float,
    userids: list[str],
    *,
    note: bool = False,
    start: bool = True,
) -> Any:
    from telegram_committee import note_router  # the Telegram benchmark's /note flow

    from bot.app import build_app, root_router
    from bot.channels.wecom import WeComChannel, WeComConfig
    from bot.channels.wecom_serve import WeComService
    from storage.db import Database

    db = Database(db_url)
    await db.create_all()
    await _members(db, userids)
    settings = _settings(db_url, emu, rate)
    router = root_router().include(note_router()) if note else None
    app = await build_app(settings=settings, db=db, upgrade=False, router=router)
    service = WeComService(
        app=app, channel=WeComChannel(config=WeComConfig.from_settings(settings))
    )
    if start:
        await service.start()
    return service


async def flow_row(users: int, total: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        async with WeComEmulator() as emu:
            names = [f"user{n}" for n in range(users)]
            db_url = f"sqlite+aiosqlite:///{tmp}/b.db"
            service = await _service(db_url, emu, 1000.0, names, note=True)
            driver = Driver(emu)
            steps = ["/note", "第一段内容", "第二段内容", "第三段内容"]
            await driver.run(names, users * 4, steps)  # warm-up
            rate = await driver.run(names, total, steps)
            await service.stop()
            await service.app.db.dispose()
            return rate


async def channel_row(users: int, total: int, lifted: bool = False) -> float:
    """The channel alone: WeComChannel and LimitedSender answering each text with itself,
    no core, no database (what the channel costs on top of the SDK). Under REPLY_LIMITS
    (1,000 replies/s, 30/s a chat) this row reads the limit, not the channel; ``lifted``
    takes them away to show the channel's own ceiling (the bot never runs that way)."""
    from bot.channels.wecom import WeComChannel, WeComConfig
    from bot.channels.wecom_serve import REPLY_LIMITS
    from bot.delivery import LimitedSender, Limits, RateLimiter
    from bot.text import Text
    from bot.types import Incoming, Reply

    async with WeComEmulator() as emu:
        settings = _settings("sqlite+aiosqlite:///:memory:", emu, 1000.0)
        channel = WeComChannel(config=WeComConfig.from_settings(settings))
        sender = LimitedSender(
            sender=channel,
            platform="wecom",
            limiter=RateLimiter(Limits.unthrottled() if lifted else REPLY_LIMITS),
            db=None,  # type: ignore[arg-type]
        )

        async def echo(incoming: Incoming) -> None:
            reply = Reply(text=Text.plain(incoming.text or ""))
            await sender.send(incoming.chat_id, reply, in_reply_to=incoming)

        await channel.start(echo)
        driver = Driver(emu)
        names = [f"user{n}" for n in range(users)]
        await driver.run(names, users * 4, ["预热"])
        rate = await driver.run(names, total, ["第一段内容"])
        await channel.stop()
        return rate


# -- (c) the notice ----------------------------------------------------------------------
async def _queue_notice(app: Any) -> int:
    """One meeting notice to every member: one outbox row each."""
    from bot.catalogue import catalogue
    from bot.notices.buttons import answer_buttons
    from bot.notices.draft import NoticeDraft
    from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind
    from bot.notices.service import create_notice, notice_rules, send_notice
    from storage.columns import utcnow

    now = utcnow()
    draft = NoticeDraft(
        kind=MeetingKind.PLENARY,
        title="市政协全体会议",
        starts_at=now + timedelta(days=10),
        place="市政协会议中心",
        mode=AttendanceMode.REQUIRED,
        reply_deadline=now + timedelta(days=7),
        audience=Audience(AudienceKind.ALL),
    )
    nid = await create_notice(app.db.session, draft, rules=notice_rules(), created_by="b")
    buttons = answer_buttons(app.services.signer, catalogue())
    queued: int = await send_notice(app.db.session, nid, zone=app.settings.zone, buttons=buttons)
    return queued


async def notice_row(recipients: int, rate: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        async with WeComEmulator() as emu:
            times: list[float] = []
            names = [f"wy{n:05d}" for n in range(recipients)]
            service = await _service(f"sqlite+aiosqlite:///{tmp}/n.db", emu, rate, names)
            emu.on_sent = lambda sent: times.append(time.perf_counter())
            await _queue_notice(service.app)
            service.worker.wake()
            await emu.wait_for(lambda: len(emu.pushes) >= recipients, timeout=recipients / rate * 3)
            await service.stop()
            await service.app.db.dispose()
            per_chat = Counter(p["chatid"] for p in emu.pushes)
            achieved = (len(times) - 1) / (times[-1] - times[0])
            return {
                "pushes": len(emu.pushes),
                "members_once": sum(1 for n in names if per_chat[n] == 1),
                "achieved": achieved,
                "limit": rate,
            }


# -- (d) the notice, its sender killed half way ---------------------------------------------
async def deliver_row(db_url: str, ws_url: str, rate: float, stale: float) -> int:
    """The sending process: the outbox worker on the WeCom channel until nothing is unsent."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from bot.channels.wecom import WeComChannel, WeComConfig
    from bot.channels.wecom_serve import push_limits
    from bot.delivery import OutboxWorker, RateLimiter
    from storage.db import Database
    from storage.tables import OutboxMessage

    settings = _settings(db_url, WeComEmulator(), rate).model_copy(update={"wecom_ws_url": ws_url})
    db = Database(db_url)
    channel = WeComChannel(config=WeComConfig.from_settings(settings))

    async def ignore(_incoming: Any) -> None:
        return None

    await channel.start(ignore)
    worker = OutboxWorker(
        db=db,
        senders={"wecom": channel},
        limiter=RateLimiter(push_limits(settings)),
        stale_after=timedelta(seconds=stale),
    )
    unsent = col(OutboxMessage.state).in_(["pending", "failed", "sending"])
    try:
        while True:
            await worker.drain()
            async with db.session() as s:
                if not (await s.exec(select(func.count()).where(unsent))).one():
                    break
            await asyncio.sleep(0.2)
    finally:
        await channel.stop()
        await db.dispose()
    return 0


async def kill_row(recipients: int, rate: float) -> dict[str, Any]:
    import os
    import signal

    # Claims older than this are taken again: longer than a claimed batch takes to send at
    # the rate (else the live sender would re-send its own rows), short for the restart.
    stale = 30.0
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite+aiosqlite:///{tmp}/k.db"
        async with WeComEmulator() as emu:
            names = [f"wy{n:05d}" for n in range(recipients)]
            service = await _service(db_url, emu, rate, names, start=False)
            await _queue_notice(service.app)
            await service.app.db.dispose()
            params = {"db_url": db_url, "ws_url": emu.ws_url, "rate": rate, "stale": stale}
            cmd = [sys.executable, __file__, "--row", "deliver", "--params", json.dumps(params)]
            first = await asyncio.create_subprocess_exec(*cmd, cwd=ROOT)
            await emu.wait_for(lambda: len(emu.pushes) >= recipients // 2, timeout=600)
            os.kill(first.pid, signal.SIGKILL)
            await first.wait()
            at_kill = len(emu.pushes)
            await asyncio.sleep(stale + 1)  # the killed sender's claims go stale
            second = await asyncio.create_subprocess_exec(*cmd, cwd=ROOT)
            await second.wait()
            per_chat = Counter(p["chatid"] for p in emu.pushes)
            return {
                "at_kill": at_kill,
                "missed": sum(1 for n in names if per_chat[n] == 0),
                "twice": sum(1 for n in names if per_chat[n] > 1),
                "pushes": len(emu.pushes),
            }


# -- running -----------------------------------------------------------------------------
# (e) --profile: where a flow step's time goes, WeCom side against the core (cProfile
# cumulative seconds; cProfile slows everything about 3x, so read the shares).
PROFILED = {
    "core: App.handle": ("bot/app.py", "handle"),
    "WeCom: frame parsing (incoming_from_frame)": ("wecom_frames.py", "incoming_from_frame"),
    "WeCom: WeComChannel.send (cards, markdown, SDK reply)": ("channels/wecom.py", "send"),
    "WeCom: SDK reply path (WSClient.reply)": ("aibot/client.py", "reply"),
    "WeCom: SDK receive (frame JSON, dispatch)": ("aibot/ws.py", "_handle_frame"),
    "delivery: LimitedSender.send (incl. channel send)": ("delivery/replies.py", "send"),
    "all of one update (WeComService.on_update)": ("wecom_serve.py", "on_update"),
}


async def profile_row(users: int, total: int) -> dict[str, float]:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    await flow_row(users, total)
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    found = dict.fromkeys(PROFILED, 0.0)
    for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
        for label, (where, function) in PROFILED.items():
            if name == function and path.endswith(where):
                found[label] = max(found[label], cumulative)
    return found


def child(kind: str, **params: Any) -> Any:
    cmd = [sys.executable, __file__, "--row", kind, "--params", json.dumps(params)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--skip-notice", action="store_true")
    parser.add_argument("--kill", action="store_true", help="also: the sender killed half way")
    parser.add_argument("--profile", action="store_true", help="only: a flow step's profile")
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.row:
        params = json.loads(args.params)
        rows = {
            "echo": echo_row,
            "channel": channel_row,
            "flow": flow_row,
            "notice": notice_row,
            "deliver": deliver_row,
            "kill": kill_row,
            "profile": profile_row,
        }
        print(json.dumps(asyncio.run(rows[args.row](**params))))
        return
    load = {"users": args.users, "total": args.updates}
    if args.profile:
        found = child("profile", **load)
        whole = found["all of one update (WeComService.on_update)"] or 1.0
        print("| part of a flow step | cumulative s | against on_update |\n|---|---|---|")
        for label, seconds in found.items():
            print(f"| {label} | {seconds:.2f} | {seconds / whole:.0%} |")
        return
    echo, channel, lifted, flow = [], [], [], []
    for _ in range(args.rounds):
        echo.append(child("echo", **load))
        channel.append(child("channel", **load))
        lifted.append(child("channel", lifted=True, **load))
        flow.append(child("flow", **load))
    print(f"WeCom channel, {args.users} members at once, {args.updates} updates a round")
    print("| row | best updates/s | rounds |\n|---|---|---|")
    table = [
        ("echo bot (SDK)", echo),
        ("channel echo (REPLY_LIMITS: 1,000/s, 30/s a chat)", channel),
        ("channel echo, limits lifted (the channel's own ceiling; never served so)", lifted),
        ("flow step", flow),
    ]
    for label, rates in table:
        print(f"| {label} | {max(rates):.0f} | {', '.join(f'{r:.0f}' for r in rates)} |")
    print(f"channel echo / SDK echo: {max(channel) / max(echo):.2f}")
    print(f"channel echo, limits lifted / SDK echo: {max(lifted) / max(echo):.2f}")
    print(f"flow step / SDK echo: {max(flow) / max(echo):.2f} (target >= 0.5)")
    if not args.skip_notice:
        n = child("notice", recipients=args.recipients, rate=args.rate)
        share = n["achieved"] / n["limit"]
        print(
            f"notice to {args.recipients:,} members at {n['limit']:.0f}/s: {n['pushes']:,} pushes, "
            f"{n['members_once']:,} members exactly once, {n['achieved']:.1f}/s "
            f"({share:.0%} of the configured rate, target >= 95%)"
        )
    if args.kill:
        k = child("kill", recipients=args.recipients, rate=args.rate)
        print(
            f"sender SIGKILLed after {k['at_kill']:,} pushes and restarted: {k['pushes']:,} "
            f"pushes, {k['missed']} members missed, {k['twice']} got it twice"
        )


if __name__ == "__main__":
    main()
