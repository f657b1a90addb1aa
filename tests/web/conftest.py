"""The console over the test app (SQLite and PostgreSQL), through aiohttp's test client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App
from bot.web.app import build_web
from storage.tables import Member
from tests.web.support import csrf_of, login_token, seed_committee


@pytest.fixture
async def people(app: App) -> dict[str, Member]:
    return await seed_committee(app)


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(TestServer(build_web(app))) as c:
        yield c


async def log_in(client: TestClient, app: App, member: Member) -> str:  # type: ignore[type-arg]
    """Logs ``member`` in with a fresh link; returns the session's CSRF token."""
    token = await login_token(app, member)
    r = await client.post("/login", data={"token": token}, allow_redirects=False)
    assert r.status == 303, await r.text()
    page = await client.get("/proposals")
    return csrf_of(await page.text())


@pytest.fixture
async def staff(client: TestClient, app: App, people: dict[str, Member]) -> str:  # type: ignore[type-arg]
    return await log_in(client, app, people["clerk"])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A skipped browser test is said out loud, not hidden in an ``s``."""
    skipped = [
        r
        for r in terminalreporter.stats.get("skipped", [])
        if "BROWSER TESTS SKIPPED" in str(r.longrepr)
    ]
    if skipped:
        terminalreporter.write_sep("!", "console browser tests skipped", red=True, bold=True)
        terminalreporter.write_line(
            str(
                skipped[0].longrepr[-1]
                if isinstance(skipped[0].longrepr, tuple)
                else skipped[0].longrepr
            )
        )
