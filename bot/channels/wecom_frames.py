"""WeCom long-connection frames in, our error tree out (no SDK import here).

:func:`incoming_from_frame` reads an ``aibot_msg_callback`` or ``aibot_event_callback`` frame
(the JSON the SDK hands to its ``message`` and ``event`` listeners) into the core's
``Incoming``; :func:`channel_error` is the one place a failure of the SDK becomes one of
``bot.errors``, by WeCom's ``errcode``:

* "later" codes (:data:`LATER`: the platform is busy or our sending rate is too high):
  ``RetryAfter``, the message goes again after a pause;
* "never" codes (:data:`NEVER`: the userid does not exist, left the company, or is outside
  the bot's visible range): ``Unreachable``, the member is marked unreachable as a Telegram
  member who blocked the bot is;
* a dropped connection or an answer that did not come: ``TransientError`` (retried);
* any other errcode: ``ChannelError`` (the same request would fail the same way again).

Every callback carries a ``msgid`` that WeCom documents as the key to drop its repeated
deliveries; it becomes the update id the core records (:func:`update_id_of`), so a
callback delivered twice, to this process or another, is handled once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.errors import ChannelError, RetryAfter, TransientError, Unreachable
from bot.types import Incoming, InDocument

__all__ = [
    "LATER",
    "NEVER",
    "PLATFORM",
    "CardClick",
    "MalformedFrame",
    "channel_error",
    "errcode_of",
    "incoming_from_frame",
    "update_id_of",
]

PLATFORM = "wecom"
# errcodes that mean "not now": system busy, API frequency limit, concurrency limit.
LATER = frozenset({-1, 45009, 45033, 6000})
# errcodes that mean "never to this address": invalid userid, userid not found, no
# recipient within the bot's visible range.
NEVER = frozenset({40003, 60111, 81013})
_ERRCODE = re.compile(r"errcode=(-?\d+)")
_MENTION = re.compile(r"^\s*(?:@\S+\s*)+")

Downloader = Callable[[str, str | None], Awaitable[tuple[bytes, str | None]]]


class MalformedFrame(ValueError):
    """A callback without the shape WeCom documents."""


@dataclass(frozen=True, slots=True)
class CardClick:
    """What a card update needs from the click: the card's task id."""

    task_id: str
    card_type: str


def update_id_of(msgid: str) -> int:
    """A stable 63-bit id for WeCom's string ``msgid`` (the core records integers)."""
    digest = hashlib.sha256(f"wecom:{msgid}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise MalformedFrame(f"{what} is missing or not a string")
    return value


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedFrame(f"{what} is missing or not an object")
    return value


async def incoming_from_frame(
    frame: dict[str, Any], *, download: Downloader, max_bytes: int
) -> tuple[Incoming, CardClick | None] | None:
    """The core's view of one callback (and the click's card, for an update); None for
    callbacks the bot does not answer (entering the chat, feedback)."""
    body = _obj(frame.get("body"), "body")
    msgid = _str(body.get("msgid"), "msgid")
    sender = _str(_obj(body.get("from"), "from").get("userid"), "from.userid")
    group = body.get("chattype") == "group"
    chat = _str(body.get("chatid"), "chatid") if group else sender
    base: dict[str, Any] = {
        "platform": PLATFORM,
        "user_id": sender,
        "chat_id": chat,
        "update_id": update_id_of(msgid),
        "chat_type": "group" if group else "private",
    }
    kind = body.get("msgtype")
    if kind == "event":
        event = _obj(body.get("event"), "event")
        if event.get("eventtype") != "template_card_event":
            return None
        click = _obj(event.get("template_card_event"), "template_card_event")
        card = CardClick(
            task_id=_str(click.get("task_id"), "task_id"),
            card_type=str(click.get("card_type") or "button_interaction"),
        )
        key = click.get("event_key")
        return Incoming(kind="action", action=key if isinstance(key, str) else "", **base), card
    if kind == "text":
        text = _str(_obj(body.get("text"), "text").get("content"), "text.content")
    elif kind == "voice":  # WeCom sends the transcript
        text = _str(_obj(body.get("voice"), "voice").get("content"), "voice.content")
    elif kind == "mixed":
        items = _obj(body.get("mixed"), "mixed").get("msg_item") or []
        texts = [
            str(_obj(item, "msg_item").get("text", {}).get("content") or "")
            for item in items
            if isinstance(item, dict) and item.get("msgtype") == "text"
        ]
        text = "\n".join(t for t in texts if t)
        if not text:
            return Incoming(kind="unsupported", **base), None
    elif kind == "file":
        file = _obj(body.get("file"), "file")
        url = _str(file.get("url"), "file.url")
        aeskey = file.get("aeskey") if isinstance(file.get("aeskey"), str) else None
        content, name = await download(url, aeskey)
        document = InDocument(
            file_name=name or "file",
            content=content if len(content) <= max_bytes else None,
            size=len(content),
        )
        return Incoming(kind="document", document=document, **base), None
    else:  # images, videos, stickers: a hint instead of silence
        return Incoming(kind="unsupported", **base), None
    if group:
        text = _addressed(text)
        if not text:
            return None
    return Incoming(kind="text", text=text, **base), None


def _addressed(text: str) -> str:
    """A group message reaches the bot only when it @-mentions it: the mention goes, and a
    plain question becomes ``/ask`` as on Telegram."""
    rest = _MENTION.sub("", text, count=1).strip()
    if not rest or rest.startswith("/"):
        return rest
    return f"/ask {rest}"


def errcode_of(exc: BaseException) -> int | None:
    found = _ERRCODE.search(str(exc))
    return int(found.group(1)) if found else None


def channel_error(exc: BaseException, *, chat_id: str | None, pause: float) -> ChannelError:
    """The one mapping from an SDK failure to our error tree (see the module docstring)."""
    if isinstance(exc, ChannelError):
        return exc
    code = errcode_of(exc)
    text = f"WeCom errcode {code}" if code is not None else type(exc).__name__
    if code in LATER:
        return RetryAfter(pause, chat_id=chat_id)
    if code in NEVER:
        return Unreachable(f"{text}: {_errmsg(exc)}")
    if code is None:
        return TransientError(f"{text}: {exc}")  # not connected, closed, timed out
    return ChannelError(f"{text}: {_errmsg(exc)}")


def _errmsg(exc: BaseException) -> str:
    found = re.search(r"errmsg=([^,)]*)", str(exc))
    return found.group(1).strip() if found else ""
