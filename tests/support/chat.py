"""A test harness that talks to the core as a channel would, and reads what came back.

``Chat`` sends text, presses buttons by their label, shares contacts and uploads files, and
keeps the replies rendered as the terminal shows them. It goes through ``App.handle``, the
same entry point every channel uses; nothing of the core is replaced.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.app import App
from bot.delivery.worker import reply_of
from bot.text import render
from bot.types import Button, Incoming, InDocument, Reply
from storage.roster import Roster
from storage.tables import Member, OutboxMessage

__all__ = ["Chat", "FakeClock", "add_member"]

_user_ids = itertools.count(5_000_000_001)


class FakeClock:
    """Moves the whole process's wall clock (time-machine), so stored timestamps, expiry
    checks and the app's ``now`` agree. Starts on a Monday, 09:00 in Beijing."""

    def __init__(self, start: datetime | None = None) -> None:
        import time_machine

        self._traveller = time_machine.travel(start or datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
        self._shift = self._traveller.start()

    def __call__(self) -> datetime:
        return datetime.now(UTC)

    @property
    def now(self) -> datetime:
        return datetime.now(UTC)

    def advance(self, **delta: float) -> None:
        self._shift.shift(timedelta(**delta))

    def stop(self) -> None:
        self._traveller.stop()


async def add_member(
    app: App,
    *,
    name: str,
    phone: str,
    roles: str = "member",
    sector: str = "经济界",
    committee: str = "经济委员会",
    status: str = "active",
) -> Member:
    async with app.db.session() as session:
        return await Roster(session).add(
            Member(
                name=name,
                phone=phone,
                roles=roles,
                sector=sector,
                committee=committee,
                status=status,
            )
        )


@dataclass
class Chat:
    app: App
    user_id: str = field(default_factory=lambda: str(next(_user_ids)))
    platform: str = "console"
    chat_type: str = "private"
    replies: list[Reply] = field(default_factory=list)

    @classmethod
    async def verified(cls, app: App, member: Member, *, platform: str = "console") -> Chat:
        chat = cls(app, platform=platform)
        async with app.db.session() as session:
            await Roster(session).bind(
                member, platform=platform, user_id=chat.user_id, chat_id=chat.user_id, via="test"
            )
        return chat

    # -- sending -----------------------------------------------------------------
    async def incoming(self, incoming: Incoming) -> list[str]:
        self.replies = await self.app.handle(incoming)
        return self.texts

    def _base(self, **kw: object) -> Incoming:
        return Incoming(
            platform=self.platform,
            user_id=self.user_id,
            chat_id=self.user_id,
            chat_type=self.chat_type,  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        )

    async def send(self, text: str, *, update_id: int | None = None) -> list[str]:
        return await self.incoming(self._base(kind="text", text=text, update_id=update_id))

    async def press(self, label: str) -> list[str]:
        """Press the newest button whose label contains ``label``."""
        return await self.press_payload(self.button(label).action or "")

    async def press_payload(self, payload: str) -> list[str]:
        return await self.incoming(self._base(kind="action", action=payload))

    async def share_contact(self, phone: str, *, own: bool = True) -> list[str]:
        return await self.incoming(
            self._base(
                kind="contact",
                contact_phone=phone,
                contact_user_id=self.user_id if own else str(int(self.user_id) + 1),
            )
        )

    async def upload(self, name: str, content: bytes) -> list[str]:
        doc = InDocument(file_name=name, content=content, size=len(content))
        return await self.incoming(self._base(kind="document", document=doc))

    # -- reading -----------------------------------------------------------------
    @property
    def texts(self) -> list[str]:
        return [render(r.text, "plain") for r in self.replies]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[Button]:
        return [b for r in self.replies for row in r.buttons for b in row]

    @property
    def labels(self) -> list[str]:
        return [render(b.label, "plain") for b in self.buttons]

    def button(self, label: str) -> Button:
        """The newest button labelled exactly ``label``, else the newest containing it."""
        for exact in (True, False):
            for b in reversed(self.buttons):
                shown = render(b.label, "plain")
                if shown == label if exact else label in shown:
                    return b
        raise AssertionError(f"no button {label!r} in {self.labels}")

    async def outbox_texts(self) -> list[str]:
        """Messages queued for this chat (notifications), oldest first."""
        return [render(r.text, "plain") for r in await self.outbox_replies()]

    async def outbox_replies(self) -> list[Reply]:
        async with self.app.db.session() as session:
            rows = await session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.chat_id == self.user_id)
                .order_by(col(OutboxMessage.id))
            )
            return [reply_of(r) for r in rows]
