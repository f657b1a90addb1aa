"""Fixtures shared by every test.

``db`` is parametrised: each test that uses it runs on a fresh SQLite file and on a fresh
PostgreSQL schema (the server at 127.0.0.1:5432, database ``test``). When PostgreSQL is not
reachable those runs are skipped, unless COMMITTEE_BOT_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.settings import Settings
from storage.db import Database
from tests.support.chat import Chat, FakeClock, add_member
from tests.support.databases import scratch_schema

PG_URL = os.environ.get(
    "COMMITTEE_BOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
_pg_state: dict[str, bool] = {}


def _pg_available() -> bool:
    if "ok" not in _pg_state:

        async def probe() -> bool:
            import asyncpg

            try:
                conn = await asyncpg.connect(
                    PG_URL.replace("postgresql+asyncpg", "postgresql"), timeout=3
                )
            except (OSError, asyncpg.PostgresError):
                return False
            await conn.close()
            return True

        _pg_state["ok"] = asyncio.run(probe())
    return _pg_state["ok"]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No developer's COMMITTEE_BOT_* variables leak into tests."""
    for name in list(os.environ):
        if name.startswith("COMMITTEE_BOT_") and name not in {
            "COMMITTEE_BOT_TEST_POSTGRES_URL",
            "COMMITTEE_BOT_REQUIRE_POSTGRES",
        }:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    # The default SQLite file and the terminal's log live under the project: not in a test.
    monkeypatch.setattr("bot.settings.DEFAULT_DATA_DIR", tmp_path / "data")
    yield


@pytest.fixture(params=["sqlite", "postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not _pg_available():
        if os.environ.get("COMMITTEE_BOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but not reachable at {PG_URL}")
        pytest.skip("PostgreSQL not reachable")
    return str(request.param)


@asynccontextmanager
async def _database(kind: str, tmp_path: Path, *, create: bool) -> AsyncIterator[Database]:
    """A fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    async with AsyncExitStack() as stack:
        if kind == "sqlite":
            database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        else:
            schema = await stack.enter_async_context(scratch_schema(PG_URL))
            database = Database(PG_URL, schema=schema)
        stack.push_async_callback(database.dispose)  # before the schema is dropped
        if create:
            await database.create_all()
        yield database


@pytest.fixture
async def db(db_kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with the current schema (built from the models; see test_migrations)."""
    async with _database(db_kind, tmp_path, create=True) as database:
        yield database


@pytest.fixture
async def empty_db(db_kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    async with _database(db_kind, tmp_path, create=False) as database:
        yield database


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    fake = FakeClock()
    yield fake
    fake.stop()


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(database_url=db.url, secret_key="test-signing-key")  # type: ignore[arg-type]


@pytest.fixture
async def app(settings: Settings, db: Database, clock: FakeClock) -> App:
    return await build_app(settings=settings, db=db, clock=clock, upgrade=False)


@pytest.fixture
async def member_chat(app: App) -> Chat:
    """A verified plain member talking to the bot."""
    member = await add_member(app, name="张委员", phone="13900000001", roles="member")
    return await Chat.verified(app, member)


@pytest.fixture
async def staff_chat(app: App) -> Chat:
    """A verified secretariat clerk."""
    member = await add_member(app, name="秘书处小李", phone="13900000099", roles="secretariat")
    return await Chat.verified(app, member)
