"""Serving on Telegram: a channel (python-telegram-bot or aiogram), the core, the delivery.

:class:`TelegramService` wires one process: updates from the channel go to ``App.handle``;
its replies go out through :class:`~bot.delivery.LimitedSender` (same limiter as the
outbox); an :class:`~bot.delivery.OutboxWorker` drains the outbox. On start the command
menus are set (setMyCommands): members' commands by default, the safe ones for groups, and
a richer list per secretariat chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal

from sqlmodel import col, select

from bot.app import App, build_app
from bot.channels.telegram import PLATFORM, CommandMenus, TelegramChannel, TelegramConfig
from bot.delivery import (
    SYSTEM_CLOCK,
    Clock,
    LimitedSender,
    Limits,
    OutboxWorker,
    RateLimiter,
)
from bot.domain.roles import Role, parse_roles
from bot.errors import ChannelError, ConfigError
from bot.log_redaction import register_secrets
from bot.serving import beside_the_channels, ready_to_serve
from bot.settings import Settings
from bot.types import Incoming
from storage.tables import Identity, Member

__all__ = ["TelegramService", "command_menus", "make_channel", "serve_telegram"]

log = logging.getLogger(__name__)
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


def make_channel(library: str, config: TelegramConfig) -> TelegramChannel:
    register_secrets(config.token, config.webhook.secret if config.webhook else None)
    if library == "ptb":
        from bot.channels.ptb import PtbChannel

        return PtbChannel(config=config)
    if library == "aiogram":
        from bot.channels.aiogram import AiogramChannel

        return AiogramChannel(config=config)
    raise ConfigError("config.unknown_channel", library=library)


async def command_menus(app: App) -> CommandMenus:
    catalogue = app.services.catalogue
    router = app.router

    def listing(roles: frozenset[Role], *, groups: bool = False) -> list[tuple[str, str]]:
        out = []
        for spec in router.menu_commands(roles):
            name = spec.name.lstrip("/")
            if _COMMAND_NAME.match(name) and (spec.in_groups or not groups):
                out.append((name, catalogue.s(spec.menu or "")[:256]))
        return out

    members = frozenset({Role.MEMBER})
    per_chat: dict[int, list[tuple[str, str]]] = {}
    async with app.db.session() as session:
        rows = await session.exec(
            select(Identity.chat_id, Member.roles)
            .join(Member, col(Member.id) == col(Identity.member_id))
            .where(Identity.platform == PLATFORM, Member.status == "active")
        )
        for chat_id, roles in rows:
            parsed = parse_roles(roles)
            if parsed & {Role.SECRETARIAT, Role.ADMIN}:
                per_chat[int(chat_id)] = listing(parsed)
    return CommandMenus(
        default=listing(members), groups=listing(members, groups=True), per_chat=per_chat
    )


class TelegramService:
    def __init__(
        self,
        *,
        app: App,
        channel: TelegramChannel,
        clock: Clock = SYSTEM_CLOCK,
        limiter: RateLimiter | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.app = app
        self.channel = channel
        self.limiter = limiter or RateLimiter(Limits.from_settings(app.settings), clock=clock)
        self.replies = LimitedSender(
            sender=channel, platform=channel.platform, limiter=self.limiter, db=app.db, clock=clock
        )
        self.worker = OutboxWorker(
            db=app.db,
            senders={channel.platform: channel},
            limiter=self.limiter,
            clock=clock,
            worker_id=worker_id,
        )
        app.services.wake_delivery = self.worker.wake
        app.services.show_typing = self._typing
        self._stop = asyncio.Event()
        self._worker_task: asyncio.Task[None] | None = None

    async def _typing(self, incoming: Incoming) -> None:
        await self.channel.show_typing(incoming.chat_id)

    async def on_update(self, incoming: Incoming) -> None:
        for reply in await self.app.handle(incoming):
            await self.replies.send(incoming.chat_id, reply, in_reply_to=incoming)

    async def start(self) -> None:
        await ready_to_serve(self.app)
        await self.channel.start(self.on_update)
        try:
            await self.channel.set_commands(await command_menus(self.app))
        except Exception:  # a menu is a convenience: the bot serves without it
            log.exception("setMyCommands failed")
        self._worker_task = asyncio.create_task(self.worker.run(self._stop))

    async def stop(self) -> None:
        self._stop.set()
        await self.channel.stop()
        if self._worker_task is not None:
            await self._worker_task


async def serve_telegram(
    settings: Settings, *, library: str, webhook: str | None, listen: str
) -> None:
    config = TelegramConfig.from_settings(settings, webhook=webhook, listen=listen)
    channel = make_channel(library, config)
    app = await build_app(settings=settings)
    service = TelegramService(app=app, channel=channel)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await service.start()
    except ChannelError as exc:
        await app.db.dispose()
        # One line for the IT person, not a traceback: wrong URL, token or no network.
        where = settings.telegram_api_url or "https://api.telegram.org"
        raise ConfigError("config.api_unreachable", where=where, reason=exc) from exc
    try:
        async with beside_the_channels(app, stop):
            log.info(
                "serving on Telegram with %s (%s)", library, "webhook" if webhook else "polling"
            )
            await stop.wait()
    finally:
        await service.stop()
        await app.db.dispose()
