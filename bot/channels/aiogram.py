"""The aiogram 3 channel: the only module that imports ``aiogram``.

aiogram supplies the HTTP client (``Bot`` over its aiohttp session, its method and update
models); everything members see is decided in ``bot/channels/telegram.py``, shared with
python-telegram-bot. Library exceptions become ``bot.errors`` in
:meth:`AiogramChannel.translate` only.

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
from typing import Any

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
    BufferedInputFile,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.base import UpdateHandler
from bot.channels.telegram import (
    CommandMenus,
    TelegramChannel,
    TelegramConfig,
    WebhookReceiver,
    channel_error,
    note_accepted,
)
from bot.delivery.backoff import RetryPolicy
from bot.errors import ChannelError, ConfigError
from bot.types import OutDocument

__all__ = ["AiogramChannel"]

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]


class _RawGetUpdates(GetUpdates):
    """getUpdates answered as plain JSON objects, each read (or skipped) on its own."""

    __returning__ = list[Any]  # type: ignore[assignment]


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
    def __init__(self, *, config: TelegramConfig, concurrency: int = 64) -> None:
        super().__init__(config=config)
        session = _Session(limit=concurrency + 8)
        if config.api_url:
            session.api = TelegramAPIServer.from_base(config.api_url)
        self.bot = Bot(config.token, session=session, default=DefaultBotProperties(parse_mode=None))
        self._receiver: WebhookReceiver | None = None
        self._polling: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[asyncio.Task[Any]] = set()

    async def start(self, on_update: UpdateHandler) -> None:
        self._on_update = on_update
        try:
            me = await self.bot.get_me()
        except ag_error.TelegramUnauthorizedError as exc:
            raise ConfigError("Telegram refused COMMITTEE_BOT_TELEGRAM_TOKEN") from exc
        except Exception as exc:
            raise self.translate(exc, None) from exc
        self.username = me.username
        hook = self.config.webhook
        if hook is not None:
            self._receiver = WebhookReceiver(config=hook, handle=self.handle_raw)
            await self._receiver.start()
            await self._guard(
                self.bot.set_webhook(
                    url=hook.url, secret_token=hook.secret, allowed_updates=ALLOWED_UPDATES
                ),
                None,
            )
            return
        await self._guard(self.bot.delete_webhook(), None)
        self._polling = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._polling is not None:
            # Updates not yet handed out stay unconfirmed: Telegram sends them again.
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
        if self._running:  # confirmed to Telegram already: let them finish
            await asyncio.wait(self._running, timeout=10)
        if self._receiver is not None:
            await self._receiver.stop()
        await self.bot.session.close()

    async def _poll(self) -> None:
        """Fetch, hand each update to a task of its own (at most ``concurrency`` at once;
        the core keeps one chat's updates in order), fetch again; through any failure."""
        timeout = self.config.poll_timeout
        # Wait longer than Telegram holds the request, or every quiet poll would time out.
        wait = int((self.bot.session.timeout or 60) + timeout)
        offset: int | None = None
        failures = 0
        while True:
            fetch = _RawGetUpdates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
            try:
                updates = await self.bot(fetch, request_timeout=wait)
            except Exception as exc:  # the API or the network: try again, never give up
                failures += 1
                pause = _POLL_RETRY.delay(failures)
                log.warning("getUpdates failed (%s); again in %.0f s", exc, pause)
                await asyncio.sleep(pause)
                continue
            failures = 0
            for update in updates:
                update_id = update.get("update_id") if isinstance(update, dict) else None
                if not isinstance(update_id, int) or isinstance(update_id, bool):
                    log.warning("getUpdates item skipped: it has no update_id")
                    continue
                await self._slots.acquire()
                offset = update_id + 1
                task = asyncio.create_task(self._run_one(update))
                self._running.add(task)
                task.add_done_callback(self._running.discard)

    async def _run_one(self, update: dict[str, Any]) -> None:
        try:
            await self.handle_raw(update)
        except Exception:
            log.exception("update %s failed", update.get("update_id"))
        finally:
            self._slots.release()

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
            return buffer.getvalue()

        return await self._guard(fetch(), None)  # type: ignore[no-any-return]

    async def set_commands(self, menus: CommandMenus) -> None:
        def commands(items: list[tuple[str, str]]) -> list[BotCommand]:
            return [BotCommand(command=name, description=text) for name, text in items]

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
                self.bot.set_my_commands(
                    commands(items), scope=BotCommandScopeChat(chat_id=chat_id)
                ),
                chat_id,
            )

    # -- the one place aiogram exceptions are translated -------------------------------------
    def translate(self, exc: Exception, chat_id: int | None) -> ChannelError:
        retry_after = None
        status = None
        if isinstance(exc, ag_error.TelegramRetryAfter):
            retry_after, status = float(exc.retry_after), 429
        elif isinstance(exc, ag_error.TelegramForbiddenError):
            status = 403
        elif isinstance(exc, ag_error.TelegramBadRequest | ag_error.TelegramNotFound):
            status = 400
        elif isinstance(exc, ag_error.TelegramConflictError):
            status = 409
        elif isinstance(exc, ag_error.TelegramUnauthorizedError):
            status = 401
        description = getattr(exc, "message", None) or str(exc)
        return channel_error(
            status=status, description=description, retry_after=retry_after, chat_id=chat_id
        )


def _markup(markup: dict[str, Any] | None) -> Any:
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        return InlineKeyboardMarkup.model_validate(markup)
    if "keyboard" in markup:
        return ReplyKeyboardMarkup.model_validate(markup)
    return ReplyKeyboardRemove()
