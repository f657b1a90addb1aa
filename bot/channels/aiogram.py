"""The aiogram 3 channel: the only module that imports ``aiogram``.

aiogram supplies the HTTP client (``Bot`` over its aiohttp session, its method and update
models); everything members see is decided in ``bot/channels/telegram.py``, shared with
python-telegram-bot. Library exceptions become ``bot.errors`` in
:attr:`AiogramChannel.error_statuses` only.

Long polling is a loop of ours over aiogram's ``GetUpdates`` rather than
``Dispatcher.start_polling``: the Dispatcher sends every update through its middlewares,
filters and FSM storage before our handler sees it, routing that the core does anyway, and
measured on the Telegram benchmark that cost a sixth of the CPU per update. The offset
works as the Dispatcher's does: a batch is confirmed to Telegram by the next getUpdates.
The batch is fetched as plain JSON (:class:`_RawGetUpdates`), not aiogram's models: one
update the models reject would fail the whole batch and stall the offset; the shared reader
skips such an update alone, as in webhook mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Literal

from aiogram import Bot
from aiogram import exceptions as ag_error
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatAction, ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetFile,
    GetUpdates,
    SendChatAction,
    SendDocument,
    SendMessage,
)
from aiogram.methods.base import Response, TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    BotCommandScopeUnion,
    BufferedInputFile,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.telegram import (
    ALLOWED_UPDATES,
    TelegramChannel,
    TelegramConfig,
    note_accepted,
    polled_update_id,
)
from bot.delivery.backoff import RetryPolicy
from bot.types import OutDocument

__all__ = ["AiogramChannel"]

log = logging.getLogger(__name__)


class _RawGetUpdates(GetUpdates):
    """getUpdates answered as plain JSON objects, each read (or skipped) on its own."""

    __returning__ = list[Any]


class _Session(AiohttpSession):
    """Tells the channel when Telegram answered 2xx: a failure after it is not a failed send."""

    def check_response(
        self, bot: Bot, method: TelegramMethod[Any], status_code: int, content: str
    ) -> Response[Any]:
        if 200 <= status_code <= 299:
            note_accepted()
        return super().check_response(bot, method, status_code, content)


# After a failed getUpdates: 1 s, doubling to a minute, for as long as it takes.
_POLL_RETRY = RetryPolicy(base_seconds=1.0, cap_seconds=60.0)
# aiogram parses each answer as ``Response[<method's result type>]``; pydantic keeps such
# generic classes only weakly, so ``Response[Message | bool]`` (editMessageText) was rebuilt
# on most edits, tens of milliseconds of CPU each. Holding them keeps pydantic's cache warm.
_RESPONSE_TYPES = [
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        SendMessage,
        EditMessageText,
        AnswerCallbackQuery,
        SendChatAction,
        SendDocument,
        _RawGetUpdates,
        GetFile,
    )
]


class AiogramChannel(TelegramChannel):
    # The one place aiogram exceptions are read: the status each stands for (429 by
    # _retry_after).
    error_statuses = (
        (ag_error.TelegramForbiddenError, 403),
        ((ag_error.TelegramBadRequest, ag_error.TelegramNotFound), 400),
        (ag_error.TelegramConflictError, 409),
        (ag_error.TelegramUnauthorizedError, 401),
    )

    def __init__(self, *, config: TelegramConfig, concurrency: int = 64) -> None:
        super().__init__(config=config, concurrency=concurrency)
        session = _Session(limit=concurrency + 8)
        if config.api_url:
            session.api = TelegramAPIServer.from_base(config.api_url)
        self.bot = Bot(config.token, session=session, default=DefaultBotProperties(parse_mode=None))
        self._polling: asyncio.Task[None] | None = None

    async def _get_me(self) -> str | None:
        return (await self.bot.get_me()).username

    async def _set_webhook(self, url: str, secret: str, allowed_updates: list[str]) -> None:
        await self.bot.set_webhook(url=url, secret_token=secret, allowed_updates=allowed_updates)

    async def _delete_webhook(self) -> None:
        await self.bot.delete_webhook()

    async def _start_polling(self) -> None:
        self._polling = asyncio.create_task(self._poll())

    async def _stop_polling(self) -> None:
        if self._polling is not None:
            # Updates not yet handed out stay unconfirmed: Telegram sends them again.
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling

    async def _close(self) -> None:
        await self.bot.session.close()

    async def _poll(self) -> None:
        """Fetch, hand each update out, fetch again; through any failure."""
        timeout = self.config.poll_timeout
        # Wait longer than Telegram holds the request, or every quiet poll would time out.
        wait = int((self.bot.session.timeout or 60) + timeout)
        offset: int | None = None
        failures = 0
        while True:
            fetch = _RawGetUpdates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
            try:
                updates: list[Any] = await self.bot(fetch, request_timeout=wait)
            except Exception as exc:  # the API or the network: try again, never give up
                failures += 1
                pause = _POLL_RETRY.delay(failures)
                log.warning("getUpdates failed (%s); again in %.0f s", exc, pause)
                await asyncio.sleep(pause)
                continue
            failures = 0
            for update in updates:
                update_id = polled_update_id(update)
                if update_id is None:
                    continue
                await self._hand_out(update)
                offset = update_id + 1

    # -- primitives ---------------------------------------------------------------------
    async def _send_text(self, chat_id: int, text: str, markup: dict[str, Any] | None) -> int:
        message = await self.bot.send_message(
            chat_id=chat_id, text=text, parse_mode=ParseMode.HTML, reply_markup=_markup(markup)
        )
        return message.message_id

    async def _edit_text(
        self, chat_id: int, message_id: int, text: str, markup: dict[str, Any] | None
    ) -> None:
        await self.bot.edit_message_text(
            text=text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(markup),
        )

    async def _send_document(
        self,
        chat_id: int,
        document: OutDocument,
        caption: str | None,
        markup: dict[str, Any] | None,
    ) -> int:
        message = await self.bot.send_document(
            chat_id=chat_id,
            document=BufferedInputFile(document.content, filename=document.file_name),
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(markup),
        )
        return message.message_id

    async def _answer_callback(self, query_id: str, toast: str | None) -> None:
        await self.bot.answer_callback_query(callback_query_id=query_id, text=toast)

    async def _chat_action(self, chat_id: int) -> None:
        await self.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)

    async def _download(self, file_id: str) -> bytes:
        async def fetch() -> bytes:
            file = await self.bot.get_file(file_id)
            assert file.file_path is not None
            buffer = await self.bot.download_file(file.file_path)
            assert buffer is not None
            return buffer.read()  # at the start: download_file seeks back

        return await self._guard(fetch(), None)

    async def _set_my_commands(
        self, items: list[tuple[str, str]], scope: Literal["default", "groups"] | int
    ) -> None:
        where: BotCommandScopeUnion = (
            BotCommandScopeDefault()
            if scope == "default"
            else BotCommandScopeAllGroupChats()
            if scope == "groups"
            else BotCommandScopeChat(chat_id=scope)
        )
        commands = [BotCommand(command=name, description=text) for name, text in items]
        await self.bot.set_my_commands(commands, scope=where)

    def _retry_after(self, exc: Exception) -> float | None:
        if isinstance(exc, ag_error.TelegramRetryAfter):
            return float(exc.retry_after)
        return None

    def _describe(self, exc: Exception) -> str:
        return getattr(exc, "message", None) or str(exc)


def _markup(markup: dict[str, Any] | None) -> Any:
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        return InlineKeyboardMarkup.model_validate(markup)
    if "keyboard" in markup:
        return ReplyKeyboardMarkup.model_validate(markup)
    return ReplyKeyboardRemove()
