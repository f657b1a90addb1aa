"""A local Telegram Bot API emulator for end-to-end tests (aiohttp on 127.0.0.1, random port).

It serves ``/bot<token>/<method>`` and ``/file/bot<token>/<path>`` the way api.telegram.org
does, closely enough for the real python-telegram-bot 22 and aiogram 3 clients:

* every answer is ``{"ok": true, "result": ...}`` or
  ``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}`` with the same
  HTTP status (PTB classifies by HTTP status and ``parameters.retry_after``; aiogram validates
  the whole body with pydantic and then classifies by status), so result objects carry every
  field the two libraries require (``message_id``, ``date``, ``chat.type``, ``file_unique_id``…);
* parameters arrive as a query string, urlencoded or multipart form (both libraries JSON-encode
  nested values such as ``reply_markup``) or a JSON body; files arrive as multipart parts named
  after the parameter (PTB) or through ``attach://<name>`` (aiogram);
* ``getUpdates`` long-polls with Telegram's offset semantics: asking with ``offset=N``
  confirms (forgets) every update below N; a second concurrent ``getUpdates`` ends the first
  with 409, and while a webhook is set ``getUpdates`` answers 409;
* with a webhook set, updates are POSTed to it (``X-Telegram-Bot-Api-Secret-Token`` header),
  up to ``max_connections`` at once but in order within one chat, and retried until the bot
  answers 2xx, as Telegram does.

A test injects what members do (:meth:`BotApiEmulator.send_text`, ``share_contact``,
``send_document``, ``press``, ``send_photo`` …, each returning the update id, ``press`` the
callback query id), reads back what the bot did (:meth:`messages`, :meth:`calls`,
:attr:`callback_answers`, :attr:`commands`), injects any raw update, malformed ones too
(:meth:`push_update`), and injects faults (:meth:`fail`, :meth:`flood`, :meth:`block`).
:meth:`wait_for` waits for any condition on that state.

Sends are checked as strictly as Telegram checks them: HTML is parsed like Telegram's parser
(:func:`parse_html`; bad markup is a 400 "can't parse entities"), the 4096 (caption 1024)
limit is measured on the parsed text in UTF-16 units, callback data holds 1-64 bytes, an
empty text and an edit that changes nothing are refused. The ``garbled`` and ``malformed``
faults run the method (Telegram accepted it) and then answer 200 with a body the client
cannot read.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp
from aiohttp import web

__all__ = [
    "BOT_USER_ID",
    "BotApiEmulator",
    "BotMessage",
    "Call",
    "Fault",
    "StoredFile",
    "parse_html",
    "utf16_len",
]

BOT_USER_ID = 7_000_000_001
SEND_METHODS = frozenset(
    {"sendmessage", "senddocument", "editmessagetext", "editmessagereplymarkup", "sendchataction"}
)
# Parameters that both libraries send JSON-encoded inside a form field.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
FaultKind = Literal[
    "429", "500", "502", "slow", "drop", "drop_after", "403", "400", "garbled", "malformed"
]
# Faults that let the method run (Telegram accepted it) and then spoil the answer.
_AFTER_FAULTS = frozenset({"drop_after", "garbled", "malformed"})


class ApiError(Exception):
    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Call:
    """One request the bot made, as the emulator understood it."""

    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    content: bytes
    mime_type: str | None = None

    def as_document(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "file_size": len(self.content),
        }
        if self.mime_type:
            out["mime_type"] = self.mime_type
        return out


@dataclass
class BotMessage:
    """A message the bot created in a chat; ``history`` keeps the texts it was edited from.

    ``text`` is what the bot sent (HTML source with ``parse_mode`` HTML), ``plain`` and
    ``entities`` what Telegram made of it: the text the member reads.
    """

    chat_id: int
    message_id: int
    text: str | None
    parse_mode: str | None = None
    plain: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    history: list[str | None] = field(default_factory=list)
    editable: bool = True

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """Inline keyboard rows (empty for none or a reply keyboard)."""
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    def callback_data(self, label_part: str) -> str:
        """Callback data of the first inline button whose label contains ``label_part``."""
        for row in self.buttons:
            for button in row:
                if label_part in button.get("text", "") and "callback_data" in button:
                    return str(button["callback_data"])
        raise LookupError(f"no inline button with {label_part!r} in {self.buttons}")


@dataclass
class Fault:
    """A scripted failure for requests matching ``method``/``chat_id`` (None = any)."""

    kind: FaultKind
    method: str | None = None
    chat_id: int | None = None
    times: int | None = 1  # None: until removed
    retry_after: int = 1
    delay: float = 0.0
    description: str | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and self.method.lower() != method:
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass
class _Pending:
    update: dict[str, Any]
    forced: bool = False  # redelivered: served even below the confirmed offset


class BotApiEmulator:
    """Start with ``async with BotApiEmulator() as emu``; ``emu.api_url`` is the API root."""

    def __init__(
        self,
        *,
        tokens: Iterable[str] = ("123456789:TEST-token-0123456789abcdefghijklmnopqrst",),
        username: str = "committee_test_bot",
    ) -> None:
        self.tokens = set(tokens)
        self.username = username
        self.calls: list[Call] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.files: dict[str, StoredFile] = {}
        self.blocked: set[int] = set()
        self.faults: list[Fault] = []
        self.flood_until: dict[int | None, float] = {}
        self.flood_violations = 0
        self._flood_answered: dict[int | None, float] = {}
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_max_connections = 40
        self.webhook_errors: list[str] = []
        self._messages: dict[int, list[BotMessage]] = defaultdict(list)
        self._by_id: dict[tuple[int, int], BotMessage] = {}
        self._user_messages: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self._pending: list[_Pending] = []
        self._confirmed_below = 0
        self._all_updates: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(100_001)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._poller: asyncio.Future[None] | None = None
        self._push_queue: asyncio.Queue[_Pending] | None = None
        self._push_tasks: list[asyncio.Task[None]] = []
        self._push_locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.port = 0

    # lifecycle -----------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return next(iter(self.tokens))

    async def start(self) -> BotApiEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._http = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        self._stop_pushing()
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # what members do ----------------------------------------------------------
    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "测试",
    ) -> int:
        """A member types ``text``; a leading ``/command`` gets its bot_command entity."""
        extra: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0].encode("utf-16-le")) // 2
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._user_message(user_id, extra, chat_id, chat_type, first_name)

    def share_contact(
        self,
        user_id: int,
        phone: str,
        *,
        contact_user_id: int | None = None,
        first_name: str = "测试",
        without_user_id: bool = False,
    ) -> int:
        """The member taps the share-contact key (``contact_user_id`` defaults to themselves).
        ``without_user_id``: a card with no ``user_id``, as Telegram sends a contact that is
        not a Telegram user or whose owner hides the number."""
        contact: dict[str, Any] = {"phone_number": phone, "first_name": first_name}
        if not without_user_id:
            contact["user_id"] = user_id if contact_user_id is None else contact_user_id
        return self._user_message(user_id, {"contact": contact}, None, "private", first_name)

    def send_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        stored = self._store_file(file_name, content, mime_type)
        extra: dict[str, Any] = {"document": stored.as_document()}
        if caption:
            extra["caption"] = caption
        return self._user_message(user_id, extra, None, "private", "测试")

    def send_photo(self, user_id: int) -> int:
        stored = self._store_file("photo.jpg", b"\xff\xd8\xff", "image/jpeg")
        size = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        return self._user_message(
            user_id, {"photo": [size | {"width": 90, "height": 90}]}, None, "private", "测试"
        )

    def send_sticker(self, user_id: int) -> int:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "sticker-u1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._user_message(user_id, {"sticker": sticker}, None, "private", "测试")

    def send_voice(self, user_id: int) -> int:
        voice = {"file_id": "voice-1", "file_unique_id": "voice-u1", "duration": 3}
        return self._user_message(user_id, {"voice": voice}, None, "private", "测试")

    def press(self, user_id: int, message: BotMessage, data: str) -> str:
        """The member taps an inline button carrying ``data`` (forged data is allowed)."""
        query_id = f"cbq-{next(self._callback_ids)}"
        query = {
            "id": query_id,
            "from": _user(user_id, "测试"),
            "chat_instance": f"ci-{message.chat_id}",
            "data": data,
            "message": self._message_json(message),
        }
        self.push_update({"callback_query": query})
        return query_id

    def push_update(self, body: dict[str, Any]) -> int:
        """Queue (or, with a webhook set, push) an update; returns its update id.

        ``body`` goes out as given, however malformed (a ``chat`` that is a string, a
        required field missing): that is how a test injects a poison update.
        """
        update = {"update_id": next(self._update_ids), **body}
        self._all_updates[update["update_id"]] = update
        self._deliver(_Pending(update))
        return int(update["update_id"])

    def redeliver(self, update_id: int) -> None:
        """Hand an update out again, as Telegram does when the bot never confirmed it."""
        self._deliver(_Pending(self._all_updates[update_id], forced=True))

    # what the bot did ---------------------------------------------------------
    def messages(self, chat_id: int) -> list[BotMessage]:
        """Messages the bot created in ``chat_id``, oldest first (edits update them in place)."""
        return list(self._messages.get(chat_id, []))

    def texts(self, chat_id: int) -> list[str]:
        return [m.text or "" for m in self._messages.get(chat_id, [])]

    def last(self, chat_id: int) -> BotMessage:
        return self._messages[chat_id][-1]

    def method_calls(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method.lower()]

    def forget_message(self, chat_id: int, message_id: int) -> None:
        """Make a message uneditable (too old, deleted by the member)."""
        self._by_id[(chat_id, message_id)].editable = False

    @property
    def pending_update_count(self) -> int:
        return len(self._pending)

    async def wait_for(self, condition: Callable[[], bool], *, timeout: float = 5.0) -> None:
        """Wait until ``condition()`` holds; raises TimeoutError with the calls made so far."""
        try:
            async with asyncio.timeout(timeout):
                async with self._changed:
                    await self._changed.wait_for(condition)
        except TimeoutError:
            tail = [(c.method, c.status) for c in self.calls[-10:]]
            raise TimeoutError(f"condition not met in {timeout}s; last calls: {tail}") from None

    async def wait_for_messages(self, chat_id: int, count: int, *, timeout: float = 5.0) -> None:
        await self.wait_for(lambda: len(self._messages.get(chat_id, [])) >= count, timeout=timeout)

    async def wait_idle(self, *, timeout: float = 5.0) -> None:
        """Wait until every update was confirmed (polling) or answered 2xx (webhook)."""
        await self.wait_for(lambda: not self._pending, timeout=timeout)

    # faults -------------------------------------------------------------------
    def fail(
        self,
        kind: FaultKind,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int | None = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        description: str | None = None,
    ) -> Fault:
        """Script a failure; returns it so a test can remove it from :attr:`faults`."""
        fault = Fault(kind, method, chat_id, times, retry_after, delay, description)
        self.faults.append(fault)
        return fault

    def flood(self, retry_after: int, *, chat_id: int | None = None) -> None:
        """Answer 429 to every send (to ``chat_id``, or to any chat) for ``retry_after`` s."""
        self.flood_until[chat_id] = time.monotonic() + retry_after

    def block(self, chat_id: int) -> None:
        """The member blocked the bot: sends to this chat get 403."""
        self.blocked.add(chat_id)

    # HTTP handlers -------------------------------------------------------------
    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"].lower()
        call = Call(method=method, params={})
        try:
            if request.match_info["token"] not in self.tokens:
                raise ApiError(401, "Unauthorized")
            call.params, files = await _read_params(request)
            chat_id = _int_or_none(call.params.get("chat_id"))
            fault = self._take_fault(method, chat_id)
            if fault is not None and fault.kind == "slow":
                await asyncio.sleep(fault.delay)
            elif fault is not None and fault.kind == "drop":
                return await _drop(request)
            elif fault is not None and fault.kind not in _AFTER_FAULTS:
                raise _fault_error(fault)
            self._check_flood(method, chat_id)
            if chat_id in self.blocked and method in SEND_METHODS:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(call.params, files)
            if fault is not None and fault.kind == "drop_after":
                await self._record(call)
                return await _drop(request)
            if fault is not None and fault.kind == "garbled":  # a proxy's page, say
                await self._record(call)
                return web.Response(status=200, text="<html>upstream</html>")
            if fault is not None and fault.kind == "malformed":  # a shape the library rejects
                await self._record(call)
                return web.json_response({"ok": True, "result": {"message_id": "n/a"}})
        except ApiError as exc:
            call.status = exc.code
            await self._record(call)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.code,
                "description": exc.description,
            }
            if exc.parameters:
                body["parameters"] = exc.parameters
            return web.json_response(body, status=exc.code)
        await self._record(call)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self.tokens:
            return web.Response(status=401)
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content)
        return web.Response(status=404)

    def _take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, chat_id):
                if fault.times is not None:
                    fault.times -= 1
                return fault
        return None

    def _check_flood(self, method: str, chat_id: int | None) -> None:
        if method not in SEND_METHODS:
            return
        now = time.monotonic()
        for key in (None, chat_id):
            until = self.flood_until.get(key)
            if until is not None and now < until:
                if self._flood_answered.get(key) == until:
                    self.flood_violations += 1  # the bot ignored the first retry_after
                self._flood_answered[key] = until
                wait = max(1, round(until - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # Bot API methods -----------------------------------------------------------
    async def _m_getme(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return _user(BOT_USER_ID, "委员助手", is_bot=True) | {
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        if offset > 0:
            self._confirmed_below = max(self._confirmed_below, offset)
            self._pending = [
                p for p in self._pending if p.forced or p.update["update_id"] >= offset
            ]
            for p in self._pending:
                p.forced = False  # handed out again once; confirmed by the next offset
            await self._notify()
        if self._poller is not None and not self._poller.done():
            self._poller.set_exception(ApiError(409, "Conflict: terminated by other getUpdates"))
        if not self._pending and timeout > 0:
            self._poller = asyncio.get_running_loop().create_future()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._poller), timeout)
            self._poller = None
        served = sorted(self._pending, key=lambda p: int(p.update["update_id"]))
        return [p.update for p in served[:limit]]

    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = _require_chat(params)
        text = str(params.get("text") or "")
        plain, entities = _visible(text, params.get("parse_mode"))
        if not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > TEXT_LIMIT:  # counted on what the member reads, not the source
            raise ApiError(400, "Bad Request: message is too long")
        _check_markup(params.get("reply_markup"))
        message = self._new_message(chat_id, text=text, params=params)
        message.plain, message.entities = plain, entities
        return self._message_json(message)

    async def _m_senddocument(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = _require_chat(params)
        ref = params.get("document")
        stored: StoredFile | None = None
        if isinstance(ref, str) and ref.startswith("attach://"):
            ref = files.get(ref.removeprefix("attach://"))
        if isinstance(ref, str):
            stored = self.files.get(ref)
        elif "document" in files or ref is not None:
            part = files.get("document", ref)
            stored = self._store_file(part.filename or "file", part.file.read(), part.content_type)
        if stored is None:
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = params.get("caption")
        plain, entities = _visible(str(caption or ""), params.get("parse_mode"))
        if utf16_len(plain) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        _check_markup(params.get("reply_markup"))
        message = self._new_message(chat_id, text=caption, params=params, document=stored)
        message.plain, message.entities = plain, entities
        return self._message_json(message)

    async def _m_editmessagetext(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        message = self._editable(params)
        text = str(params.get("text") or "")
        markup = params.get("reply_markup")
        plain, entities = _visible(text, params.get("parse_mode"))
        if not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        _check_markup(markup)
        # Compared as the member sees it: <b> and <strong> around the same words are equal.
        if (plain, entities, markup) == (message.plain, message.entities, message.reply_markup):
            raise ApiError(400, _NOT_MODIFIED)
        message.history.append(message.text)
        message.text = text
        message.parse_mode = params.get("parse_mode")
        message.plain, message.entities = plain, entities
        message.reply_markup = markup
        return self._message_json(message)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        message = self._editable(params)
        markup = params.get("reply_markup")
        _check_markup(markup)
        if markup == message.reply_markup:
            raise ApiError(400, _NOT_MODIFIED)
        message.reply_markup = markup
        return self._message_json(message)

    async def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if not query_id.startswith("cbq-") or query_id in self.callback_answers:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.callback_answers[query_id] = params
        return True

    async def _m_sendchataction(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.chat_actions.append((_require_chat(params), str(params.get("action"))))
        return True

    async def _m_setmycommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        commands = params.get("commands") or []
        for command in commands:
            if not 1 <= len(command.get("command", "")) <= 32 or not command.get("description"):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[_scope_key(params)] = list(commands)
        return True

    async def _m_deletemycommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.commands.pop(_scope_key(params), None)
        return True

    async def _m_getmycommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self.commands.get(_scope_key(params), [])

    async def _m_setwebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        url = str(params.get("url") or "")
        if url and not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        if _truthy(params.get("drop_pending_updates")):
            self._pending.clear()
        self.webhook_url = url
        self.webhook_secret = params.get("secret_token") or None
        self.webhook_max_connections = int(params.get("max_connections") or 40)
        self._stop_pushing()
        if url:
            self._start_pushing()
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if _truthy(params.get("drop_pending_updates")):
            self._pending.clear()
        self.webhook_url = ""
        self.webhook_secret = None
        self._stop_pushing()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook_url:
            info["max_connections"] = self.webhook_max_connections
        if self.webhook_errors:
            info["last_error_date"] = int(time.time())
            info["last_error_message"] = self.webhook_errors[-1]
        return info

    async def _m_getfile(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _m_close(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _m_logout(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    # helpers ------------------------------------------------------------------
    def _user_message(
        self,
        user_id: int,
        extra: dict[str, Any],
        chat_id: int | None,
        chat_type: str,
        first_name: str,
    ) -> int:
        chat_id = user_id if chat_id is None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "测试群"
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": _user(user_id, first_name),
            **extra,
        }
        self._user_messages[chat_id][message["message_id"]] = message
        return self.push_update({"message": message})

    def _store_file(self, name: str, content: bytes, mime_type: str | None) -> StoredFile:
        n = next(self._file_ids)
        stored = StoredFile(
            file_id=f"file-{n}",
            file_unique_id=f"uniq-{n}",
            file_path=f"documents/file_{n}_{name}",
            file_name=name,
            content=content,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def _new_message(
        self,
        chat_id: int,
        *,
        text: str | None,
        params: dict[str, Any],
        document: StoredFile | None = None,
    ) -> BotMessage:
        markup = params.get("reply_markup")
        message = BotMessage(
            chat_id=chat_id,
            message_id=next(self._message_ids),
            text=text,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup if isinstance(markup, dict) else None,
            document=document,
        )
        self._messages[chat_id].append(message)
        self._by_id[(chat_id, message.message_id)] = message
        return message

    def _editable(self, params: dict[str, Any]) -> BotMessage:
        chat_id = _require_chat(params)
        message = self._by_id.get((chat_id, int(params.get("message_id") or 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message.editable:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _message_json(self, message: BotMessage) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private" if message.chat_id > 0 else "group"},
            "from": _user(BOT_USER_ID, "委员助手", is_bot=True),
        }
        # Telegram answers with the parsed text and its entities, not the HTML sent.
        if message.document is not None:
            out["document"] = message.document.as_document()
            if message.plain:
                out["caption"] = message.plain
                if message.entities:
                    out["caption_entities"] = message.entities
        elif message.text is not None:
            out["text"] = message.plain
            if message.entities:
                out["entities"] = message.entities
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            out["reply_markup"] = message.reply_markup
        return out

    def _deliver(self, pending: _Pending) -> None:
        self._pending.append(pending)
        if self._push_queue is not None:
            self._push_queue.put_nowait(pending)
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)

    def _start_pushing(self) -> None:
        self._push_queue = asyncio.Queue()
        for pending in self._pending:
            self._push_queue.put_nowait(pending)
        self._push_tasks = [
            asyncio.get_running_loop().create_task(self._push_worker())
            for _ in range(self.webhook_max_connections)
        ]

    def _stop_pushing(self) -> None:
        for task in self._push_tasks:
            task.cancel()
        self._push_tasks = []
        self._push_queue = None

    async def _push_worker(self) -> None:
        assert self._push_queue is not None and self._http is not None
        queue = self._push_queue
        while True:
            pending = await queue.get()
            async with self._push_locks[_update_chat(pending.update)]:
                await self._push_until_accepted(pending)

    async def _push_until_accepted(self, pending: _Pending) -> None:
        assert self._http is not None
        delay = 0.05
        while self.webhook_url:
            headers = {}
            if self.webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
            try:
                async with self._http.post(
                    self.webhook_url,
                    json=pending.update,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=10),
                ) as response:
                    body = await response.read()
                    if 200 <= response.status < 300:
                        await self._answer_in_response(body)
                        break
                    self.webhook_errors.append(
                        f"Wrong response from the webhook: {response.status}"
                    )
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.webhook_errors.append(f"Connection failed: {exc!r}")
            await self._notify()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)
        self._pending = [p for p in self._pending if p is not pending]
        await self._notify()

    async def _answer_in_response(self, body: bytes) -> None:
        """Telegram runs a method the bot puts in its webhook answer."""
        if not body.strip():
            return
        with contextlib.suppress(ValueError):
            data = json.loads(body)
            if isinstance(data, dict) and "method" in data:
                method = str(data.pop("method")).lower()
                params = {k: _decode(k, v) for k, v in data.items()}
                call = Call(method=method, params=params)
                handler = getattr(self, f"_m_{method}", None)
                try:
                    if handler is not None:
                        await handler(params, {})
                except ApiError as exc:
                    call.status = exc.code
                await self._record(call)


# module helpers ---------------------------------------------------------------
async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Any]]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, Any] = {}
    if request.content_type == "application/json":
        body = await request.json()
        params.update(body if isinstance(body, dict) else {})
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value
            else:
                params[key] = value
    return {k: _decode(k, v) for k, v in params.items()}, files


def _decode(key: str, value: Any) -> Any:
    if key in JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
    return value


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require_chat(params: dict[str, Any]) -> int:
    chat_id = _int_or_none(params.get("chat_id"))
    if chat_id is None:
        raise ApiError(400, "Bad Request: chat not found")
    return chat_id


def _truthy(value: Any) -> bool:
    return value in (True, "true", "True", "1", 1)


def _user(user_id: int, first_name: str, *, is_bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "is_bot": is_bot, "first_name": first_name, "language_code": "zh-hans"}


def _scope_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    key = str(scope.get("type"))
    if "chat_id" in scope:
        key += f":{scope['chat_id']}"
    if params.get("language_code"):
        key += f"@{params['language_code']}"
    return key


# Telegram's HTML dialect (tdlib's parse_html): the tags it knows and the entity each makes.
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));?")
_ATTRIBUTE = re.compile(r"""\s*([a-zA-Z_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP is two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _bad_entities(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The visible text and its entities, or the 400 Telegram answers for bad markup.

    Strict where Telegram is: known tags only, balanced and properly nested, ``<span>`` only
    with ``class="tg-spoiler"``, no stray ``<``. Stricter on ``&``: only ``&lt; &gt; &amp;
    &quot;`` and numeric references (Telegram shows other ``&`` sequences literally, which
    for this bot means an escaping bug).
    """
    out: list[str] = []
    units = 0  # UTF-16 length of out so far: entity offsets are in those units
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            match = _ENTITY.match(text, i)
            if match is None or not match.group(0).endswith(";"):
                raise _bad_entities(
                    f"Unsupported HTML entity at byte offset {_byte_offset(text, i)}"
                )
            number, hexa, name = match.groups()
            if name is not None:
                if name not in _NAMED_ENTITIES:
                    raise _bad_entities(
                        f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(text, i)}'
                    )
                decoded = _NAMED_ENTITIES[name]
            else:
                code = int(number, 10) if number is not None else int(hexa, 16)
                if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise _bad_entities(
                        f"Invalid character reference at byte offset {_byte_offset(text, i)}"
                    )
                decoded = chr(code)
            out.append(decoded)
            units += utf16_len(decoded)
            i = match.end()
            continue
        if ch != "<":
            out.append(ch)
            units += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        close = text.find(">", i)
        if close < 0:
            kind = "end" if text.startswith("</", i) else "start"
            raise _bad_entities(f"Unclosed {kind} tag at byte offset {_byte_offset(text, begin)}")
        if text.startswith("</", i):
            name = text[i + 2 : close].strip().lower()
            if not stack:
                raise _bad_entities(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            open_name, start, attrs = stack.pop()
            if name != open_name:
                raise _bad_entities(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            if units > start:  # Telegram drops empty entities
                entity: dict[str, Any] = {
                    "type": _HTML_TAGS[open_name],
                    "offset": start,
                    "length": units - start,
                }
                if open_name == "a":
                    entity["url"] = attrs.get("href", "")
                entities.append(entity)
            i = close + 1
            continue
        head = re.match(r"<([^\s>]*)", text[i : close + 1])
        name = (head.group(1) if head else "").lower()
        if name not in _HTML_TAGS:
            raise _bad_entities(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
            )
        attrs = _html_attributes(text[i + 1 + len(name) : close], name, _byte_offset(text, begin))
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise _bad_entities(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        stack.append((name, units, attrs))
        i = close + 1
    if stack:
        raise _bad_entities(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    plain = "".join(out)
    # Telegram trims the message; entities keep covering the same characters, clipped.
    shift = utf16_len(plain[: len(plain) - len(plain.lstrip())])
    trimmed = plain.strip()
    size = utf16_len(trimmed)
    kept = []
    for entity in entities:
        begin = min(max(0, entity["offset"] - shift), size)
        end = min(max(0, entity["offset"] + entity["length"] - shift), size)
        if end > begin:
            kept.append(entity | {"offset": begin, "length": end - begin})
    return trimmed, sorted(kept, key=lambda e: (e["offset"], -e["length"]))


def _html_attributes(source: str, tag: str, at: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    while source[pos:].strip():
        match = _ATTRIBUTE.match(source, pos)
        if match is None:
            raise _bad_entities(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {at}"
            )
        value = next((v for v in match.groups()[1:] if v is not None), "")
        attrs[match.group(1).lower()] = parse_html(value)[0] if "&" in value else value
        pos = match.end()
    return attrs


def _visible(text: str, parse_mode: Any) -> tuple[str, list[dict[str, Any]]]:
    """What the member would see: parsed with ``parse_mode`` HTML, else the text as is."""
    if str(parse_mode or "").upper() == "HTML":
        return parse_html(text)
    return text.strip(), []


def _check_markup(markup: Any) -> None:
    """Telegram refuses callback data outside 1-64 bytes (UTF-8)."""
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _fault_error(fault: Fault) -> ApiError:
    if fault.kind == "429":
        return ApiError(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        )
    if fault.kind == "403":
        return ApiError(403, fault.description or "Forbidden: bot was blocked by the user")
    if fault.kind == "400":
        return ApiError(400, fault.description or "Bad Request: chat not found")
    if fault.kind == "502":
        return ApiError(502, "Bad Gateway")
    return ApiError(500, fault.description or "Internal Server Error")


async def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without an answer, as a lost network path does."""
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError  # aiohttp drops the half-served request quietly


def _update_chat(update: dict[str, Any]) -> int:
    """The chat whose pushes are kept in order; 0 for an update too malformed to tell."""
    with contextlib.suppress(KeyError, TypeError, ValueError):
        for key in ("message", "edited_message"):
            if key in update:
                return int(update[key]["chat"]["id"])
        if "callback_query" in update:
            return int(update["callback_query"]["from"]["id"])
    return 0
