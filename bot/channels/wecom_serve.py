"""Serving on WeCom, alone or beside Telegram in one process (``run --channel ptb,wecom``).

:class:`WeComService` wires the WeCom channel to the core as :class:`~bot.serve.
TelegramService` wires Telegram's: updates go to ``App.handle``; replies go out through a
:class:`~bot.delivery.LimitedSender` (retried in place, else queued in the outbox); an
:class:`~bot.delivery.OutboxWorker` for the ``wecom`` platform sends the outbox's pushes.

Limits: replies (``aibot_respond_msg``) and pushes (``aibot_send_msg``) are separate quotas
at WeCom, so each has its own limiter: pushes at ``COMMITTEE_BOT_WECOM_RATE_GLOBAL_PER_
SECOND`` over all chats and ``…_RATE_CHAT_PER_MINUTE`` per chat; replies only per chat, so
a broadcast never holds up an answer.

:func:`serve_channels` runs one core for several channels: one ``App``, one scheduler, one
outbox worker per platform (each claims only its platform's rows), the outbox's wake-up and
the typing hint passed to every channel.

Files without the WeCom application: with ``COMMITTEE_BOT_PUBLIC_URL`` set, the channel
links to ``/files/{token}`` (bot/web/files.py), served by the web console: ``run`` serves it
when ``COMMITTEE_BOT_WEB_LISTEN`` is set, or a ``committee-bot web`` beside it on the same
database does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence
from typing import Any

from bot.app import App, build_app
from bot.channels.wecom import PLATFORM, FileLinker, WeComChannel, WeComConfig
from bot.delivery import SYSTEM_CLOCK, Clock, LimitedSender, Limits, OutboxWorker, RateLimiter
from bot.errors import ChannelError, ConfigError
from bot.serving import beside_the_channels, ready_to_serve
from bot.settings import Settings
from bot.types import Incoming

__all__ = [
    "CHANNELS",
    "WeComService",
    "channel_services",
    "file_links",
    "push_limits",
    "serve_channels",
]

log = logging.getLogger(__name__)
CHANNELS = ("ptb", "aiogram", "wecom")


def push_limits(settings: Settings) -> Limits:
    return Limits(
        global_per_second=settings.wecom_rate_global_per_second,
        chat_per_second=settings.wecom_rate_chat_per_minute / 60.0,
        chat_burst=3,
        group_per_minute=max(1, int(settings.wecom_rate_chat_per_minute)),
        global_burst=3,
    )


# Replies answer a member's own message or click (WeCom ties each to its callback), so the
# member's pace bounds them; this only keeps a runaway loop from flooding one chat.
REPLY_LIMITS = Limits(
    global_per_second=1000.0, chat_per_second=30.0, chat_burst=30, group_per_minute=600
)


class WeComService:
    def __init__(
        self,
        *,
        app: App,
        channel: WeComChannel,
        clock: Clock = SYSTEM_CLOCK,
        limiter: RateLimiter | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.app = app
        self.channel = channel
        self.limiter = limiter or RateLimiter(push_limits(app.settings), clock=clock)
        self.replies = LimitedSender(
            sender=channel,
            platform=PLATFORM,
            limiter=RateLimiter(REPLY_LIMITS, clock=clock),
            db=app.db,
            clock=clock,
        )
        self.worker = OutboxWorker(
            db=app.db,
            senders={PLATFORM: channel},
            limiter=self.limiter,
            clock=clock,
            worker_id=worker_id,
        )
        app.services.wake_delivery = self.worker.wake
        self._stop = asyncio.Event()
        self._worker_task: asyncio.Task[None] | None = None

    async def on_update(self, incoming: Incoming) -> None:
        for reply in await self.app.handle(incoming):
            await self.replies.send(incoming.chat_id, reply, in_reply_to=incoming)

    async def start(self) -> None:
        await ready_to_serve(self.app)
        await self.channel.start(self.on_update)
        self._worker_task = asyncio.create_task(self.worker.run(self._stop))

    async def stop(self) -> None:
        self._stop.set()
        await self.channel.stop()
        if self._worker_task is not None:
            await self._worker_task


def file_links(app: App) -> FileLinker | None:
    """Signed download links for files, when COMMITTEE_BOT_PUBLIC_URL says where."""
    base = app.settings.public_url
    if not base:
        return None
    from bot.web.files import FileLinks

    if not app.settings.web_listen:
        log.warning("file links at %s/files/ need a web console there (committee-bot web)", base)
    return FileLinks(db=app.db, signer=app.services.signer, base_url=base, clock=app.services.clock)


def channel_services(
    app: App, names: Sequence[str], settings: Settings, **telegram: Any
) -> list[Any]:
    from bot.serve import TelegramService, make_channel

    services: list[Any] = []
    for name in names:
        if name == "wecom":
            config = WeComConfig.from_settings(settings)
            channel = WeComChannel(config=config, file_links=file_links(app))
            services.append(WeComService(app=app, channel=channel))
        else:
            from bot.channels.telegram import TelegramConfig

            tg = TelegramConfig.from_settings(settings, **telegram)
            services.append(TelegramService(app=app, channel=make_channel(name, tg)))
    wakes = [service.worker.wake for service in services]
    typing = {
        service.channel.platform: service.channel
        for service in services
        if hasattr(service.channel, "show_typing")
    }

    def wake_all() -> None:
        for wake in wakes:
            wake()

    async def show_typing(incoming: Incoming) -> None:
        channel = typing.get(incoming.platform)
        if channel is not None:
            await channel.show_typing(incoming.chat_id)

    app.services.wake_delivery = wake_all
    app.services.show_typing = show_typing
    return services


def check_channels(names: Sequence[str], settings: Settings, **telegram: Any) -> None:
    """Every channel's settings, checked before anything starts (one clear line)."""
    from bot.channels.telegram import TelegramConfig

    if len(set(names)) != len(names) or {"ptb", "aiogram"} <= set(names):
        raise ConfigError(f"--channel {','.join(names)}: each platform at most once")
    if telegram.get("webhook") and not {"ptb", "aiogram"} & set(names):
        raise ConfigError("config.webhook_needs_telegram")
    for name in names:
        if name not in CHANNELS:
            raise ConfigError(f"unknown channel {name!r} (expected {', '.join(CHANNELS)})")
        if name == "wecom":
            WeComConfig.from_settings(settings)
        else:
            TelegramConfig.from_settings(settings, **telegram)


async def serve_channels(
    settings: Settings, names: Sequence[str], *, webhook: str | None, listen: str
) -> None:
    """Serves every channel in ``names`` over one core until SIGINT/SIGTERM."""
    check_channels(names, settings, webhook=webhook, listen=listen)
    app = await build_app(settings=settings)
    services = channel_services(app, names, settings, webhook=webhook, listen=listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    started: list[Any] = []
    try:
        for service in services:
            await service.start()
            started.append(service)
    except (ChannelError, ConfigError) as exc:
        for service in started:
            await service.stop()
        await app.db.dispose()
        if isinstance(exc, ConfigError):
            raise
        where = settings.telegram_api_url or "https://api.telegram.org"
        raise ConfigError(f"cannot reach the Telegram Bot API at {where}: {exc}") from exc
    try:
        async with beside_the_channels(app, stop):
            log.info("serving on %s", ", ".join(names))
            await stop.wait()
    finally:
        for service in started:
            await service.stop()
        await app.db.dispose()
