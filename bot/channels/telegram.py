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
* An update that cannot be read (a newer API version's shape, a field of the wrong type)
  is logged once, without its content, and skipped: the poller moves past it, the webhook
  answers 200. Neither library parses updates for us, so neither can stall on one.

What leaves, exactly:

* A text over Telegram's limit (4096, a caption 1024, counted on the parsed text in UTF-16
  units) goes as several messages cut at paragraphs or sentences with balanced markup
  (``telegram_html.py``), the buttons on the last; nothing is cut off.
* A request Telegram answered 2xx is delivered, even when the library then cannot read the
  answer: it is reported sent (without a message id), never raised as a failure a retry
  would repeat. Only failures before Telegram's answer (refused or reset connections,
  5xx, 429) are retryable.
"""

from __future__ import annotations

import abc
import asyncio
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.channels.base import PACE_EXTRA_PART, Channel, UpdateHandler
from bot.channels.telegram_html import split_html
from bot.errors import ChannelError, ConfigError, RetryAfter, TransientError, Unreachable
from bot.settings import TOKEN_RE, Settings
from bot.text import render
from bot.types import Incoming, InDocument, Reply, SentMessage

__all__ = [
    "PLATFORM",
    "CommandMenus",
    "MalformedUpdate",
    "TelegramChannel",
    "TelegramConfig",
    "WebhookConfig",
    "channel_error",
    "incoming_from_update",
    "note_accepted",
    "polled_update_id",
    "reply_markup",
]

log = logging.getLogger(__name__)

PLATFORM = "telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024
_PARTIAL_TTL = 600.0  # seconds a half-sent long reply is remembered for its retry
_PARTIAL_MAX = 256
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
            raise ConfigError("config.token_missing")
        token = settings.telegram_token.get_secret_value()
        if not TOKEN_RE.match(token):
            raise ConfigError("config.token_shape")
        api_url = settings.telegram_api_url
        if api_url and not api_url.startswith(("http://", "https://")):
            raise ConfigError("config.api_url_scheme")
        hook = None
        if webhook:
            if not webhook.startswith(("https://", "http://")):
                raise ConfigError("config.webhook_scheme")
            host, _, port = listen.rpartition(":")
            if not host or not port.isdigit():
                raise ConfigError("config.listen_shape", listen=listen)
            secret = (
                settings.webhook_secret.get_secret_value()
                if settings.webhook_secret
                # Every process of a deployment derives the same secret from the token.
                else hashlib.sha256(b"webhook:" + token.encode()).hexdigest()[:48]
            )
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
                raise ConfigError("config.webhook_secret_chars")
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


class MalformedUpdate(ValueError):
    """An update without the shape the Bot API documents (a newer API version, a bug)."""


async def incoming_from_update(
    update: dict[str, Any],
    *,
    download: Downloader,
    max_bytes: int,
    bot_username: str | None = None,
) -> Incoming | None:
    """The core's view of one Bot API update; None for updates the bot ignores.

    Raises :class:`MalformedUpdate` for an update it cannot read. A command addressed to
    another bot (``/help@other_bot``) is not ours: None, once ``bot_username`` is known.
    """
    try:
        return await _incoming(update, download, max_bytes, bot_username)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise MalformedUpdate(f"{type(exc).__name__}: {exc}") from exc


async def _incoming(
    update: dict[str, Any], download: Downloader, max_bytes: int, bot_username: str | None
) -> Incoming | None:
    update_id = _int(update["update_id"])
    query = update.get("callback_query")
    if query is not None:
        sender = _obj(_obj(query)["from"])
        message = _obj(query.get("message") or {})
        chat = _obj(message.get("chat") or {"id": sender["id"], "type": "private"})
        _str(query["id"])
        return Incoming(
            platform=PLATFORM,
            user_id=_id(sender["id"]),
            chat_id=_id(chat["id"]),
            kind="action",
            action=_str(query.get("data") or ""),
            update_id=update_id,
            message_id=_int_or_none(message.get("message_id")),
            chat_type=_chat_type(chat),
            display_name=_name(sender),
        )
    raw_message = update.get("message")
    if raw_message is None or "from" not in _obj(raw_message):
        return None  # edits, channel posts, membership changes: nothing to answer
    message = _obj(raw_message)
    sender = _obj(message["from"])
    chat = _obj(message["chat"])
    base: dict[str, Any] = {
        "platform": PLATFORM,
        "user_id": _id(sender["id"]),
        "chat_id": _id(chat["id"]),
        "update_id": update_id,
        "message_id": _int_or_none(message.get("message_id")),
        "chat_type": _chat_type(chat),
        "display_name": _name(sender),
    }
    if "text" in message:
        text = _str(message["text"])
        if _for_another_bot(text, bot_username):
            return None
        return Incoming(kind="text", text=text, **base)
    if "contact" in message:
        contact = _obj(message["contact"])
        return Incoming(
            kind="contact",
            contact_phone=_str(contact.get("phone_number") or ""),
            contact_user_id=None if contact.get("user_id") is None else _id(contact["user_id"]),
            **base,
        )
    if "document" in message:
        doc = _obj(message["document"])
        size = _int_or_none(doc.get("file_size"))
        file_id = _str(doc["file_id"])
        caption = message.get("caption")
        content = None
        if size is None or size <= max_bytes:
            content = await download(file_id)
            if len(content) > max_bytes:
                content = None
        document = InDocument(
            file_name=_str(doc.get("file_name") or "file"),
            content=content,
            mime_type=_str(doc["mime_type"]) if doc.get("mime_type") else None,
            size=size,
        )
        caption_text = _str(caption) if caption is not None else None
        return Incoming(kind="document", document=document, text=caption_text, **base)
    if any(key in message for key in _UNSUPPORTED):
        return Incoming(kind="unsupported", **base)
    return None


def _for_another_bot(text: str, bot_username: str | None) -> bool:
    """``/cmd@name`` where name is not this bot: in a group it is meant for someone else."""
    if not bot_username or not text.startswith("/"):
        return False
    head = text.split(maxsplit=1)[0] if text.strip() else ""
    _, at, name = head.partition("@")
    return bool(at) and name.lower() != bot_username.lower()


def _obj(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value


def _id(value: Any) -> str:
    """A Telegram user or chat id as the core keeps ids: its decimal string."""
    return str(_int(value))


def _int_or_none(value: Any) -> int | None:
    return None if value is None else _int(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _chat_type(chat: dict[str, Any]) -> Any:
    kind = chat.get("type")
    if kind == "private":
        return "private"
    return "channel" if kind == "channel" else "group"


def _name(user: dict[str, Any]) -> str:
    parts = (user.get("first_name"), user.get("last_name"))
    return " ".join(p for p in parts if isinstance(p, str) and p)[:128]


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


def _fingerprint(
    text: str, markup: dict[str, Any] | None, target: int | None, document: Any
) -> str:
    name = getattr(document, "file_name", None)
    raw = json.dumps([text, markup, target, name], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def channel_error(
    *, status: int | None, description: str, retry_after: float | None, chat_id: int | None
) -> ChannelError:
    """The one mapping from a Telegram failure to our error tree (both libraries use it)."""
    if retry_after:
        return RetryAfter(float(retry_after), chat_id=None if chat_id is None else str(chat_id))
    if status == 403 or _GONE.search(description):
        return Unreachable(description)
    if status is None or status >= 500 or status == 409:
        return TransientError(description)
    return ChannelError(description)


@dataclass(slots=True)
class _Answer:
    ok: bool = False


# Set around each delivering call; the library's HTTP layer marks it (note_accepted) when
# Telegram answered 2xx, so a failure afterwards is known to come after the delivery.
_ANSWER: ContextVar[_Answer | None] = ContextVar("telegram_answer", default=None)


def note_accepted() -> None:
    """Called by a library's HTTP layer when Telegram answered a request with 2xx."""
    answer = _ANSWER.get()
    if answer is not None:
        answer.ok = True


