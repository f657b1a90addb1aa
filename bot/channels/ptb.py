"""The python-telegram-bot channel (PTB 22): the only module that imports ``telegram``.

PTB supplies the HTTP client (``telegram.Bot``) and long polling (``telegram.ext.Updater``);
everything members see is decided in ``bot/channels/telegram.py``, shared with aiogram.
Library exceptions become ``bot.errors`` through :attr:`PtbChannel.error_statuses` only.

The Updater fetches and confirms updates but never parses them: PTB parses a whole
getUpdates batch at once, so one update it cannot read (a newer API version's shape) failed
every poll and the offset never moved. :class:`_Bot` keeps each update's JSON aside and
hands the Updater bare ``Update(update_id)`` objects; the JSON goes to the shared reader,
which skips what it cannot read, as in webhook mode.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any, Literal

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
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

from bot.channels.telegram import (
    ALLOWED_UPDATES,
    TelegramChannel,
    TelegramConfig,
    note_accepted,
    polled_update_id,
)
from bot.types import OutDocument

__all__ = ["PtbChannel"]

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
            update_id = polled_update_id(update)
            if update_id is None:
                continue
            self._raw_updates[update_id] = update
            bare.append({"update_id": update_id})
        return bare


class PtbChannel(TelegramChannel):
    # The one place PTB exceptions are read: the status each stands for (429 by _retry_after).
    error_statuses = (
        (tg_error.Forbidden, 403),
        (tg_error.BadRequest, 400),
        (tg_error.Conflict, 409),
        (tg_error.InvalidToken, 401),
    )

    def __init__(self, *, config: TelegramConfig, concurrency: int = 64) -> None:
        super().__init__(config=config, concurrency=concurrency)
        api = config.api_url or "https://api.telegram.org"
        self.bot = _Bot(
            config.token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            request=_Request(connection_pool_size=concurrency + 8),
            get_updates_request=HTTPXRequest(read_timeout=40),
        )
        self._updater: Updater | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._queue: asyncio.Queue[object] | None = None

    async def _get_me(self) -> str | None:
        await self.bot.initialize()
        return self.bot.username

    async def _set_webhook(self, url: str, secret: str, allowed_updates: list[str]) -> None:
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=allowed_updates)

    async def _delete_webhook(self) -> None:
        await self.bot.delete_webhook()

    async def _start_polling(self) -> None:
        queue: asyncio.Queue[object] = asyncio.Queue()
        self._queue = queue
        self._updater = Updater(bot=self.bot, update_queue=queue)
        await self._updater.initialize()
        await self._updater.start_polling(
            timeout=self.config.poll_timeout, allowed_updates=ALLOWED_UPDATES
        )
        self._consumer = asyncio.create_task(self._consume(queue))

    async def _stop_polling(self) -> None:
        if self._updater is not None and self._updater.running:
            await self._updater.stop()
        if self._consumer is not None and self._queue is not None:
            # Updates already fetched were confirmed to Telegram: handle them, do not drop them.
            self._queue.put_nowait(_STOP)
            with contextlib.suppress(asyncio.CancelledError):
                await self._consumer

    async def _close(self) -> None:
        if self._updater is not None:
            await self._updater.shutdown()
        await self.bot.shutdown()

    async def _consume(self, queue: asyncio.Queue[object]) -> None:
        while True:
            update = await queue.get()
            if update is _STOP:
                return
            if isinstance(update, Update):
                await self._hand_out(self.bot.take_raw(update))

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
            reply_markup=self._markup(markup),
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

        return await self._guard(fetch(), None)

    async def _set_my_commands(
        self, items: list[tuple[str, str]], scope: Literal["default", "groups"] | int
    ) -> None:
        where: BotCommandScope = (
            BotCommandScopeDefault()
            if scope == "default"
            else BotCommandScopeAllGroupChats()
            if scope == "groups"
            else BotCommandScopeChat(scope)
        )
        commands = [BotCommand(name, description) for name, description in items]
        await self.bot.set_my_commands(commands, scope=where)

    def _markup(self, markup: dict[str, Any] | None) -> Any:
        if markup is None:
            return None
        if "inline_keyboard" in markup:
            return InlineKeyboardMarkup.de_json(markup, self.bot)
        if "keyboard" in markup:
            return ReplyKeyboardMarkup.de_json(markup, self.bot)
        return ReplyKeyboardRemove()

    def _retry_after(self, exc: Exception) -> float | None:
        if not isinstance(exc, tg_error.RetryAfter):
            return None
        # ``_retry_after`` is always a timedelta; the public property warns in PTB 22.
        wait = getattr(exc, "_retry_after", None) or exc.retry_after
        return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
