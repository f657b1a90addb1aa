"""What every serving process does before its channels start (the rulebook index loaded, the
garbage collector tuned) and runs beside them until it is stopped: the scheduler (unless
another process of the deployment holds it), the first build of the duplicate hint's index,
and the secretariat's web console when ``COMMITTEE_BOT_WEB_LISTEN`` is set."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator

from bot.app import App
from bot.proposals.similarity_cache import warm_up
from bot.scheduling import start_scheduler

__all__ = ["beside_the_channels", "ready_to_serve", "tune_garbage_collector"]


async def ready_to_serve(app: App) -> None:
    """Load the rulebook index before members arrive, so the first question is as fast as
    the rest (processes starting together take turns seeding the sample rulebook), then
    tune the collector over what is now loaded."""
    knowledge = app.services.knowledge
    assert knowledge is not None, "build_app wires the knowledge base"
    await knowledge.ensure_sample()
    await knowledge.rulebook()
    tune_garbage_collector()


def tune_garbage_collector() -> None:
    """What is loaded by now (libraries, the word dictionary, the rulebook index) lives as
    long as the process: freezing it keeps the collector's full passes from scanning it
    again and again, and a larger first generation lets the short-lived objects of an
    update die before a pass looks at them. Measured on the flow-step benchmarks: a fifth of
    the CPU per update went to the collector before (Telegram), 26-85 µs an update on
    WeCom; with this, turning it off gains nothing."""
    gc.collect()  # garbage left from start-up is collected, not frozen with the rest
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


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
