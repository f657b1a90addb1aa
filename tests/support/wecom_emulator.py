"""A local WeCom AI-bot long-connection emulator (aiohttp WebSocket server on 127.0.0.1).

It speaks the protocol the official SDK (``wecom-aibot-python-sdk``) speaks with
``wss://openws.work.weixin.qq.com``, closely enough for the real SDK client:

* ``aibot_subscribe`` with ``bot_id`` + ``secret`` is answered ``errcode 0``; a wrong pair is
  answered ``errcode 40001`` ("invalid secret") and the connection is closed. A new
  subscription replaces the previous connection (WeCom keeps one per bot).
* ``ping`` heartbeats are answered (and counted).
* Member actions are pushed as ``aibot_msg_callback`` (text, file) and
  ``aibot_event_callback`` (``template_card_event`` for a card click) frames, each with a
  fresh ``req_id`` and WeCom's ``msgid``. Callbacks wait while no bot is subscribed; a
  callback whose connection dropped before the bot answered it is delivered again on the
  next subscription (WeCom retries), and :meth:`redeliver` repeats one on demand.
* ``aibot_respond_msg`` (stream, markdown, template_card), ``aibot_respond_update_msg`` and
  ``aibot_send_msg`` are checked as WeCom checks them and answered with ``errcode``:
  a reply needs the ``req_id`` of a callback delivered on this connection; a card update
  needs a ``template_card_event``'s ``req_id``, the clicked card's ``task_id`` and must come
  within :attr:`update_window` seconds (5) of the click; markdown/stream content is at most
  20480 bytes; a card has a unique ``task_id`` and at most six buttons with keys of at
  most 1024 bytes.

Files go through WeCom's application message API, which the emulator serves over HTTP on
the same port (:attr:`api_url`: ``/cgi-bin/gettoken``, ``/cgi-bin/media/upload``,
``/cgi-bin/message/send``); what arrived is in :attr:`app_files`.

Faults: :meth:`fail` answers the next sends with an errcode ("later" codes such as 45009,
"never" codes such as 60111), :meth:`block` makes every push to a userid fail with 60111,
:meth:`drop` closes the bot's connection, :attr:`drop_before_answer` closes it
when the next reply arrives (the reply is lost).

A test reads what members saw: :meth:`texts` (each message as plain text, cards with their
buttons), :meth:`cards`, :attr:`replies`, :attr:`updates`, :attr:`pushes`, and waits with
:meth:`wait_for`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = ["Card", "Sent", "WeComEmulator"]

MARKDOWN_LIMIT = 20480
ERR_SECRET = 40001
ERR_REQ_ID = 846605  # unknown or expired req_id
ERR_WINDOW = 846607  # card update after the window
ERR_INVALID = 40058  # invalid parameter
ERR_USER = 60111  # userid not found


@dataclass
class Card:
    """A template card in a chat; ``card`` is its current state (after updates)."""

    chat: str
    task_id: str
    card: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        title = self.card.get("main_title", {}).get("title", "")
        sub = self.card.get("sub_title_text", "")
        return f"{title}\n{sub}".strip()

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return list(self.card.get("button_list") or [])

    def key(self, label_part: str) -> str:
        for button in self.buttons:
            if label_part in button.get("text", ""):
                return str(button.get("key", ""))
        raise KeyError(f"no button like {label_part!r} in {self.buttons}")


@dataclass
class Sent:
    """One thing the bot said in a chat: a markdown/stream text or a card."""

    chat: str
    via: str  # "reply" | "push"
    text: str
    card: Card | None = None


@dataclass
class _Callback:
    req_id: str
    frame: dict[str, Any]
    chat: str
    at: float = 0.0
    answered: bool = False
    conn: int = 0


class WeComEmulator:
    def __init__(self, *, bot_id: str = "aibot-test", secret: str = "s3cret-test") -> None:
        self.bot_id = bot_id
        self.secret = secret
        self.update_window = 5.0
        self.drop_before_answer = False  # drop the connection when the next reply arrives
        self.port = 0
        self.subscribes = 0
        self.auth_failures = 0
        self.heartbeats = 0
        self.replies: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.pushes: list[dict[str, Any]] = []
        self.refused: list[tuple[str, int]] = []  # (cmd, errcode) of every refused request
        self.sent: list[Sent] = []
        self._cards: dict[str, Card] = {}
        self._callbacks: dict[str, _Callback] = {}  # by req_id
        self._pending: list[str] = []  # req_ids waiting for a subscribed bot
        self._faults: list[tuple[int, str | None, str | None, str | None]] = []
        self._blocked: set[str] = set()
        self._files: dict[str, tuple[bytes, str]] = {}
        self._ws: web.WebSocketResponse | None = None
        self._conn = 0
        self._seq = itertools.count(1)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.on_sent: Callable[[Sent], None] | None = None  # benchmarks count without polling
        # The application message API (files): corp, agent and secret it accepts.
        self.corp_id, self.agent_id, self.app_secret = "ww-test-corp", 1000002, "app-secret"
        self.app_files: list[tuple[str, str, bytes]] = []  # (userid, file name, content)
        self._tokens: set[str] = set()
        self._media: dict[str, tuple[str, bytes]] = {}

    # -- lifecycle ------------------------------------------------------------------------
    async def __aenter__(self) -> WeComEmulator:
        app = web.Application()
        app.router.add_get("/", self._on_socket)
        app.router.add_get("/files/{name}", self._on_file)
        app.router.add_get("/cgi-bin/gettoken", self._on_gettoken)
        app.router.add_post("/cgi-bin/media/upload", self._on_upload)
        app.router.add_post("/cgi-bin/message/send", self._on_message_send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    # -- the socket -----------------------------------------------------------------------
    async def _on_socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = 0
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                cmd = frame.get("cmd")
                req_id = str(frame.get("headers", {}).get("req_id", ""))
                if cmd == "aibot_subscribe":
                    body = frame.get("body") or {}
                    if body.get("bot_id") != self.bot_id or body.get("secret") != self.secret:
                        self.auth_failures += 1
                        await self._answer(ws, req_id, ERR_SECRET, "invalid secret")
                        await ws.close()
                        break
                    conn = await self._subscribed(ws, req_id)
                elif not conn:
                    await self._answer(ws, req_id, ERR_INVALID, "not subscribed")
                elif cmd == "ping":
                    self.heartbeats += 1
                    await self._answer(ws, req_id, 0, "ok")
                elif self.drop_before_answer and cmd != "aibot_send_msg":
                    self.drop_before_answer = False  # the reply is lost with the connection
                    await self.drop()
                    break
                else:
                    code, message = self._handle(cmd, req_id, frame.get("body") or {}, conn)
                    if code:
                        self.refused.append((str(cmd), code))
                    await self._answer(ws, req_id, code, message)
                    self._touch()
        finally:
            if self._ws is ws:
                self._ws = None
            self._touch()
        return ws

    async def _subscribed(self, ws: web.WebSocketResponse, req_id: str) -> int:
        old = self._ws
        self._conn += 1
        self._ws = ws
        self.subscribes += 1
        await self._answer(ws, req_id, 0, "ok")
        if old is not None and not old.closed:
            await old.close()
        # WeCom retries what the previous connection left unanswered.
        for cb in self._callbacks.values():
            if not cb.answered and cb.conn and cb.req_id not in self._pending:
                self._pending.append(cb.req_id)
        await self._flush()
        self._touch()
        return self._conn

    async def _answer(self, ws: web.WebSocketResponse, req_id: str, code: int, msg: str) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str(
                json.dumps({"headers": {"req_id": req_id}, "errcode": code, "errmsg": msg})
            )

    async def _flush(self) -> None:
        while self._pending and self.connected:
            req_id = self._pending.pop(0)
            cb = self._callbacks[req_id]
            cb.conn, cb.at = self._conn, time.monotonic()
            assert self._ws is not None
            try:
                await self._ws.send_str(json.dumps(cb.frame, ensure_ascii=False))
            except (ConnectionError, RuntimeError):
                self._pending.insert(0, req_id)
                return

    # -- requests from the bot ------------------------------------------------------------
    def _fault(self, cmd: str, chat: str | None, kind: str | None = None) -> int:
        for n, (code, fchat, fcmd, fkind) in enumerate(self._faults):
            if (
                (fchat is None or fchat == chat)
                and (fcmd is None or fcmd == cmd)
                and (fkind is None or fkind == kind)
            ):
                del self._faults[n]
                return code
        if cmd == "aibot_send_msg" and chat in self._blocked:
            return ERR_USER
        return 0

    def _handle(self, cmd: str, req_id: str, body: dict[str, Any], conn: int) -> tuple[int, str]:
        if cmd == "aibot_send_msg":
            chat = body.get("chatid")
            if not isinstance(chat, str) or not chat:
                return ERR_INVALID, "chatid missing"
            if code := self._fault(cmd, chat, body.get("msgtype")):
                return code, "fault"
            problem = self._check_body(body)
            if problem:
                return ERR_INVALID, problem
            self.pushes.append(body)
            self._record(chat, "push", body)
            return 0, "ok"
        cb = self._callbacks.get(req_id)
        if cb is None or cb.conn != conn:
            return ERR_REQ_ID, "invalid req_id"
        if code := self._fault(cmd, cb.chat, body.get("msgtype")):
            return code, "fault"
        if cmd == "aibot_respond_msg":
            problem = self._check_body(body)
            if problem:
                return ERR_INVALID, problem
            cb.answered = True
            self.replies.append(body)
            self._record(cb.chat, "reply", body)
            return 0, "ok"
        if cmd == "aibot_respond_update_msg":
            event = cb.frame["body"].get("event", {}).get("template_card_event")
            if not event:
                return ERR_REQ_ID, "not a card event"
            if time.monotonic() - cb.at > self.update_window:
                return ERR_WINDOW, "update window passed"
            card = body.get("template_card") or {}
            if card.get("task_id") != event["task_id"]:
                return ERR_INVALID, "task_id does not match the clicked card"
            problem = self._check_card(card, new=False)
            if problem:
                return ERR_INVALID, problem
            cb.answered = True
            self.updates.append(body)
            stored = self._cards[event["task_id"]]
            stored.history.append(stored.card)
            stored.card = card
            return 0, "ok"
        return ERR_INVALID, f"unknown cmd {cmd}"

    def _check_body(self, body: dict[str, Any]) -> str | None:
        kind = body.get("msgtype")
        if kind == "markdown":
            content = (body.get("markdown") or {}).get("content")
        elif kind == "stream":
            content = (body.get("stream") or {}).get("content")
        elif kind == "template_card":
            return self._check_card(body.get("template_card") or {}, new=True)
        else:
            return f"msgtype {kind!r} not supported"
        if not isinstance(content, str) or not content.strip():
            return "empty content"
        if len(content.encode()) > MARKDOWN_LIMIT:
            return "content exceeds 20480 bytes"
        return None

    def _check_card(self, card: dict[str, Any], *, new: bool) -> str | None:
        task_id = card.get("task_id")
        if not isinstance(task_id, str) or not task_id or len(task_id) > 128:
            return "task_id missing"
        if new and task_id in self._cards:
            return "task_id reused"
        if card.get("card_type") not in {"button_interaction", "text_notice"}:
            return "card_type not supported"
        if not (card.get("main_title") or {}).get("title"):
            return "main_title.title missing"
        buttons = card.get("button_list") or []
        if card["card_type"] == "button_interaction" and not 1 <= len(buttons) <= 6:
            return "button_list holds 1 to 6 buttons"
        for b in buttons:
            if b.get("type") == 1:
                if not str(b.get("url", "")).startswith(("http://", "https://")):
                    return "url button without url"
            elif not b.get("key") or len(str(b["key"]).encode()) > 1024:
                return "button key missing or over 1024 bytes"
        return None

    def _record(self, chat: str, via: str, body: dict[str, Any]) -> None:
        kind = body["msgtype"]
        if kind == "template_card":
            data = body["template_card"]
            card = Card(chat=chat, task_id=data["task_id"], card=data)
            self._cards[card.task_id] = card
            sent = Sent(chat=chat, via=via, text=card.text, card=card)
        else:
            sent = Sent(chat=chat, via=via, text=body[kind]["content"])
        self.sent.append(sent)
        if self.on_sent is not None:
            self.on_sent(sent)

    # -- what members do ------------------------------------------------------------------
    def _deliver(self, cmd: str, body: dict[str, Any], chat: str) -> str:
        req_id = f"req_{next(self._seq)}_{os.urandom(4).hex()}"
        frame = {"cmd": cmd, "headers": {"req_id": req_id}, "body": body}
        cb = _Callback(req_id=req_id, frame=frame, chat=chat)
        self._callbacks[req_id] = cb
        self._pending.append(req_id)
        asyncio.get_running_loop().create_task(self._flush())
        return str(body["msgid"])

    def _base(self, userid: str, group: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "msgid": f"msg{next(self._seq)}{os.urandom(6).hex()}",
            "create_time": int(time.time()),
            "aibotid": self.bot_id,
            "chattype": "group" if group else "single",
            "from": {"userid": userid},
        }
        if group:
            body["chatid"] = group
        return body

    def send_text(self, userid: str, text: str, *, group: str | None = None) -> str:
        """A member's text (in ``group``: as WeCom delivers it, with the @mention)."""
        body = self._base(userid, group)
        body.update(msgtype="text", text={"content": text})
        return self._deliver("aibot_msg_callback", body, group or userid)

    def send_image(self, userid: str) -> str:
        body = self._base(userid, None)
        body.update(msgtype="image", image={"url": f"http://127.0.0.1:{self.port}/files/x"})
        return self._deliver("aibot_msg_callback", body, userid)

    def send_file(self, userid: str, name: str, content: bytes) -> str:
        """A file, encrypted as WeCom stores it (AES-256-CBC, IV = key[:16], PKCS#7 to 32)."""
        key = os.urandom(32)
        pad = 32 - len(content) % 32
        padded = content + bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
        stored = f"f{next(self._seq)}"
        self._files[stored] = (encryptor.update(padded) + encryptor.finalize(), name)
        body = self._base(userid, None)
        body.update(
            msgtype="file",
            file={
                "url": f"http://127.0.0.1:{self.port}/files/{stored}",
                "aeskey": base64.b64encode(key).decode().rstrip("="),
            },
        )
        return self._deliver("aibot_msg_callback", body, userid)

    def click(self, userid: str, card: Card, key: str) -> str:
        """A member presses a card button whose payload is ``key`` (forged ones too)."""
        body = self._base(userid, None if card.chat == userid else card.chat)
        body.update(
            msgtype="event",
            event={
                "eventtype": "template_card_event",
                "template_card_event": {
                    "card_type": card.card.get("card_type", "button_interaction"),
                    "event_key": key,
                    "task_id": card.task_id,
                },
            },
        )
        return self._deliver("aibot_event_callback", body, card.chat)

    def press(self, userid: str, label_part: str) -> str:
        """Presses the button labelled like ``label_part`` on the newest card that has one."""
        for sent in reversed(self.sent):
            if sent.card is not None and sent.chat == userid:
                with contextlib.suppress(KeyError):
                    return self.click(userid, sent.card, sent.card.key(label_part))
        raise KeyError(f"no card with a button like {label_part!r} for {userid}")

    def has_button(self, userid: str, label_part: str) -> bool:
        return any(
            any(label_part in str(b.get("text", "")) for b in card.buttons)
            for card in self.cards(userid)
        )

    def redeliver(self, msgid: str) -> None:
        """WeCom's retry: the same callback (same msgid) again, under a new req_id."""
        frame = next(
            cb.frame for cb in self._callbacks.values() if cb.frame["body"]["msgid"] == msgid
        )
        chat = next(
            cb.chat for cb in self._callbacks.values() if cb.frame["body"]["msgid"] == msgid
        )
        self._deliver(str(frame["cmd"]), dict(frame["body"]), chat)

    # -- faults ---------------------------------------------------------------------------
    def fail(
        self,
        code: int,
        *,
        times: int = 1,
        chat: str | None = None,
        cmd: str | None = None,
        kind: str | None = None,
    ) -> None:
        """The next ``times`` requests matching chat, cmd and msgtype get ``code``."""
        self._faults.extend([(code, chat, cmd, kind)] * times)

    def block(self, userid: str) -> None:
        self._blocked.add(userid)

    async def drop(self) -> None:
        """The connection breaks (network, WeCom restarting)."""
        if self._ws is not None:
            ws, self._ws = self._ws, None
            await ws.close(code=1006)

    async def _on_file(self, request: web.Request) -> web.Response:
        stored = self._files.get(request.match_info["name"])
        if stored is None:
            return web.Response(status=404)
        data, name = stored
        from urllib.parse import quote

        headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
        return web.Response(body=data, headers=headers)

    # -- the application message API (files) ---------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def expire_tokens(self) -> None:
        self._tokens.clear()

    async def _on_gettoken(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("corpid") != self.corp_id or q.get("corpsecret") != self.app_secret:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        token = os.urandom(8).hex()
        self._tokens.add(token)
        return web.json_response({"errcode": 0, "access_token": token, "expires_in": 7200})

    async def _on_upload(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") not in self._tokens:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        if request.query.get("type") != "file":
            return web.json_response({"errcode": 40004, "errmsg": "invalid media type"})
        form = await request.post()
        media = form.get("media")
        if not isinstance(media, web.FileField):
            return web.json_response({"errcode": 41001, "errmsg": "media missing"})
        media_id = f"m{next(self._seq)}"
        self._media[media_id] = (media.filename, media.file.read())
        return web.json_response({"errcode": 0, "type": "file", "media_id": media_id})

    async def _on_message_send(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") not in self._tokens:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        body = await request.json()
        media = self._media.get(str((body.get("file") or {}).get("media_id")))
        if body.get("agentid") != self.agent_id or body.get("msgtype") != "file" or not media:
            return web.json_response({"errcode": 40058, "errmsg": "invalid parameter"})
        user = str(body.get("touser"))
        if user in self._blocked:
            return web.json_response({"errcode": 0, "errmsg": "ok", "invaliduser": user})
        self.app_files.append((user, media[0], media[1]))
        self._touch()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    # -- reading back ---------------------------------------------------------------------
    def texts(self, chat: str) -> list[str]:
        out = []
        for sent in self.sent:
            if sent.chat != chat:
                continue
            if sent.card is not None:
                labels = " ".join(f"[{b.get('text')}]" for b in sent.card.buttons)
                out.append(f"{sent.card.text}\n{labels}".strip())
            else:
                out.append(sent.text)
        return out

    def cards(self, chat: str) -> list[Card]:
        return [s.card for s in self.sent if s.chat == chat and s.card is not None]

    def _touch(self) -> None:
        self._changed.set()

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 8.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("condition not met in time")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.05))

    async def said(self, chat: str, fragment: str, timeout: float = 8.0) -> None:
        try:
            await self.wait_for(lambda: any(fragment in t for t in self.texts(chat)), timeout)
        except AssertionError:
            raise AssertionError(f"{fragment!r} not said to {chat}: {self.texts(chat)}") from None
