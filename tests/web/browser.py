"""The console served from a thread of its own, and headless Chromium driven by selenium.

Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); no browser is
downloaded at test time. Without them the browser tests skip with the reason, unless
COMMITTEE_BOT_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.app import App, build_app
from bot.settings import Settings
from storage.db import Database

__all__ = ["CHROMEDRIVER", "CHROMIUM", "ConsoleServer", "browser_or_skip", "chromium"]

T = TypeVar("T")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_PATH", "/usr/bin/chromedriver")
# Read at import: the autouse fixture clears COMMITTEE_BOT_* variables before each test.
REQUIRE_BROWSER = os.environ.get("COMMITTEE_BOT_REQUIRE_BROWSER") == "1"


def browser_or_skip() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(p))]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[dev]')")
    if not missing:
        return
    reason = (
        "BROWSER TESTS SKIPPED: missing "
        + ", ".join(missing)
        + " (apt-get install -y chromium chromium-driver)"
    )
    if REQUIRE_BROWSER:
        pytest.fail(reason.replace("SKIPPED", "REQUIRED"))
    pytest.skip(reason)


class ConsoleServer:
    """The console on 127.0.0.1:<free port>, its event loop in a thread (selenium blocks)."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.loop = asyncio.new_event_loop()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._serving: Future[None] | None = None
        self.app: App | None = None

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def start(self) -> App:
        self._thread.start()
        self.app = self.run(self._build())
        started = threading.Event()

        async def serve() -> None:
            from bot.web.app import serve_web

            ready = asyncio.Event()
            task = asyncio.ensure_future(
                serve_web(self.app_or_fail, f"127.0.0.1:{self.port}", started=ready)
            )
            await ready.wait()
            started.set()
            await task

        self._serving = asyncio.run_coroutine_threadsafe(serve(), self.loop)
        assert started.wait(timeout=30), "the console did not start"
        return self.app

    @property
    def app_or_fail(self) -> App:
        assert self.app is not None
        return self.app

    async def _build(self) -> App:
        db = Database(f"sqlite+aiosqlite:///{self.tmp_path / 'console.db'}")
        await db.create_all()
        settings = Settings(database_url=db.url, secret_key="browser-test-key")  # type: ignore[arg-type]
        return await build_app(settings=settings, db=db, upgrade=False)

    def stop(self) -> None:
        if self._serving is not None:
            self._serving.cancel()
        if self.app is not None:
            self.run(self.app.db.dispose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1366,900",
        "--lang=zh-CN",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
