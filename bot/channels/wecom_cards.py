"""Buttons as WeCom template cards.

A reply's buttons become ``button_interaction`` cards: each action button carries our
signed payload (bot/callbacks.py) as its ``key``, which WeCom hands back unchanged in the
``template_card_event`` of a click (``event_key``), where the core checks it again as it
checks Telegram's callback data. A link button is a ``type: 1`` button with its URL.

A card holds at most six buttons and shows plain text only, briefly: the text of a reply
that fits (:data:`CARD_TEXT_LIMIT`) goes into the card itself, so an edit can replace the
whole message; a longer text goes first as markdown and the card carries only the buttons
under a short title. A card that lost its buttons (an edit that ends a step) becomes a
``text_notice`` card with the new text.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.types import Button, Reply

__all__ = [
    "BUTTONS_PER_CARD",
    "CARD_TEXT_LIMIT",
    "CardPlan",
    "button_card",
    "new_task_id",
    "notice_card",
    "plan_cards",
]

BUTTONS_PER_CARD = 6  # WeCom's limit for button_list
CARD_TEXT_LIMIT = 400  # characters of plain text a card shows comfortably
TITLE_LIMIT = 26  # main_title.title, WeCom's recommendation
LABEL_LIMIT = 20  # button text; longer labels are cut with an ellipsis
_COUNTER = itertools.count(1)
_PREFIX = os.urandom(3).hex()


def new_task_id() -> str:
    """Unique per card (WeCom refuses a reused task_id): letters, digits and ``_`` only."""
    return f"cb_{_PREFIX}_{time.time_ns() // 1_000_000:x}_{next(_COUNTER)}"


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _title_and_body(text: str) -> tuple[str, str]:
    first, _, rest = text.strip().partition("\n")
    if len(first) > TITLE_LIMIT:
        return _cut(first, TITLE_LIMIT), text.strip()
    return first, rest.strip()


def _button(button: Button, label: str) -> dict[str, Any]:
    if button.url:
        return {"type": 1, "text": _cut(label, LABEL_LIMIT), "url": button.url}
    return {"text": _cut(label, LABEL_LIMIT), "style": 1, "key": button.action or "noop"}


def button_card(
    *, text: str, buttons: Sequence[tuple[Button, str]], task_id: str
) -> dict[str, Any]:
    """One ``button_interaction`` card: ``text`` (plain) and up to six (button, label)."""
    title, body = _title_and_body(text)
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "main_title": {"title": title or "…"},
        "task_id": task_id,
        "button_list": [_button(b, label) for b, label in buttons],
    }
    if body:
        card["sub_title_text"] = body
    return card


def notice_card(*, text: str, task_id: str) -> dict[str, Any]:
    """A card without buttons (what a clicked card becomes when its step is done)."""
    title, body = _title_and_body(text)
    card: dict[str, Any] = {
        "card_type": "text_notice",
        "main_title": {"title": title or "…"},
        "task_id": task_id,
    }
    if body:
        card["sub_title_text"] = body
    return card


@dataclass(frozen=True, slots=True)
class CardPlan:
    """How one reply goes out: markdown first (may be empty), then these cards."""

    card_text: str  # plain text of the first card: the reply's, or a title
    markdown_first: bool  # the reply's text did not fit a card: it goes as markdown
    groups: list[list[tuple[Button, str]]]


def plan_cards(reply: Reply, plain_text: str, labels: list[list[str]], title: str) -> CardPlan:
    """Buttons in cards of six; the text inside the first card when it is short enough.

    ``labels`` are the buttons' labels rendered as plain text (row by row); ``title`` is
    the card title used when the text goes as markdown above the cards. Buttons WeCom
    cannot show (sharing a contact) are left out.
    """
    flat = [
        (button, label)
        for row, row_labels in zip(reply.buttons, labels, strict=True)
        for button, label in zip(row, row_labels, strict=True)
        if not button.request_contact
    ]
    groups = [flat[i : i + BUTTONS_PER_CARD] for i in range(0, len(flat), BUTTONS_PER_CARD)]
    short = bool(plain_text.strip()) and len(plain_text) <= CARD_TEXT_LIMIT
    return CardPlan(
        card_text=plain_text.strip() if short else title, markdown_first=not short, groups=groups
    )
