"""Platform-neutral message types at the boundary between channels and the core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.text import Text

__all__ = [
    "Button",
    "ChatType",
    "InDocument",
    "Incoming",
    "OutDocument",
    "Reply",
    "SentMessage",
]

ChatType = Literal["private", "group", "channel"]


@dataclass(frozen=True, slots=True)
class InDocument:
    """A file a member sent. ``content`` is None when it was too large to fetch."""

    file_name: str
    content: bytes | None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One update from a member, as every channel hands it to the core.

    ``kind`` tells what arrived; ``unsupported`` covers photos, stickers, voice and the
    like, which get a hint instead of silence. Account and chat ids are text on every
    platform (WeCom userids are names; Telegram's numbers arrive as their decimal strings).
    """

    platform: str
    user_id: str
    chat_id: str
    kind: Literal["text", "action", "contact", "document", "unsupported"] = "text"
    text: str | None = None
    action: str | None = None
    contact_phone: str | None = None
    contact_user_id: str | None = None
    document: InDocument | None = None
    update_id: int | None = None
    message_id: int | None = None
    chat_type: ChatType = "private"
    display_name: str | None = None

    @property
    def command(self) -> tuple[str, str] | None:
        """``("/proposal", "rest of line")`` for a command, else None (``@botname`` dropped)."""
        if self.kind != "text" or not self.text or not self.text.startswith("/"):
            return None
        head, _, rest = self.text.strip().partition(" ")
        return head.split("@", 1)[0].lower(), rest.strip()


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button (``action`` is a signed payload), a link, or the share-contact key."""

    label: Text
    action: str | None = None
    url: str | None = None
    request_contact: bool = False


@dataclass(frozen=True, slots=True)
class OutDocument:
    file_name: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler wants said. Handlers never call a platform API.

    ``edit`` replaces the message whose button was pressed (the channel falls back to a
    new message when that is impossible); ``edit_message_id`` replaces a known message of
    the chat instead (an outbox row updating a status message, same fallback); ``toast`` is
    the short note on a pressed button.
    """

    text: Text
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    document: OutDocument | None = None
    toast: Text | None = None
    remove_keyboard: bool = False
    typing: bool = False
    edit_message_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Serialised for the outbox (documents travel as bytes in their own column)."""
        return {
            "text": self.text.to_json(),
            "buttons": [
                [
                    {
                        "label": b.label.to_json(),
                        "action": b.action,
                        "url": b.url,
                        "request_contact": b.request_contact,
                    }
                    for b in row
                ]
                for row in self.buttons
            ],
            "remove_keyboard": self.remove_keyboard,
            **({"edit_message_id": self.edit_message_id} if self.edit_message_id else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], document: OutDocument | None = None) -> Reply:
        rows = tuple(
            tuple(
                Button(
                    label=Text.from_json(b["label"]),
                    action=b.get("action"),
                    url=b.get("url"),
                    request_contact=bool(b.get("request_contact")),
                )
                for b in row
            )
            for row in data.get("buttons", [])
        )
        return cls(
            text=Text.from_json(data["text"]),
            buttons=rows,
            document=document,
            remove_keyboard=bool(data.get("remove_keyboard")),
            edit_message_id=data.get("edit_message_id"),
        )


@dataclass(frozen=True, slots=True)
class SentMessage:
    chat_id: str
    message_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
