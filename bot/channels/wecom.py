"""The WeCom (企业微信 / 政务微信) channel: WeCom's AI bot over its long connection.

Updates in: each ``aibot_msg_callback`` / ``aibot_event_callback`` frame the SDK receives is
read by :func:`~bot.channels.wecom_frames.incoming_from_frame` and handed to the core; a
callback that WeCom delivers again while the first copy is still being handled is dropped
here, and one delivered again later is a no-op in the core (its ``msgid`` is the update id,
recorded with the handler's changes). WeCom delivers again a callback left unanswered when
its connection dropped, so a drop loses nothing and doubles nothing; a reply that could not
go on the old connection is retried and, failing that, pushed from the outbox.

Replies out (:meth:`WeComChannel.send`):

* the answer to a member's message or click goes as a reply on the callback's ``req_id``
  (``aibot_respond_msg``, a finished ``stream`` in WeCom markdown); when that ``req_id`` is
  no longer usable (the connection it came on is gone) it goes as a push instead;
* everything else (notices, reminders, status messages, replies the outbox delivers late)
  is a proactive push to the userid or group chatid (``aibot_send_msg``, markdown);
* buttons become template cards (wecom_cards.py); an edit after a click updates the clicked
  card (``aibot_respond_update_msg``) while WeCom's 5-second window is open, else a new
  message goes;
* WeCom's AI bot cannot send files: a reply's document goes through the WeCom application
  message API when one is configured (wecom_files.py), and a line says where it went;
  without the application (or when it refused) a private chat gets a signed download link
  when ``COMMITTEE_BOT_PUBLIC_URL`` is set (``file_links``, bot/web/files.py serves it),
  and otherwise a line says where to get the file.

A text over WeCom's 20480-byte limit goes as several messages (wecom_markdown.py), the cards
after the last; when a later one fails, the retry of the reply sends only those still
missing. Failures come out as ``bot.errors`` by errcode (wecom_frames.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from typing import Any, Protocol

from bot.catalogue import catalogue
from bot.channels.base import PACE_EXTRA_PART, Channel, UpdateHandler
from bot.channels.wecom_cards import (
    CardPlan,
    button_card,
    new_task_id,
    notice_card,
    plan_cards,
)
from bot.channels.wecom_connection import WeComConnection
from bot.channels.wecom_files import WeComAppFiles
from bot.channels.wecom_frames import (
    LATER,
    NEVER,
    PLATFORM,
    CardClick,
    MalformedFrame,
    channel_error,
    errcode_of,
    incoming_from_frame,
)
from bot.channels.wecom_markdown import plain, to_markdown
from bot.errors import ChannelError, ConfigError, RetryAfter, TransientError, Unreachable
from bot.settings import Settings
from bot.text import Text
from bot.types import Button, Incoming, OutDocument, Reply, SentMessage

__all__ = ["PLATFORM", "FileLinker", "WeComChannel", "WeComConfig"]

log = logging.getLogger(__name__)
_FILES_TTL = 600.0  # seconds a delivered file is remembered for the retry of its reply
_PARTIAL_TTL = 600.0  # seconds a half-sent reply is remembered for its retry
_PARTIAL_MAX = 256


def _fingerprint(text: str, plan: CardPlan) -> str:
    buttons = [[(label, b.action, b.url) for b, label in group] for group in plan.groups]
    raw = json.dumps([text, buttons], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


# The plan of a reply without buttons: its text as markdown, no card.
_NO_CARDS = CardPlan(card_text="", markdown_first=True, groups=[])


class FileLinker(Protocol):
    """Stores a document and returns a signed download link to it (bot/web/files.py)."""

    @property
    def hours(self) -> int: ...

    async def publish(self, platform: str, chat_id: str, document: OutDocument) -> str: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class WeComConfig:
    bot_id: str
    secret: str
    ws_url: str
    max_upload_bytes: int
    retry_seconds: float = 30.0
    heartbeat_seconds: float = 30.0
    reconnect_base_seconds: float = 1.0
    start_timeout: float = 15.0
    # WeCom accepts a card update up to 5 s after the click; past this, a new message.
    update_window: float = 4.0
    # Files through the WeCom application message API (all three, or none).
    corp_id: str | None = None
    agent_id: int | None = None
    app_secret: str | None = None
    api_url: str = "https://qyapi.weixin.qq.com"

    @classmethod
    def from_settings(cls, settings: Settings) -> WeComConfig:
        """Checks what a start needs; a missing value fails here with one clear line."""
        if not settings.wecom_bot_id or settings.wecom_secret is None:
            raise ConfigError(catalogue().s("wecom.missing_settings"))
        app = (settings.wecom_corp_id, settings.wecom_agent_id, settings.wecom_app_secret)
        if any(v is not None for v in app) and not all(v is not None for v in app):
            raise ConfigError(catalogue().s("wecom.files_partial"))
        secret = settings.wecom_app_secret
        return cls(
            corp_id=settings.wecom_corp_id,
            agent_id=settings.wecom_agent_id,
            app_secret=secret.get_secret_value() if secret is not None else None,
            api_url=settings.wecom_api_url,
            bot_id=settings.wecom_bot_id,
            secret=settings.wecom_secret.get_secret_value(),
            ws_url=settings.wecom_ws_url,
            max_upload_bytes=settings.max_upload_bytes,
            retry_seconds=settings.wecom_retry_seconds,
        )


@dataclass(slots=True)
class _Callback:
    """The callback an update came in: what a reply to it needs."""

    headers: dict[str, Any]
    at: float
    click: CardClick | None
    answered_by_push: bool = False


class WeComChannel(Channel):
    platform = PLATFORM
    markup = "plain"

    def __init__(self, *, config: WeComConfig, file_links: FileLinker | None = None) -> None:
        self.config = config
        self._links = file_links
        self._links_made: dict[tuple[str, str], tuple[str, float]] = {}
        self._on_update: UpdateHandler | None = None
        self._connection: WeComConnection | None = None
        self._callbacks: dict[int, _Callback] = {}
        self._files: WeComAppFiles | None = None
        if config.corp_id and config.agent_id is not None and config.app_secret:
            self._files = WeComAppFiles(
                corp_id=config.corp_id,
                agent_id=config.agent_id,
                secret=config.app_secret,
                api_url=config.api_url,
                retry_seconds=config.retry_seconds,
            )
        # Files already delivered, so the retry of a reply whose text failed skips them.
        self._files_sent: dict[tuple[str, str], float] = {}
        # Replies of several messages half sent: (chat, fingerprint) -> (messages sent, when).
        self._partial: dict[tuple[str, str], tuple[int, float]] = {}

    # -- receiving ------------------------------------------------------------------------
    async def start(self, on_update: UpdateHandler) -> None:
        self._on_update = on_update
        self._connection = WeComConnection(
            bot_id=self.config.bot_id,
            secret=self.config.secret,
            ws_url=self.config.ws_url,
            on_frame=self._on_frame,
            heartbeat_seconds=self.config.heartbeat_seconds,
            reconnect_base_seconds=self.config.reconnect_base_seconds,
        )
        await self._connection.open(timeout=self.config.start_timeout)

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close()
        if self._files is not None:
            await self._files.close()

    @property
    def connection(self) -> WeComConnection:
        if self._connection is None:
            raise TransientError("WeCom channel not started")
        return self._connection

    async def _on_frame(self, frame: dict[str, Any]) -> None:
        assert self._on_update is not None
        try:
            parsed = await incoming_from_frame(
                frame, download=self._download, max_bytes=self.config.max_upload_bytes
            )
        except MalformedFrame as exc:
            # One line, no content: a callback carries members' words.
            log.warning("WeCom callback skipped: %s", exc)
            return
        if parsed is None:
            return
        incoming, click = parsed
        key = incoming.update_id or 0
        if key in self._callbacks:
            return  # WeCom's retry of a callback still being handled
        headers = dict(frame.get("headers") or {})
        self._callbacks[key] = _Callback(headers=headers, at=time.monotonic(), click=click)
        try:
            await self._on_update(incoming)
        finally:
            self._callbacks.pop(key, None)

    async def _download(self, url: str, aes_key: str | None) -> tuple[bytes, str | None]:
        try:
            return await self.connection.download(url, aes_key)
        except Exception as exc:
            log.warning("could not fetch a WeCom file: %s", type(exc).__name__)
            return b"", None

    # -- sending --------------------------------------------------------------------------
    async def send(
        self, chat_id: str, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage:
        callback = None
        if in_reply_to is not None and in_reply_to.platform == PLATFORM:
            callback = self._callbacks.get(in_reply_to.update_id or 0)
        text = reply.text
        if reply.document is not None:
            private = in_reply_to is None or in_reply_to.chat_type == "private"
            note = await self._file_note(chat_id, reply.document, private=private)
            text = text + Text.plain("\n\n") + note if plain(text).strip() else note
        if not reply.buttons and not reply.edit:
            # No cards and no card to update: the text goes as markdown, and the plain
            # rendering and card plan below would only be thrown away.
            return await self._send_items(chat_id, callback, text, _NO_CARDS, "", "")
        # Rendered once per reply: a flow step's reply is mostly this (see wecom_bench.py).
        text_plain = plain(text)
        labels = [[plain(b.label) for b in row] for row in reply.buttons]
        title = catalogue().s("wecom.card_title") if labels else ""
        plan = plan_cards(reply, text_plain, labels, title)
        if reply.edit and await self._update_clicked(callback, text_plain, plan):
            return SentMessage(chat_id=chat_id)
        return await self._send_items(chat_id, callback, text, plan, text_plain, title)

    async def _send_items(
        self,
        chat_id: str,
        callback: _Callback | None,
        text: Text,
        plan: CardPlan,
        text_plain: str,
        title: str,
    ) -> SentMessage:
        """The reply as its messages: markdown parts (unless the text sits in the first
        card), then the cards."""
        items: list[str | list[tuple[Button, str]]] = []  # markdown parts, then card groups
        if not plan.groups or plan.markdown_first:
            items.extend(to_markdown(text))
        items.extend(plan.groups)
        # Only a reply of several messages can be half sent: its retry skips what went.
        key = None
        if len(items) > 1:
            key = (chat_id, _fingerprint(text_plain or plain(text), plan))
        done = self._resume(key) if key else 0
        for n in range(done, len(items)):
            item = items[n]
            try:
                await self._pace(n, chat_id)
                if isinstance(item, str):
                    await self._say(chat_id, callback, item)
                else:
                    first = n == len(items) - len(plan.groups)
                    card_text = plan.card_text if first else title
                    card = button_card(text=card_text, buttons=item, task_id=new_task_id())
                    body = {"msgtype": "template_card", "template_card": card}
                    await self._deliver(chat_id, callback, body)
            except BaseException:
                if key and n:
                    self._remember(key, n)
                raise
        return SentMessage(chat_id=chat_id)

    async def _update_clicked(self, callback: _Callback | None, text: str, plan: CardPlan) -> bool:
        """An edit after a click replaces the clicked card while WeCom allows it: with the
        new buttons (when they fit one card with the text), or as a notice without."""
        clicked = self._updatable(callback)
        if clicked is None or callback is None or plan.markdown_first:
            return False
        if not plan.groups:
            card = notice_card(text=text, task_id=clicked.task_id)
        elif len(plan.groups) == 1:
            card = button_card(text=plan.card_text, buttons=plan.groups[0], task_id=clicked.task_id)
        else:
            return False
        return await self._try_update(callback, card)

    def _resume(self, key: tuple[str, str]) -> int:
        done, at = self._partial.pop(key, (0, 0.0))
        return done if time.monotonic() - at <= _PARTIAL_TTL else 0

    def _remember(self, key: tuple[str, str], done: int) -> None:
        self._partial[key] = (done, time.monotonic())
        while len(self._partial) > _PARTIAL_MAX:
            del self._partial[next(iter(self._partial))]

    async def _file_note(self, chat_id: str, document: OutDocument, *, private: bool) -> Text:
        """The line that replaces a document: where it went, its link, or where to get it.
        A link is only for a private chat: anyone holding it can download the file."""
        name = document.file_name
        if private and await self._send_file(chat_id, document):
            return catalogue().t("wecom.file_from_app", name=name)
        if private and self._links is not None:
            url = await self._link(chat_id, document, self._links)
            if url is not None:
                return catalogue().t("wecom.file_link", name=name, url=url, hours=self._links.hours)
        return catalogue().t("wecom.file_elsewhere", name=name)

    async def _link(self, chat_id: str, document: OutDocument, links: FileLinker) -> str | None:
        """A stored link for the document; the retry of a reply reuses the first one."""
        key = (chat_id, hashlib.sha256(document.content).hexdigest())
        now = time.monotonic()
        self._links_made = {k: v for k, v in self._links_made.items() if now - v[1] < _FILES_TTL}
        if key in self._links_made:
            return self._links_made[key][0]
        try:
            url = await links.publish(PLATFORM, chat_id, document)
        except Exception as exc:  # the database is down: the member is told where else
            log.warning("no download link for %s: %s", document.file_name, type(exc).__name__)
            return None
        self._links_made[key] = (url, now)
        return url

    async def _send_file(self, chat_id: str, document: OutDocument) -> bool:
        """The file through the application API; False when not configured or refused
        (the member is then told where to get it)."""
        if self._files is None:
            return False
        digest = hashlib.sha256(document.content).hexdigest()
        now = time.monotonic()
        self._files_sent = {k: t for k, t in self._files_sent.items() if now - t < _FILES_TTL}
        if (chat_id, digest) in self._files_sent:
            return True
        try:
            await self._files.send(chat_id, document)
        except ChannelError as exc:
            log.warning("file %s not sent to %s: %s", document.file_name, chat_id, exc)
            return False
        self._files_sent[(chat_id, digest)] = now
        return True

    def _updatable(self, callback: _Callback | None) -> CardClick | None:
        """The clicked card, while WeCom still accepts its update."""
        if callback is None or callback.click is None:
            return None
        if time.monotonic() - callback.at > self.config.update_window:
            return None
        return callback.click

    async def _try_update(self, callback: _Callback, card: dict[str, Any]) -> bool:
        """Updates the clicked card; False when WeCom refuses (a new message goes instead)."""
        try:
            await self.connection.update_card(callback.headers, card)
            return True
        except Exception as exc:
            error = channel_error(exc, chat_id=None, pause=self.config.retry_seconds)
            if isinstance(error, TransientError):
                raise error from exc
            log.info("card update refused (%s); sending a new message", error)
            return False

    async def _pace(self, n: int, chat_id: str) -> None:
        if n and (pace := PACE_EXTRA_PART.get()) is not None:
            await pace(chat_id)

    async def _say(self, chat_id: str, callback: _Callback | None, markdown: str) -> None:
        if callback is not None and not callback.answered_by_push:
            stream = {"id": f"s{os.urandom(8).hex()}", "finish": True, "content": markdown}
            body: dict[str, Any] = {"msgtype": "stream", "stream": stream}
        else:
            body = {"msgtype": "markdown", "markdown": {"content": markdown}}
        await self._deliver(chat_id, callback, body)

    async def _deliver(
        self, chat_id: str, callback: _Callback | None, body: dict[str, Any]
    ) -> None:
        """A reply on the callback's req_id, else (or when WeCom no longer takes that
        req_id) a push to the chat."""
        if callback is not None and not callback.answered_by_push:
            try:
                await self.connection.reply(callback.headers, body)
                return
            except Exception as exc:
                code = errcode_of(exc)
                if code is None or code in LATER or code in NEVER:
                    raise self._translate(exc, chat_id) from exc
                log.info("reply refused (errcode %s); pushing instead", code)
                callback.answered_by_push = True
                if body.get("msgtype") == "stream":
                    body = {
                        "msgtype": "markdown",
                        "markdown": {"content": body["stream"]["content"]},
                    }
        try:
            await self.connection.push(chat_id, body)
        except Exception as exc:
            raise self._translate(exc, chat_id) from exc

    def _translate(self, exc: Exception, chat_id: str) -> ChannelError:
        error = channel_error(exc, chat_id=chat_id, pause=self.config.retry_seconds)
        if isinstance(error, RetryAfter | Unreachable):
            log.info("WeCom refused a message to %s: %s", chat_id, error)
        return error