@dataclass(slots=True)
class _Partial:
    """Parts of a long reply already delivered when a later part failed."""

    ids: list[int | None]
    at: float = field(default_factory=time.monotonic)


def polled_update_id(item: Any) -> int | None:
    """The update id of one getUpdates item; None (logged) for an item without one, which
    the poller skips: nothing could confirm it."""
    update_id = item.get("update_id") if isinstance(item, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        log.warning("getUpdates item skipped: it has no update_id")
        return None
    return update_id


class TelegramChannel(Channel, abc.ABC):
    """Everything both libraries do alike: starting (webhook or polling), running each
    update in a task of its own, sending, command menus, error translation. Subclasses
    supply the HTTP primitives and the library's exception table."""

    platform = PLATFORM
    markup = "html"
    #: the library's exception classes and the HTTP status each stands for (first match)
    error_statuses: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], int], ...]
    error_statuses = ()

    def __init__(self, *, config: TelegramConfig, concurrency: int = 64) -> None:
        self.config = config
        #: the bot's @username from getMe, set by ``start``: commands for other bots are ignored
        self.username: str | None = None
        self._on_update: UpdateHandler | None = None
        self._callbacks: dict[int, str] = {}  # update id -> callback query id, until answered
        # A long reply whose later part failed: what went out, so a retry sends only the rest.
        self._partial: dict[tuple[int, str], _Partial] = {}
        self._receiver: WebhookReceiver | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[asyncio.Task[None]] = set()

    # -- starting and stopping ------------------------------------------------------------
    async def start(self, on_update: UpdateHandler) -> None:
        """getMe (a revoked token fails here, clearly), then the webhook or long polling."""
        self._on_update = on_update
        try:
            self.username = await self._get_me()
        except Exception as exc:
            if self._status_of(exc) == 401:
                raise ConfigError("config.token_refused") from exc
            raise self.translate(exc, None) from exc
        hook = self.config.webhook
        if hook is not None:
            self._receiver = WebhookReceiver(config=hook, handle=self.handle_raw)
            await self._receiver.start()
            await self._guard(self._set_webhook(hook.url, hook.secret, ALLOWED_UPDATES), None)
            return
        await self._guard(self._delete_webhook(), None)
        await self._start_polling()

    async def stop(self) -> None:
        await self._stop_polling()
        if self._running:  # confirmed to Telegram already: let them finish
            await asyncio.wait(self._running, timeout=10)
        if self._receiver is not None:
            await self._receiver.stop()
        await self._close()

    async def _hand_out(self, update: dict[str, Any]) -> None:
        """Run one polled update in a task of its own, at most ``concurrency`` at once (the
        core keeps one chat's updates in order)."""
        await self._slots.acquire()
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

    # -- receiving: the library calls this with the raw update JSON -------------------
    async def handle_raw(self, update: dict[str, Any]) -> None:
        """Hands one update to the core. An update that cannot be read is logged and
        skipped (it returns normally: the poller moves past it, the webhook answers 200)."""
        assert self._on_update is not None
        try:
            incoming = await incoming_from_update(
                update,
                download=self._download_checked,
                max_bytes=self.config.max_upload_bytes,
                bot_username=self.username,
            )
        except MalformedUpdate as exc:
            await self._skip_malformed(update, exc)
            return
        if incoming is None:
            return
        update_id = incoming.update_id or 0
        if incoming.kind == "action":
            self._callbacks[update_id] = update["callback_query"]["id"]
        try:
            await self._on_update(incoming)
        finally:
            query_id = self._callbacks.pop(update_id, None)
            if query_id is not None:  # no endless spinner, whatever happened
                await self._answer_quietly(query_id, None)

    async def _skip_malformed(self, update: Any, exc: MalformedUpdate) -> None:
        # One line, no content: an update carries members' words and phone numbers.
        fields = sorted(map(str, update)) if isinstance(update, dict) else []
        update_id = update.get("update_id") if isinstance(update, dict) else None
        log.warning(
            "update %s skipped: not a Bot API update this bot can read (%s; fields %s)",
            update_id if isinstance(update_id, int) else "?",
            exc,
            ",".join(fields)[:200],
        )
        query = update.get("callback_query") if isinstance(update, dict) else None
        if isinstance(query, dict) and isinstance(query.get("id"), str):
            await self._answer_quietly(query["id"], None)

    async def _download_checked(self, file_id: str) -> bytes:
        try:
            return await self._download(file_id)
        except ChannelError:
            log.warning("could not fetch file %s", file_id)
            return b""

    # -- sending ------------------------------------------------------------------------
    async def send(
        self, chat_id: str, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage:
        """Delivers ``reply``; a text over Telegram's limit goes as several messages.

        The parts are cut by :func:`split_html` and the buttons ride on the last one; a long
        caption stays with its document as far as it fits, the rest follows as messages; an
        edit replaces the first part and sends the rest. The returned ``message_id`` is the
        last part's (the one with the buttons), ``extra["message_ids"]`` lists them all.
        A failure after some parts went out raises as usual, and the retry of the same reply
        sends only the parts still missing.
        """
        # The core keeps ids as text; the Bot API wants the number.
        return await self._send(int(chat_id), reply, in_reply_to=in_reply_to)

    async def _send(
        self, chat_id: int, reply: Reply, *, in_reply_to: Incoming | None
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
        target = reply.edit_message_id or (
            in_reply_to.message_id if reply.edit and in_reply_to is not None else None
        )
        document = reply.document
        if document is not None:
            parts = split_html(text, TELEGRAM_TEXT_LIMIT, first_limit=TELEGRAM_CAPTION_LIMIT)
        else:
            parts = split_html(text, TELEGRAM_TEXT_LIMIT)
        last = len(parts) - 1
        # Only a reply of several messages can be half sent.
        key = (chat_id, _fingerprint(text, markup, target, document)) if last else None
        ids = self._resume(key) if key else []
        for n in range(len(ids), len(parts)):
            part, part_markup = parts[n], markup if n == last else None
            try:
                if n == 0 and document is not None:
                    sent = self._send_document(chat_id, document, part or None, part_markup)
                    ids.append(await self._deliver(sent, chat_id))
                elif n == 0:
                    ids.append(await self._edit_or_send(chat_id, target, part, part_markup))
                else:
                    if (pace := PACE_EXTRA_PART.get()) is not None:
                        await pace(str(chat_id))
                    sent = self._send_text(chat_id, part, part_markup)
                    ids.append(await self._deliver(sent, chat_id))
            except BaseException:
                if key and ids:
                    self._remember(key, ids)
                raise
        return SentMessage(
            chat_id=str(chat_id),
            message_id=ids[-1],
            extra={"message_ids": ids} if len(ids) > 1 else {},
        )

    async def _edit_or_send(
        self, chat_id: int, target: int | None, text: str, markup: dict[str, Any] | None
    ) -> int | None:
        can_edit = markup is None or "inline_keyboard" in markup
        if target and can_edit:
            try:
                await self._deliver(self._edit_text(chat_id, target, text, markup), chat_id)
                return target
            except (RetryAfter, Unreachable, TransientError):
                raise
            except ChannelError as exc:
                if "not modified" in str(exc):
                    return target
                log.info("edit impossible (%s); sending a new message", exc)
        message_id: int | None = await self._deliver(
            self._send_text(chat_id, text, markup), chat_id
        )
        return message_id

    def _resume(self, key: tuple[int, str]) -> list[int | None]:
        partial = self._partial.pop(key, None)
        if partial is None or time.monotonic() - partial.at > _PARTIAL_TTL:
            return []
        return list(partial.ids)

    def _remember(self, key: tuple[int, str], ids: list[int | None]) -> None:
        self._partial[key] = _Partial(list(ids))
        while len(self._partial) > _PARTIAL_MAX:
            del self._partial[next(iter(self._partial))]

    async def _deliver(self, call: Awaitable[Any], chat_id: int) -> Any:
        """Runs a call that delivers a message, like :meth:`_guard`, except that once
        Telegram answered 2xx the message is delivered, whatever the library then makes of
        the answer: it is logged and reported sent (without a message id), never raised as
        a failure that a retry would send again."""
        answer = _Answer()
        token = _ANSWER.set(answer)
        try:
            return await call
        except ChannelError:
            raise
        except Exception as exc:
            if answer.ok:
                log.warning(
                    "Telegram accepted a message to chat %s but its answer could not be read "
                    "(%s); counted as sent, not sent again",
                    chat_id,
                    type(exc).__name__,
                )
                return None
            raise self.translate(exc, chat_id) from exc
        finally:
            _ANSWER.reset(token)

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

    # -- the one place library exceptions are translated -----------------------------------
    def translate(self, exc: Exception, chat_id: int | None) -> ChannelError:
        """The library's exception as one of ours, by ``error_statuses``."""
        retry_after = self._retry_after(exc)
        return channel_error(
            status=429 if retry_after is not None else self._status_of(exc),
            description=self._describe(exc),
            retry_after=retry_after,
            chat_id=chat_id,
        )

    def _status_of(self, exc: BaseException) -> int | None:
        return next((code for kinds, code in self.error_statuses if isinstance(exc, kinds)), None)

    def _describe(self, exc: Exception) -> str:
        return str(exc)

    # -- command menus ---------------------------------------------------------------------
    async def set_commands(self, menus: CommandMenus) -> None:
        """setMyCommands for the default scope, group chats and each secretariat chat."""
        await self._guard(self._set_my_commands(menus.default, "default"), None)
        await self._guard(self._set_my_commands(menus.groups, "groups"), None)
        for chat_id, items in menus.per_chat.items():
            await self._guard(self._set_my_commands(items, chat_id), chat_id)

    # -- what each library provides --------------------------------------------------------
    @abc.abstractmethod
    async def _get_me(self) -> str | None:
        """getMe; the bot's username."""

    @abc.abstractmethod
    async def _set_webhook(self, url: str, secret: str, allowed_updates: list[str]) -> None: ...

    @abc.abstractmethod
    async def _delete_webhook(self) -> None: ...

    @abc.abstractmethod
    async def _start_polling(self) -> None:
        """Start fetching updates; each goes to :meth:`_hand_out` as its JSON."""

    @abc.abstractmethod
    async def _stop_polling(self) -> None:
        """Stop fetching; updates already confirmed to Telegram are still handed out."""

    @abc.abstractmethod
    async def _close(self) -> None:
        """Release the library's HTTP client."""

    @abc.abstractmethod
    def _retry_after(self, exc: Exception) -> float | None:
        """The seconds a 429 asks to wait; None for any other failure."""

    @abc.abstractmethod
    async def _set_my_commands(
        self, items: list[tuple[str, str]], scope: Literal["default", "groups"] | int
    ) -> None:
        """setMyCommands for a scope: every private chat, every group, or one chat."""

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

    async def show_typing(self, chat_id: str) -> None:
        """The "typing…" hint while a slow answer is prepared."""
        await self._guard(self._chat_action(int(chat_id)), int(chat_id))

    @abc.abstractmethod
    async def _download(self, file_id: str) -> bytes: ...


class WebhookReceiver:
    """The webhook endpoint both channels use (plain aiohttp, so PTB needs no tornado).

    Telegram's secret header is checked first (401 otherwise). The update is handled before
    the 200 goes back: if the process dies mid-update Telegram pushes it again, and the
    core's record of update ids makes the second delivery a no-op once the first committed.
    An update that cannot be read gets its 200 too (``handle`` logs and skips it): Telegram
    would otherwise push it again forever.
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
        except ValueError:
            # It came with the secret, so from Telegram: a 200, or it is pushed forever.
            log.warning("webhook body skipped: not JSON")
            return web.Response()
        try:
            await self._handle(update)
        except Exception:
            update_id = update.get("update_id") if isinstance(update, dict) else None
            log.exception("webhook update %s failed", update_id)
            return web.Response(status=500)  # Telegram will push it again
        return web.Response()
