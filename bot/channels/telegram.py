"""What the two Telegram channels share, on plain Bot API JSON (no platform library here).

``ptb.py`` and ``aiogram.py`` differ only in how they talk HTTP and receive updates; both
hand the raw update JSON to :func:`incoming_from_update` and build their library's reply
markup from :func:`reply_markup`, so members see the same bot on either. The shared sending
logic (typing indicator, edit in place with fallback, callback answers, documents) lives in
:class:`TelegramChannel`; a library module implements its few abstract primitives and maps
its exceptions with :func:`channel_error`.

What reaches the core, exactly (the guarantee each receiving mode gives):

* Webhook mode: at least once in, exactly once handled. :class:`WebhookReceiver` answers
  200 only after ``App.handle`` committed the update, so a process that dies mid-update gets
  it pushed again; the ``processed_update`` row (unique update id, written in the same
  transaction as the handler's changes) turns every repeat, in this or another process,
  into a no-op. Nothing is lost, nothing is done twice.
* Long polling: at most once. Both pollers (PTB's ``Updater``; for aiogram a loop of ours
  over its ``GetUpdates``, see aiogram.py) ask for the next batch, with ``offset`` = last
  id + 1, as soon as the previous batch is handed out for handling, and that ``offset`` is
  what tells Telegram to forget the batch. If the process is killed (SIGKILL, power loss)
  after that request and before an update's transaction commits, that update is gone: at
  most the updates in flight at that instant (up to the channel's ``concurrency``, 64, plus
  those still queued from the last batch, at most 100). A clean stop (SIGTERM, SIGINT)
  waits (up to 10 s) for the updates in flight; PTB's channel also handles those already
  fetched, aiogram's leaves them unconfirmed, so Telegram sends them again at the next
  start. An update that committed is never handled twice (same ``processed_update`` row).
  Deployments that need nothing lost across a hard crash run in webhook mode. Closing the
  gap in polling mode means advancing ``offset`` only past handled updates, which makes
  one slow update (a model's answer) hold up every later one.
"""

from __future__ import annotations

import abc
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.channels.base import Channel, UpdateHandler
from bot.errors import ChannelError, ConfigError, RetryAfter, TransientError, Unreachable
from bot.settings import TOKEN_RE, Settings
from bot.text import render
from bot.types import Incoming, InDocument, Reply, SentMessage

__all__ = [
    "PLATFORM",
    "CommandMenus",
    "TelegramChannel",
    "TelegramConfig",
    "WebhookConfig",
    "channel_error",
    "incoming_from_update",
    "reply_markup",
]

log = logging.getLogger(__name__)

