"""What every serving process runs beside its channels until it is stopped: the scheduler
(unless another process of the deployment holds it), the first build of the duplicate
hint's index, and the secretariat's web console when ``COMMITTEE_BOT_WEB_LISTEN`` is set."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from bot.app import App
from bot.proposals.similarity_cache import warm_up
from bot.scheduling import start_scheduler

__all__ = ["beside_the_channels"]


@contextlib.asynccontextmanager
async def beside_the_channels(app: App, stop: asyncio.Event) -> AsyncIterator[None]:
    scheduler = await start_scheduler(app)
    await warm_up(app.services)  # the duplicate hint's index, built off the loop
    console = None
    if app.settings.web_listen:  # the secretariat's web console in the same process
        from bot.web.app import serve_beside

        console = serve_beside(
            app,
            app.settings.web_listen,
            checks={
                "channels": lambda: not stop.is_set(),
                # None: another process of the deployment holds the scheduler
                "scheduler": lambda: scheduler is None or scheduler.running,
            },
        )
    try:
        yield
    finally:
        if console is not None:
            console.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await console
        if scheduler is not None:
            await scheduler.stop()
