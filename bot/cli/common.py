"""Shared CLI plumbing: loading settings once, opening the app, printing catalogue text."""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import click

from bot.app import App, build_app
from bot.catalogue import catalogue
from bot.errors import ConfigError, UserError
from bot.log_redaction import install as install_redaction
from bot.log_redaction import print_exception, redact, register_settings
from bot.settings import Settings, load_settings
from storage.audit import Audit

__all__ = [
    "audit_cli",
    "cli_actor",
    "cli_main",
    "echo",
    "main_group",
    "open_app",
    "run_async",
    "settings_from",
]

T = TypeVar("T")


@click.group()
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML settings file (environment variables COMMITTEE_BOT_* override it).",
)
@click.pass_context
def main_group(ctx: click.Context, settings_file: str | None) -> None:
    """committee-bot: 政协委员履职助手。"""
    ctx.ensure_object(dict)
    ctx.obj["settings_file"] = settings_file


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
async def open_app(settings: Settings) -> AsyncIterator[App]:
    """The app on the configured database, migrated to the latest schema."""
    app = await build_app(settings=settings, upgrade=True)
    try:
        yield app
    finally:
        await app.db.dispose()


def cli_actor() -> str:
    """Who a CLI action is recorded as in the audit log."""
    return f"cli:{getpass.getuser()}"


async def audit_cli(app: App, action: str, *, target: str = "", **detail: Any) -> None:
    """One audit row for a secretariat action taken from the command line."""
    async with app.db.session() as session:
        await Audit(session).record(action, actor_label=cli_actor(), target=target, **detail)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def echo(key: str, /, *, err: bool = False, **params: Any) -> None:
    click.echo(catalogue().s(key, **params), err=err)


def cli_main() -> None:
    """Runs the group; configuration and member-facing errors become one clear line.
    What it prints about an error (and any traceback) has its secrets masked."""
    install_redaction()
    sys.excepthook = print_exception
    try:
        # Outside standalone mode click returns ctx.exit(N)'s code instead of exiting.
        code = main_group.main(standalone_mode=False)
    except ConfigError as exc:
        click.echo(redact(catalogue().s("cli.config_error", detail=str(exc))), err=True)
        sys.exit(2)
    except UserError as exc:
        click.echo(redact(catalogue().s(exc.key, **exc.params)), err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)