PLATFORM = "telegram"
TELEGRAM_TEXT_LIMIT = 4096
_UNSUPPORTED = (
    "photo",
    "sticker",
    "voice",
    "video",
    "video_note",
    "audio",
    "animation",
    "location",
    "venue",
    "poll",
    "dice",
    "game",
)
# Descriptions Telegram gives for chats the bot can no longer write to.
_GONE = re.compile(
    r"bot was blocked|user is deactivated|bot was kicked|chat not found|"
    r"not enough rights to send|bot is not a member|have no rights to send",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookConfig:
    url: str
    host: str
    port: int
    secret: str
    path: str = "/telegram"


@dataclass(frozen=True, slots=True, kw_only=True)
class TelegramConfig:
    token: str
    api_url: str | None
    max_upload_bytes: int
    webhook: WebhookConfig | None = None
    poll_timeout: int = 10  # getUpdates long-poll seconds; also bounds how long stop() waits

    @classmethod
    def from_settings(
        cls, settings: Settings, *, webhook: str | None = None, listen: str = "0.0.0.0:8443"
    ) -> TelegramConfig:
        """Checks everything a start needs; a bad value fails here with one clear line."""
        if settings.telegram_token is None:
            raise ConfigError("COMMITTEE_BOT_TELEGRAM_TOKEN is not set")
        token = settings.telegram_token.get_secret_value()
        if not TOKEN_RE.match(token):
            raise ConfigError("COMMITTEE_BOT_TELEGRAM_TOKEN does not look like a bot token")
        api_url = settings.telegram_api_url
        if api_url and not api_url.startswith(("http://", "https://")):
            raise ConfigError("COMMITTEE_BOT_TELEGRAM_API_URL must start with http:// or https://")
        hook = None
        if webhook:
            if not webhook.startswith(("https://", "http://")):
                raise ConfigError("--webhook must be an https:// URL")
            host, _, port = listen.rpartition(":")
            if not host or not port.isdigit():
                raise ConfigError(f"--listen must be host:port, got {listen!r}")
            secret = (
                settings.webhook_secret.get_secret_value()
                if settings.webhook_secret
                # Every process of a deployment derives the same secret from the token.
                else hashlib.sha256(b"webhook:" + token.encode()).hexdigest()[:48]
            )
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
                raise ConfigError("COMMITTEE_BOT_WEBHOOK_SECRET may hold only A-Z a-z 0-9 _ -")
            path = "/" + (webhook.split("://", 1)[1].partition("/")[2] or "telegram")
            hook = WebhookConfig(url=webhook, host=host, port=int(port), secret=secret, path=path)
        return cls(
            token=token,
            api_url=api_url.rstrip("/") if api_url else None,
            max_upload_bytes=settings.max_upload_bytes,
            webhook=hook,
        )


@dataclass(frozen=True, slots=True)
class CommandMenus:
    """setMyCommands lists: (command without slash, Chinese description)."""

    default: list[tuple[str, str]]
    groups: list[tuple[str, str]]
    per_chat: dict[int, list[tuple[str, str]]]


# -- updates in -------------------------------------------------------------------
Downloader = Callable[[str], Awaitable[bytes]]


async def incoming_from_update(
    update: dict[str, Any], *, download: Downloader, max_bytes: int
) -> Incoming | None:
    """The core's view of one Bot API update; None for updates the bot ignores."""
    update_id = int(update["update_id"])
    query = update.get("callback_query")
    if query is not None:
        message = query.get("message") or {}
        chat = message.get("chat") or {"id": query["from"]["id"], "type": "private"}
        return Incoming(
            platform=PLATFORM,
            user_id=int(query["from"]["id"]),
            chat_id=int(chat["id"]),
            kind="action",
            action=str(query.get("data") or ""),
            update_id=update_id,
            message_id=message.get("message_id"),
            chat_type=_chat_type(chat),
            display_name=_name(query["from"]),
        )
    message = update.get("message")
    if message is None or "from" not in message:
        return None  # edits, channel posts, membership changes: nothing to answer
    base: dict[str, Any] = {
        "platform": PLATFORM,
        "user_id": int(message["from"]["id"]),
        "chat_id": int(message["chat"]["id"]),
        "update_id": update_id,
        "message_id": message.get("message_id"),
        "chat_type": _chat_type(message["chat"]),
        "display_name": _name(message["from"]),
    }
    if "text" in message:
        return Incoming(kind="text", text=str(message["text"]), **base)
    if "contact" in message:
        contact = message["contact"]
        return Incoming(
            kind="contact",
            contact_phone=str(contact.get("phone_number") or ""),
            contact_user_id=contact.get("user_id"),
            **base,
        )
    if "document" in message:
        doc = message["document"]
        size = doc.get("file_size")
        content = None
        if size is None or int(size) <= max_bytes:
            content = await download(str(doc["file_id"]))
            if len(content) > max_bytes:
                content = None
        document = InDocument(
            file_name=str(doc.get("file_name") or "file"),
            content=content,
            mime_type=doc.get("mime_type"),
            size=size,
        )
        return Incoming(kind="document", document=document, text=message.get("caption"), **base)
    if any(key in message for key in _UNSUPPORTED):
        return Incoming(kind="unsupported", **base)
    return None


def _chat_type(chat: dict[str, Any]) -> Any:
    kind = chat.get("type")
    if kind == "private":
        return "private"
    return "channel" if kind == "channel" else "group"


def _name(user: dict[str, Any]) -> str:
    return " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)[:128]


# -- replies out ------------------------------------------------------------------
def reply_markup(reply: Reply) -> dict[str, Any] | None:
    """Inline keyboard for action/link buttons; a reply keyboard for the contact key."""
    if any(b.request_contact for row in reply.buttons for b in row):
        keyboard = [
            [{"text": render(b.label, "plain"), "request_contact": b.request_contact} for b in row]
            for row in reply.buttons
        ]
        return {"keyboard": keyboard, "resize_keyboard": True, "one_time_keyboard": True}
    if reply.buttons:
        rows = []
        for row in reply.buttons:
            out = []
            for b in row:
                button: dict[str, Any] = {"text": render(b.label, "plain")}
                if b.url:
                    button["url"] = b.url
                else:
                    button["callback_data"] = b.action or "noop"
                out.append(button)
            rows.append(out)
        return {"inline_keyboard": rows}
    if reply.remove_keyboard:
        return {"remove_keyboard": True}
    return None


def channel_error(
    *, status: int | None, description: str, retry_after: float | None, chat_id: int | None
) -> ChannelError:
    """The one mapping from a Telegram failure to our error tree (both libraries use it)."""
    if retry_after:
        return RetryAfter(float(retry_after), chat_id=chat_id)
    if status == 403 or _GONE.search(description):
        return Unreachable(description)
    if status is None or status >= 500 or status == 409:
        return TransientError(description)
    return ChannelError(description)


class TelegramChannel(Channel, abc.ABC):
    """Sending logic shared by both libraries; subclasses supply the HTTP primitives."""

    platform = PLATFORM
    markup = "html"

    def __init__(self, *, config: TelegramConfig) -> None:
        self.config = config
        self._on_update: UpdateHandler | None = None
        self._callbacks: dict[int, str] = {}  # update id -> callback query id, until answered

    # -- receiving: the library calls this with the raw update JSON -------------------
    async def handle_raw(self, update: dict[str, Any]) -> None:
        assert self._on_update is not None
        query = update.get("callback_query")
        if query is not None:
            self._callbacks[int(update["update_id"])] = str(query["id"])
        try:
            incoming = await incoming_from_update(
                update, download=self._download_checked, max_bytes=self.config.max_upload_bytes
            )
            if incoming is not None:
                await self._on_update(incoming)
        finally:
            query_id = self._callbacks.pop(int(update["update_id"]), None)
            if query_id is not None:  # no endless spinner, whatever happened
                await self._answer_quietly(query_id, None)

    async def _download_checked(self, file_id: str) -> bytes:
        try:
            return await self._download(file_id)
        except ChannelError:
            log.warning("could not fetch file %s", file_id)
            return b""

    # -- sending ------------------------------------------------------------------------
    async def send(
        self, chat_id: int, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage:
        if reply.typing:
            await self._guard(self._chat_action(chat_id), chat_id)
        if in_reply_to is not None and in_reply_to.kind == "action":
            query_id = self._callbacks.pop(in_reply_to.update_id or 0, None)
            if query_id is not None:
                toast = render(reply.toast, "plain")[:200] if reply.toast else None
                await self._answer_quietly(query_id, toast)
        text = render(reply.text, "html")
        markup = reply_markup(reply)
        if reply.document is not None:
            message_id = await self._guard(
                self._send_document(chat_id, reply.document, text[:1024] or None, markup), chat_id
            )
            return SentMessage(chat_id=chat_id, message_id=message_id)
        if len(text) > TELEGRAM_TEXT_LIMIT:
            text = text[: TELEGRAM_TEXT_LIMIT - 1] + "…"
        can_edit = markup is None or "inline_keyboard" in markup
        target = reply.edit_message_id or (
            in_reply_to.message_id if reply.edit and in_reply_to is not None else None
        )
        if target and can_edit:
            try:
                await self._guard(self._edit_text(chat_id, target, text, markup), chat_id)
                return SentMessage(chat_id=chat_id, message_id=target)
            except (RetryAfter, Unreachable, TransientError):
                raise
            except ChannelError as exc:
                if "not modified" in str(exc):
                    return SentMessage(chat_id=chat_id, message_id=target)
                log.info("edit impossible (%s); sending a new message", exc)
        message_id = await self._guard(self._send_text(chat_id, text, markup), chat_id)
        return SentMessage(chat_id=chat_id, message_id=message_id)

    async def _answer_quietly(self, query_id: str, toast: str | None) -> None:
        try:
            await self._guard(self._answer_callback(query_id, toast), None)
        except ChannelError as exc:  # an expired query is not worth failing the reply
            log.info("answerCallbackQuery failed: %s", exc)

    async def _guard(self, call: Awaitable[Any], chat_id: int | None) -> Any:
        """Runs a library call; its exceptions come out as bot.errors (see translate)."""
        try:
            return await call
        except ChannelError:
            raise
        except Exception as exc:
            raise self.translate(exc, chat_id) from exc

    # -- what each library provides --------------------------------------------------------
    @abc.abstractmethod
    def translate(self, exc: Exception, chat_id: int | None) -> ChannelError:
        """The library's exception as one of ours (use :func:`channel_error`)."""

    @abc.abstractmethod
    async def _send_text(self, chat_id: int, text: str, markup: dict[str, Any] | None) -> int: ...

    @abc.abstractmethod
    async def _edit_text(
        self, chat_id: int, message_id: int, text: str, markup: dict[str, Any] | None
    ) -> None: ...

    @abc.abstractmethod
    async def _send_document(
        self, chat_id: int, document: Any, caption: str | None, markup: dict[str, Any] | None
    ) -> int: ...

    @abc.abstractmethod
    async def _answer_callback(self, query_id: str, toast: str | None) -> None: ...

    @abc.abstractmethod
    async def _chat_action(self, chat_id: int) -> None: ...

    async def show_typing(self, chat_id: int) -> None:
        """The "typing…" hint while a slow answer is prepared."""
        await self._guard(self._chat_action(chat_id), chat_id)

    @abc.abstractmethod
    async def _download(self, file_id: str) -> bytes: ...

    @abc.abstractmethod
    async def set_commands(self, menus: CommandMenus) -> None:
        """setMyCommands for the default scope, group chats and each secretariat chat."""


class WebhookReceiver:
    """The webhook endpoint both channels use (plain aiohttp, so PTB needs no tornado).

    Telegram's secret header is checked first (401 otherwise). The update is handled before
    the 200 goes back: if the process dies mid-update Telegram pushes it again, and the
    core's record of update ids makes the second delivery a no-op once the first committed.
    """

    def __init__(
        self, *, config: WebhookConfig, handle: Callable[[dict[str, Any]], Awaitable[None]]
    ) -> None:
        from aiohttp import web

        self.config = config
        self._handle = handle
        self._web = web
        self._runner: Any = None

    async def start(self) -> None:
        web = self._web
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.config.path, self._on_post)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.config.host, self.config.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _on_post(self, request: Any) -> Any:
        web = self._web
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != self.config.secret:
            return web.Response(status=401)
        try:
            update = await request.json()
            int(update["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400)
        try:
            await self._handle(update)
        except Exception:
            log.exception("webhook update %s failed", update.get("update_id"))
            return web.Response(status=500)  # Telegram will push it again
        return web.Response()
