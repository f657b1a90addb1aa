"""``run``, ``chat``, ``config show`` and ``db upgrade``.

Each command imports what it uses when it runs: ``config show`` needs no database,
``db upgrade`` no channel, and ``run`` loads only the channel it serves on.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.common import echo, open_app, run_async, settings_from
from bot.errors import ConfigError, UserError

if TYPE_CHECKING:
    from bot.app import App
    from bot.channels.console import ConsoleChannel
    from bot.settings import Settings
    from storage.tables import Member

__all__ = ["chat", "config", "db", "find_member", "run"]

# Terminal users acting as a roster member get their own identity, apart from the stranger.
CONSOLE_AS_OFFSET = 1_000_000_000


@click.command()
@click.option(
    "--channel",
    default="auto",
    show_default=True,
    help="auto：已配置的每个平台（Telegram 用 python-telegram-bot、企业微信），都未配置时在终端对话；"
    "也可指定 console、ptb、aiogram、wecom，或用逗号连接多个，如 ptb,wecom。",
)
@click.option("--webhook", default=None, help="Webhook 模式的公网 HTTPS 地址。")
@click.option("--listen", default="0.0.0.0:8443", show_default=True, help="监听的 主机:端口。")
@click.pass_context
def run(ctx: click.Context, channel: str, webhook: str | None, listen: str) -> None:
    """运行机器人（未配置 Telegram 令牌时在终端对话）。"""
    settings = settings_from(ctx)
    if channel == "auto":
        configured = ["ptb"] if settings.telegram_token else []
        if settings.wecom_bot_id and settings.wecom_secret:
            configured.append("wecom")
        channel = ",".join(configured) or "console"
    names = [name.strip() for name in channel.split(",") if name.strip()]
    if "wecom" in names or len(names) > 1:
        from bot.channels.wecom_serve import serve_channels

        run_async(serve_channels(settings, names, webhook=webhook, listen=listen))
        return
    if channel not in {"console", "ptb", "aiogram"}:
        raise click.BadParameter(f"{channel!r}", param_hint="--channel")
    if channel == "console":
        if webhook:
            raise ConfigError("config.webhook_needs_telegram")
        run_async(_chat(settings, as_who=None, scripted=not sys.stdin.isatty()))
        return
    if settings.telegram_token is None:
        raise ConfigError("config.token_needed", channel=channel)
    import logging

    from bot.serve import serve_telegram

    logging.captureWarnings(True)  # library deprecations belong in the log, with the rest
    run_async(serve_telegram(settings, library=channel, webhook=webhook, listen=listen))


@click.command()
@click.option("--as", "as_who", default=None, help="以名册中某位委员的身份对话（姓名或手机号）。")
@click.option("--script", is_flag=True, help="从标准输入逐行读取，不显示提示（用于脚本）。")
@click.pass_context
def chat(ctx: click.Context, as_who: str | None, script: bool) -> None:
    """在终端与机器人对话；按钮显示为编号，输入编号即点击。"""
    settings = settings_from(ctx)
    run_async(_chat(settings, as_who=as_who, scripted=script or not sys.stdin.isatty()))


def _log_beside_the_chat(*, scripted: bool) -> None:
    """Library warnings (pypdf, APScheduler, a deprecation in the Telegram library) become
    log records, and an interactive session writes its log to a file: the member at the
    terminal reads the conversation, not the log. A script keeps the log on stderr."""
    import logging

    from bot.log_redaction import install as install_redaction
    from bot.settings import DEFAULT_DATA_DIR

    logging.captureWarnings(True)
    if scripted:
        return
    DEFAULT_DATA_DIR.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(
            handler, logging.FileHandler
        ):
            root.removeHandler(handler)
    to_file = logging.FileHandler(DEFAULT_DATA_DIR / "committee-bot.log", encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(to_file)
    install_redaction()  # the secrets filter on the new handler


async def _chat(settings: Settings, *, as_who: str | None, scripted: bool) -> None:
    from bot.channels.console import CONSOLE_USER_ID, ConsoleChannel
    from bot.runtime import deliver_due_once, reply_to
    from bot.scheduling import start_scheduler
    from bot.settings import DEFAULT_DATA_DIR
    from bot.types import Incoming
    from storage.roster import Roster

    _log_beside_the_chat(scripted=scripted)
    async with open_app(settings, serving=True) as app:
        user_id = CONSOLE_USER_ID
        if as_who:
            member = await find_member(app, as_who)
            assert member.id is not None
            user_id = str(CONSOLE_AS_OFFSET + member.id)
            async with app.db.session() as session:
                await Roster(session).bind(
                    member, platform="console", user_id=user_id, chat_id=user_id, via="console"
                )
        channel = ConsoleChannel(
            user_id=user_id, echo_input=scripted, downloads=DEFAULT_DATA_DIR / "downloads"
        )
        if not scripted:
            echo("cli.chat_banner")

        async def on_update(incoming: Incoming) -> None:
            await reply_to(app, channel, incoming)
            await deliver_due_once(app, channel, chat_ids=[user_id])

        # Reminders, digests and status edits run here too (unless a running bot of this
        # deployment holds the scheduler). A script sees what they queued after each line,
        # in order; an interactive session also gets it between lines.
        scheduler = await start_scheduler(app)
        stop = asyncio.Event()
        background = (
            None
            if scripted
            else asyncio.create_task(_deliver_every(app, channel, user_id, stop, seconds=5.0))
        )
        try:
            await on_update(channel.to_incoming("/start") or Incoming("console", user_id, user_id))
            await channel.start(on_update)
        finally:
            stop.set()
            if background is not None:
                await background
            if scheduler is not None:
                await scheduler.stop()


async def _deliver_every(
    app: App, channel: ConsoleChannel, user_id: str, stop: asyncio.Event, *, seconds: float
) -> None:
    from bot.runtime import deliver_due_once

    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)
        if not stop.is_set():
            await deliver_due_once(app, channel, chat_ids=[user_id])


async def find_member(app: App, who: str) -> Member:
    from bot.roster.phones import normalize_phone
    from storage.roster import Roster

    async with app.db.session() as session:
        roster = Roster(session)
        phone = normalize_phone(who)
        if phone:
            member = await roster.by_phone(phone)
            if member is not None and member.status == "active":
                return member
        found = await roster.by_name(who.strip())
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UserError("cli.member_ambiguous", who=who)
        raise UserError("cli.member_not_found", who=who)


@click.group()
def config() -> None:
    """查看配置。"""


@config.command("show")
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """打印生效的配置（密钥已遮盖）。"""
    from bot.log_redaction import redact

    settings = settings_from(ctx)
    for name, value in settings.masked().items():
        click.echo(redact(f"{name} = {value}"))


@click.group()
def db() -> None:
    """数据库维护。"""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """把数据库结构升级到最新版本。"""
    settings = settings_from(ctx)

    async def upgrade() -> None:
        async with open_app(settings):
            pass

    run_async(upgrade())
    echo("cli.db_upgraded")


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="覆盖 PATH 处已有的文件。")
@click.pass_context
def db_backup(ctx: click.Context, path: Path, force: bool) -> None:
    """备份 SQLite 数据库（机器人运行时也可以，得到一致的副本）。"""
    import sqlite3

    from sqlalchemy.engine import make_url

    from storage.sqlite_backup import BackupError, backup_sqlite, sqlite_path

    settings = settings_from(ctx)
    source = sqlite_path(settings.database_url)
    if source is None:
        # The password stays out of the command (pg_dump reads PGPASSWORD or ~/.pgpass).
        url = make_url(settings.database_url).set(drivername="postgresql")
        url = url._replace(password=None)  # URL.set cannot clear a field
        command = f"pg_dump -Fc --dbname='{url.render_as_string(hide_password=False)}' -f {path}"
        raise UserError("cli.db_backup_postgres", command=command)
    if not source.is_file():
        raise UserError("cli.db_backup_no_database", path=str(source))
    if path.exists() and not force:
        raise UserError("cli.db_backup_exists", path=str(path))
    if path.resolve() == source.resolve():
        raise UserError("cli.db_backup_same_file", path=str(path))
    try:
        size = backup_sqlite(source, path)
    except BackupError as exc:
        raise UserError("cli.db_backup_failed", reason=exc.reason) from None
    except (sqlite3.Error, OSError) as exc:
        raise UserError("cli.db_backup_failed", reason=str(exc)) from None
    echo("cli.db_backed_up", path=str(path), size=f"{size / 1024 / 1024:.1f} MB")
