"""Two real ``committee-bot run --webhook`` processes on one PostgreSQL database.

Every update is pushed to both processes at once (as two webhook deliveries of the same
update would arrive behind a load balancer): each is answered exactly once. Outbox rows
enqueued while both workers run reach each chat exactly once (``FOR UPDATE SKIP LOCKED``).

python-telegram-bot only: what is at stake (update ids, outbox claims) is the core's and
the database's, the same under either channel, whose webhook receivers are one class
(tests/channels/test_telegram_e2e.py runs it on both); and importing aiogram alone takes
several seconds of CPU, too slow to start two of it in a quick test.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import select

from bot.text import Text
from bot.types import Reply
from storage.db import Database
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import Member, OutboxMessage
from tests.conftest import PG_URL, _pg_available
from tests.support.botapi_emulator import BotApiEmulator

SECRET = "two-process-secret"
USERS = [4_100_000_001 + n for n in range(12)]
ROOT = Path(__file__).resolve().parents[2]
LOGS: list[Path] = []


@pytest.fixture
def postgres() -> None:
    if not _pg_available():
        if os.environ.get("COMMITTEE_BOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but not reachable at {PG_URL}")
        pytest.skip("PostgreSQL not reachable")


@pytest.fixture
async def pg_url(postgres: None) -> AsyncIterator[str]:
    """A fresh database (a subprocess cannot be given a schema), dropped afterwards."""
    import asyncpg

    name = f"cb_two_{uuid.uuid4().hex[:10]}"
    admin_url = PG_URL.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ports() -> list[int]:
    return [free_port(), free_port()]


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def database(pg_url: str) -> AsyncIterator[Database]:
    db = Database(pg_url)
    await db.upgrade()  # the deployment's path: migrations, not create_all
    async with db.session() as session:
        roster = Roster(session)
        for n, uid in enumerate(USERS):
            member = await roster.add(Member(name=f"委员{n}", phone=f"1390000{n:04d}"))
            await roster.bind(
                member, platform="telegram", user_id=str(uid), chat_id=str(uid), via="test"
            )
    yield db
    await db.dispose()


@pytest.fixture
def processes(
    emu: BotApiEmulator,
    database: Database,
    ports: list[int],
    tmp_path: Path,
) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {
        **os.environ,
        "COMMITTEE_BOT_TELEGRAM_TOKEN": emu.token,
        "COMMITTEE_BOT_TELEGRAM_API_URL": emu.api_url,
        "COMMITTEE_BOT_DATABASE_URL": database.url,
        "COMMITTEE_BOT_SECRET_KEY": "two-process-signing-key",
        "COMMITTEE_BOT_WEBHOOK_SECRET": SECRET,
        "COMMITTEE_BOT_LOG_LEVEL": "WARNING",
    }
    started = []
    for port in ports:
        log = (tmp_path / f"bot-{port}.log").open("wb")
        LOGS.append(tmp_path / f"bot-{port}.log")
        command = [sys.executable, "-m", "bot", "run", "--channel", "ptb"]
        command += ["--webhook", f"http://127.0.0.1:{port}/telegram"]
        command += ["--listen", f"127.0.0.1:{port}"]
        started.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log))
    yield started
    for proc in started:  # how they stop is not what this tests
        proc.kill()
        proc.wait()


async def wait_until_serving(emu: BotApiEmulator, procs: list[subprocess.Popen[bytes]]) -> None:
    async def ready() -> bool:
        return len(emu.method_calls("setWebhook")) >= len(procs)

    for _ in range(600):
        if any(proc.poll() is not None for proc in procs) or await ready():
            break
        await asyncio.sleep(0.05)
    if not await ready():
        logs = "\n".join(path.read_text(errors="replace")[-2000:] for path in LOGS[-2:])
        calls = [(c.method, c.status) for c in emu.calls]
        raise AssertionError(f"the bot processes did not start within 30 s: {calls}\n{logs}")


async def push_to_all(http: aiohttp.ClientSession, ports: list[int], update: dict) -> None:
    """The same update delivered to every process at the same time."""

    async def push(port: int) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        url = f"http://127.0.0.1:{port}/telegram"
        async with http.post(url, json=update, headers=headers) as response:
            assert response.status == 200

    await asyncio.gather(*(push(port) for port in ports))


async def test_each_update_once_and_each_outbox_row_once(
    emu: BotApiEmulator, database: Database, processes: list, ports: list[int]
) -> None:
    await wait_until_serving(emu, processes)
    # The emulator pushes to the last webhook set; a copy of each update goes to both.
    async with aiohttp.ClientSession() as http:
        updates = [emu.send_text(uid, "/contact") for uid in USERS]
        await asyncio.gather(*(push_to_all(http, ports, emu._all_updates[u]) for u in updates))
    await emu.wait_idle(timeout=10)
    for uid in USERS:
        await emu.wait_for_messages(uid, 1, timeout=5)

    async with database.session() as session:
        outbox = Outbox(session)
        for n in range(3):
            for uid in USERS:
                payload = Reply(text=Text.plain(f"通知 {n} 给 {uid}")).to_json()
                await outbox.enqueue(
                    platform="telegram",
                    chat_id=str(uid),
                    payload=payload,
                    dedupe_key=f"t:{n}:{uid}",
                )
    total = 3 * len(USERS)

    def notices() -> int:
        return sum(t.startswith("通知") for uid in USERS for t in emu.texts(uid))

    await emu.wait_for(lambda: notices() >= total, timeout=10)
    await asyncio.sleep(1.5)  # a double send would land in this time (workers poll each 1 s)

    for uid in USERS:
        texts = emu.texts(uid)
        assert sum("第 1/3 步" in t for t in texts) == 1, texts  # one reply per update
        assert len(texts) == 4, texts
        assert sorted(t for t in texts if t.startswith("通知")) == [
            f"通知 {n} 给 {uid}" for n in range(3)
        ]
    async with database.session() as session:
        rows = list(await session.exec(select(OutboxMessage)))
    assert len(rows) == total and {r.state for r in rows} == {"sent"}
    for proc in processes:
        assert proc.poll() is None  # both still serving


LOCK_HOLDER = """
import asyncio, sys
from storage.db import Database
from storage.locks import DeploymentLock

async def main() -> None:
    lock = DeploymentLock(Database(sys.argv[1]))
    print("held" if await lock.acquire() else "refused", flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def test_one_scheduler_lock_per_deployment_and_freed_by_a_crash(pg_url: str) -> None:
    """The scheduler's deployment lock (storage/locks.py) across real processes."""
    locks = pytest.importorskip("storage.locks")
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, pg_url], cwd=ROOT, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None
        line = await asyncio.to_thread(holder.stdout.readline)
        assert line.strip() == b"held"
        db = Database(pg_url)
        lock = locks.DeploymentLock(db)
        assert await lock.acquire() is False  # a second process gets no scheduler
        holder.kill()  # a crash, not a clean release: the server frees the lock
        holder.wait()
        for _ in range(50):
            if await lock.acquire():
                break
            await asyncio.sleep(0.1)
        assert lock.held
        await lock.release()
        await db.dispose()
    finally:
        holder.kill()
        holder.wait()
