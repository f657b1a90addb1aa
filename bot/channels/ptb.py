"""The python-telegram-bot channel (PTB 22): the only module that imports ``telegram``.

PTB supplies the HTTP client (``telegram.Bot``) and long polling (``telegram.ext.Updater``);
everything members see is decided in ``bot/channels/telegram.py``, shared with aiogram.
Library exceptions become ``bot.errors`` in :meth:`PtbChannel.translate` only.

The Updater fetches and confirms updates but never parses them: PTB parses a whole
getUpdates batch at once, so one update it cannot read (a newer API version's shape) failed
every poll and the offset never moved. :class:`_Bot` keeps each update's JSON aside and
hands the Updater bare ``Update(update_id)`` objects; the JSON goes to the shared reader,
which skips what it cannot read, as in webhook mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram import error as tg_error
from telegram.constants import ChatAction, ParseMode
from telegram.ext import Updater
from telegram.request import HTTPXRequest

from bot.channels.base import UpdateHandler
from bot.channels.telegram import (
    CommandMenus,
    TelegramChannel,
    TelegramConfig,
    WebhookReceiver,
    channel_error,
    note_accepted,
)
from bot.errors import ChannelError, ConfigError
from bot.types import OutDocument

__all__ = ["PtbChannel"]

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
_STOP = object()  # queued after the last update on stop


class _Request(HTTPXRequest):
    """Tells the channel when Telegram answered 2xx: a failure after it is not a failed send."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if 200 <= code <= 299:
            note_accepted()
        return code, payload


