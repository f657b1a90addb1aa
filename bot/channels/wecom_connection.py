"""The long connection to WeCom, on the official SDK (``wecom-aibot-python-sdk``).

The SDK's ``WSClient`` does the protocol: it subscribes with bot id + secret, sends the
heartbeats, reconnects with exponential backoff (1 s doubling to 30 s, here without a limit)
and subscribes again, sends one reply per ``req_id`` at a time and waits for each answer
(5 s), and downloads + decrypts files. This module starts and stops it the way the bot
needs and keeps the SDK's types and exceptions out of the rest of the code:

* :meth:`WeComConnection.open` returns once the first subscription is accepted; a refused
  one (wrong secret) raises ``ConfigError`` with one clear line, and the client is stopped
  (the SDK would otherwise retry it forever);
* every callback frame goes to ``on_frame`` in a task of its own (the SDK's emitter does
  that), whose failures are logged here;
* the SDK logs through :mod:`logging` (its default logger prints to stdout).

One adaptation: the SDK passes its TLS context to ``websockets.connect`` for every URL, and
websockets refuses a TLS context for ``ws://``; for a plain ``ws://`` endpoint (the local
emulator in tests) the context is cleared. ``wss://`` is untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.catalogue import catalogue
from bot.errors import ConfigError

__all__ = ["WeComConnection"]

log = logging.getLogger(__name__)
_AUTH_CODE = re.compile(r"code:\s*(-?\d+)")


class _SdkLog:
    """The SDK's logger protocol onto :mod:`logging` (it writes %-free f-strings)."""

    def debug(self, message: str, *args: Any) -> None:
        log.debug("%s", message)

    def info(self, message: str, *args: Any) -> None:
        log.debug("%s", message)  # connect/auth chatter: debug for us

    def warn(self, message: str, *args: Any) -> None:
        log.info("%s", message)

    def error(self, message: str, *args: Any) -> None:
        # A refused subscription is reported once, by WeComConnection, in Chinese.
        log.log(
            logging.DEBUG if "Authentication failed" in message else logging.WARNING, "%s", message
        )


class WeComConnection:
    def __init__(
        self,
        *,
        bot_id: str,
        secret: str,
        ws_url: str,
        on_frame: Callable[[dict[str, Any]], Awaitable[None]],
        heartbeat_seconds: float = 30.0,
        reconnect_base_seconds: float = 1.0,
    ) -> None:
        self.bot_id = bot_id
        self._secret = secret
        self.ws_url = ws_url
        self._on_frame = on_frame
        self._heartbeat_ms = int(heartbeat_seconds * 1000)
        self._reconnect_ms = int(reconnect_base_seconds * 1000)
        self._client: Any = None
        self._connecting: asyncio.Task[Any] | None = None
        self._subscribed = asyncio.Event()
        self._refused: str | None = None
        self.subscriptions = 0  # how many times a subscription was accepted

    async def open(self, *, timeout: float = 15.0) -> None:
        import aibot.ws
        from aibot import WSClient, WSClientOptions

        if self.ws_url.startswith("ws://"):
            aibot.ws._SSL_CONTEXT = None  # see the docstring
        client = WSClient(
            WSClientOptions(
                bot_id=self.bot_id,
                secret=self._secret,
                ws_url=self.ws_url,
                heartbeat_interval=self._heartbeat_ms,
                reconnect_interval=self._reconnect_ms,
                max_reconnect_attempts=-1,
                logger=_SdkLog(),
            )
        )
        client.on("message", self._frame)
        client.on("event", self._frame)
        client.on("authenticated", self._on_subscribed)
        client.on("error", self._on_error)
        client.on("disconnected", lambda reason: log.info("WeCom connection lost: %s", reason))
        self._client = client
        self._connecting = asyncio.ensure_future(client.connect())
        try:
            await asyncio.wait_for(self._subscribed.wait(), timeout=timeout)
        except TimeoutError:
            await self.close()
            if self._refused is not None:
                raise self._refusal() from None
            raise ConfigError(catalogue().s("wecom.unreachable", url=self.ws_url)) from None
        if self._refused is not None:
            await self.close()
            raise self._refusal()

    def _refusal(self) -> ConfigError:
        found = _AUTH_CODE.search(self._refused or "")
        code = found.group(1) if found else "?"
        return ConfigError(catalogue().s("wecom.subscribe_failed", code=code))

    def _on_subscribed(self) -> None:
        self.subscriptions += 1
        self._subscribed.set()

    def _on_error(self, error: Exception) -> None:
        text = str(error)
        if "Authentication failed" in text:
            # Only the first subscription can be refused for the credentials; a refusal
            # later (revoked secret) stops the bot's connection the same way.
            self._refused = text
            if self._subscribed.is_set():  # after the start: nobody else says it
                log.error("%s", self._refusal())
            self._subscribed.set()
            if self._client is not None:
                self._client.disconnect()  # the SDK would retry the refused secret forever
            return
        log.warning("WeCom connection: %s", type(error).__name__)

    async def _frame(self, frame: dict[str, Any]) -> None:
        try:
            await self._on_frame(frame)
        except Exception:
            log.exception("WeCom callback failed")

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            if self._refused is None:  # a refusal already disconnected it
                client.disconnect()
            await asyncio.sleep(0)  # let the SDK schedule its close
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._connecting

    @property
    def connected(self) -> bool:
        return self._client is not None and bool(self._client.is_connected)

    # -- requests: each returns WeCom's answer frame or raises the SDK's exception ---------
    def _live(self) -> Any:
        if self._client is None:
            raise RuntimeError("WebSocket not connected, unable to send data")
        return self._client

    async def reply(self, headers: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await self._live().reply({"headers": headers}, body)
        return result

    async def update_card(
        self, headers: dict[str, Any], card: dict[str, Any], userids: list[str] | None = None
    ) -> dict[str, Any]:
        result: dict[str, Any] = await self._live().update_template_card(
            {"headers": headers}, card, userids
        )
        return result

    async def push(self, chat_id: str, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await self._live().send_message(chat_id, body)
        return result

    async def download(self, url: str, aes_key: str | None) -> tuple[bytes, str | None]:
        data, name = await self._live().download_file(url, aes_key)
        return bytes(data), name
