"""Shared CLI plumbing: loading settings once, opening the app, printing catalogue text."""

from __future__ import annotations

import asyncio
import getpass
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from bot.catalogue import catalogue
from bot.log_redaction import install as install_redaction
from bot.log_redaction import register_settings
from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.app import App

__all__ = [
    "audit_cli",
    "cli_actor",
    "echo",
    "echo_err",
    "open_app",
    "run_async",
    "settings_from",
]

T = TypeVar("T")


def settings_from(ctx: click.Context) -> Settings:
    obj = ctx.find_root().obj or {}
    if "settings" not in obj:
        obj["settings"] = load_settings(obj.get("settings_file"))
        logging.basicConfig(
            level=obj["settings"].log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        # Migration chatter is noise in a terminal conversation.
        for noisy in ("alembic", "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        register_settings(obj["settings"])  # no secret reaches a log line from here on
        install_redaction()  # the filter on the handler basicConfig just added
    return obj["settings"]


@asynccontextmanager
async def open_app(settings: Settings, *, serving: bool = False) -> AsyncIterator[App]:
    """The app on the configured database, migrated to the latest schema.

    Only a command that answers chat updates (``serving``: the terminal conversation) gets
    the handlers and the rulebook; the others work on records through services and storage,
    and are spared importing every capability's handlers (half a second)."""
    from bot.app import build_app

    app = await build_app(settings=settings, upgrade=True, serving=serving)
    try:
        yield app
    finally:
        await app.db.dispose()


def cli_actor() -> str:
    """Who a CLI action is recorded as in the audit log."""
    return f"cli:{getpass.getuser()}"


async def audit_cli(app: App, action: str, *, target: str = "", **detail: Any) -> None:
    """One audit row for a secretariat action taken from the command line."""
    from storage.audit import Audit

    async with app.db.session() as session:
        await Audit(session).record(action, actor_label=cli_actor(), target=target, **detail)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


# Two functions rather than an ``err`` flag: a flag beside ``**params`` would claim the
# placeholder name and make every ``**mapping`` call ambiguous to the type checker.
def echo(key: str, /, **params: Any) -> None:
    """The catalogue text ``key``, filled with ``params``, on stdout."""
    click.echo(catalogue().s(key, **params))


def echo_err(key: str, /, **params: Any) -> None:
    """The catalogue text ``key``, filled with ``params``, on stderr."""
    click.echo(catalogue().s(key, **params), err=True)