class _Bot(Bot):
    """A Bot whose getUpdates keeps each update's JSON for the channel (:meth:`take_raw`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._raw_updates: dict[int, dict[str, Any]] = {}  # PTB lets only _names be set

    def take_raw(self, update: Update) -> dict[str, Any]:
        return self._raw_updates.pop(update.update_id, None) or update.to_dict()

    async def _post(self, endpoint: str, data: Any = None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        bare = []
        for update in result:
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                log.warning("getUpdates item skipped: it has no update_id")
                continue
            self._raw_updates[update_id] = update
            bare.append({"update_id": update_id})
        return bare


class PtbChannel(TelegramChannel):
    def __init__(self, *, config: TelegramConfig, concurrency: int = 64) -> None:
        super().__init__(config=config)
        api = config.api_url or "https://api.telegram.org"
        self.bot = _Bot(
            config.token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            request=_Request(connection_pool_size=concurrency + 8),
            get_updates_request=HTTPXRequest(read_timeout=40),
        )
        self._updater: Updater | None = None
        self._receiver: WebhookReceiver | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._queue: asyncio.Queue[object] | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[asyncio.Task[None]] = set()

    async def start(self, on_update: UpdateHandler) -> None:
        self._on_update = on_update
        try:
            await self.bot.initialize()  # getMe: a revoked token fails here, clearly
        except tg_error.InvalidToken as exc:
            raise ConfigError("Telegram refused COMMITTEE_BOT_TELEGRAM_TOKEN") from exc
        except tg_error.TelegramError as exc:
            raise self.translate(exc, None) from exc
        self.username = self.bot.username
        hook = self.config.webhook
        if hook is not None:
            self._receiver = WebhookReceiver(config=hook, handle=self.handle_raw)
            await self._receiver.start()
            await self._guard(
                self.bot.set_webhook(
                    hook.url, secret_token=hook.secret, allowed_updates=ALLOWED_UPDATES
                ),
                None,
            )
            return
        await self._guard(self.bot.delete_webhook(), None)
        queue: asyncio.Queue[object] = asyncio.Queue()
        self._queue = queue
        self._updater = Updater(bot=self.bot, update_queue=queue)
        await self._updater.initialize()
        await self._updater.start_polling(
            timeout=self.config.poll_timeout, allowed_updates=ALLOWED_UPDATES
        )
        self._consumer = asyncio.create_task(self._consume(queue))

    async def stop(self) -> None:
        if self._updater is not None and self._updater.running:
            await self._updater.stop()
        if self._consumer is not None and self._queue is not None:
            # Updates already fetched were confirmed to Telegram: handle them, do not drop them.
            self._queue.put_nowait(_STOP)
            with contextlib.suppress(asyncio.CancelledError):
                await self._consumer
        if self._running:
            await asyncio.wait(self._running, timeout=10)
        if self._receiver is not None:
            await self._receiver.stop()
        if self._updater is not None:
            await self._updater.shutdown()
        await self.bot.shutdown()

    async def _consume(self, queue: asyncio.Queue[object]) -> None:
        """Each update runs in its own task; the core keeps one chat's updates in order."""
        while True:
            update = await queue.get()
            if update is _STOP:
                return
            if not isinstance(update, Update):
                continue
            raw = self.bot.take_raw(update)
            await self._slots.acquire()
            task = asyncio.create_task(self._run_one(raw))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _run_one(self, raw: dict[str, Any]) -> None:
        try:
            await self.handle_raw(raw)
        except Exception:
            log.exception("update %s failed", raw.get("update_id"))
        finally:
            self._slots.release()

    # -- primitives ---------------------------------------------------------------------
    async def _send_text(self, chat_id: int, text: str, markup: dict[str, Any] | None) -> int:
        message = await self.bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=self._markup(markup)
        )
        return message.message_id

    async def _edit_text(
        self, chat_id: int, message_id: int, text: str, markup: dict[str, Any] | None
    ) -> None:
        await self.bot.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=self._markup(markup),  # type: ignore[arg-type]
        )

    async def _send_document(
        self,
        chat_id: int,
        document: OutDocument,
        caption: str | None,
        markup: dict[str, Any] | None,
    ) -> int:
        message = await self.bot.send_document(
            chat_id,
            InputFile(document.content, filename=document.file_name),
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=self._markup(markup),
        )
        return message.message_id

    async def _answer_callback(self, query_id: str, toast: str | None) -> None:
        await self.bot.answer_callback_query(query_id, text=toast)

    async def _chat_action(self, chat_id: int) -> None:
        await self.bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def _download(self, file_id: str) -> bytes:
        async def fetch() -> bytes:
            file = await self.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())

        return await self._guard(fetch(), None)  # type: ignore[no-any-return]

    async def set_commands(self, menus: CommandMenus) -> None:
        def commands(items: list[tuple[str, str]]) -> list[BotCommand]:
            return [BotCommand(name, description) for name, description in items]

        await self._guard(
            self.bot.set_my_commands(commands(menus.default), scope=BotCommandScopeDefault()),
            None,
        )
        await self._guard(
            self.bot.set_my_commands(commands(menus.groups), scope=BotCommandScopeAllGroupChats()),
            None,
        )
        for chat_id, items in menus.per_chat.items():
            await self._guard(
                self.bot.set_my_commands(commands(items), scope=BotCommandScopeChat(chat_id)),
                chat_id,
            )

    def _markup(self, markup: dict[str, Any] | None) -> Any:
        if markup is None:
            return None
        if "inline_keyboard" in markup:
            return InlineKeyboardMarkup.de_json(markup, self.bot)
        if "keyboard" in markup:
            return ReplyKeyboardMarkup.de_json(markup, self.bot)
        return ReplyKeyboardRemove()

    # -- the one place PTB exceptions are translated -----------------------------------------
    def translate(self, exc: Exception, chat_id: int | None) -> ChannelError:
        retry_after = None
        status = None
        if isinstance(exc, tg_error.RetryAfter):
            # ``_retry_after`` is always a timedelta; the public property warns in PTB 22.
            wait = getattr(exc, "_retry_after", None) or exc.retry_after
            retry_after = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            status = 429
        elif isinstance(exc, tg_error.Forbidden):
            status = 403
        elif isinstance(exc, tg_error.BadRequest):
            status = 400
        elif isinstance(exc, tg_error.Conflict):
            status = 409
        elif isinstance(exc, tg_error.InvalidToken):
            status = 401
        return channel_error(
            status=status, description=str(exc), retry_after=retry_after, chat_id=chat_id
        )
