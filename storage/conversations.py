"""Repository for conversation state and processed update ids.

Every flow step goes through here, so it reads and writes with prepared Core statements and
keeps its instances out of the session (storage/detached.py): the session has nothing to
check or flush at commit. The rule that follows is the one flows kept anyway: a change to a
conversation is stored by ``save()``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.detached import columns_of, detached
from storage.tables import Conversation, ProcessedUpdate

__all__ = ["Conversations", "Updates"]


# The statements of every flow step, built once: building one cost as much as running it.
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
_COLUMNS = columns_of(Conversation)
_NAMES = tuple(c.key for c in _COLUMNS)
_BY_MEMBER = _CONVERSATION.c.member_id == bindparam("member_id")
_ACTIVE = select(*_COLUMNS).where(_BY_MEMBER, _CONVERSATION.c.status == "active")
_OF_FLOW = select(*_COLUMNS).where(_BY_MEMBER, _CONVERSATION.c.flow == bindparam("flow"))
_AT_START = select(*_COLUMNS).where(
    _BY_MEMBER,
    or_(_CONVERSATION.c.flow == bindparam("flow"), _CONVERSATION.c.status == "active"),
)
_PARKED = (
    select(*_COLUMNS)
    .where(_BY_MEMBER, _CONVERSATION.c.status == "parked")
    .order_by(_CONVERSATION.c.updated_at.desc())
)
_INSERT_COLUMNS = tuple(name for name in _NAMES if name != "id")
_INSERT = insert(_CONVERSATION).values({name: bindparam(name) for name in _INSERT_COLUMNS})
_STEP_COLUMNS = ("step", "data", "history", "rev", "status", "updated_at")
_SAVE_STEP = (
    update(_CONVERSATION)
    .where(_CONVERSATION.c.id == bindparam("conversation_id"))
    .values({name: bindparam(name) for name in _STEP_COLUMNS})
)
_DELETE = delete(_CONVERSATION).where(_CONVERSATION.c.id == bindparam("conversation_id"))


async def _execute(session: AsyncSession, statement: Any, params: dict[str, Any]) -> Any:
    """A prepared Core statement on the session's connection, in one trip into SQLAlchemy's
    greenlet (``connection()`` then ``execute()`` would take two on every flow step)."""
    return await session.run_sync(lambda sync: sync.connection().execute(statement, params))


async def _load(
    session: AsyncSession, statement: Any, params: dict[str, Any]
) -> list[Conversation]:
    def rows(sync: Session) -> list[Conversation]:
        found = sync.connection().execute(statement, params)
        return [detached(Conversation, _NAMES, row) for row in found]

    return await session.run_sync(rows)


class Conversations:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, member_id: int) -> Conversation | None:
        return next(iter(await _load(self.session, _ACTIVE, {"member_id": member_id})), None)

    async def of_flow(self, member_id: int, flow: str) -> Conversation | None:
        found = await _load(self.session, _OF_FLOW, {"member_id": member_id, "flow": flow})
        return next(iter(found), None)

    async def at_start(
        self, member_id: int, flow: str
    ) -> tuple[Conversation | None, Conversation | None]:
        """Before a flow starts, in one query: its unfinished draft, and the flow now active."""
        found = await _load(self.session, _AT_START, {"member_id": member_id, "flow": flow})
        same = next((c for c in found if c.flow == flow), None)
        active = next((c for c in found if c.status == "active"), None)
        return same, active

    async def parked(self, member_id: int) -> list[Conversation]:
        """Newest first."""
        return await _load(self.session, _PARKED, {"member_id": member_id})

    async def start(
        self, *, member_id: int, chat_id: str, flow: str, step: str, data: dict[str, Any]
    ) -> Conversation:
        """A new active conversation at ``step``, stored."""
        now = utcnow()
        values: dict[str, Any] = {
            "member_id": member_id,
            "chat_id": chat_id,
            "flow": flow,
            "step": step,
            "data": data,
            "history": [],
            "rev": 1,
            "status": "active",
            "created_at": now,
            "updated_at": now,
        }
        result = await _execute(self.session, _INSERT, values)
        new_id = result.inserted_primary_key[0]
        return detached(Conversation, ("id", *values), (new_id, *values.values()))

    async def save(self, conversation: Conversation, *, bump: bool = True) -> Conversation:
        """Persist now, so the step is stored before any reply goes out. ``conversation``
        is one this repository read or ``start()`` stored."""
        assert conversation.id is not None, "a new conversation is stored by start()"
        values = {name: getattr(conversation, name) for name in _STEP_COLUMNS}
        values["rev"] += bump
        values["updated_at"] = utcnow()
        await _execute(self.session, _SAVE_STEP, {"conversation_id": conversation.id, **values})
        # Marked as stored: in-place changes to the JSON columns need no flag_modified either.
        for name, value in values.items():
            set_committed_value(conversation, name, value)
        return conversation

    async def park_active(self, member_id: int) -> Conversation | None:
        current = await self.active(member_id)
        if current is not None:
            await self.park(current)
        return current

    async def park(self, conversation: Conversation) -> None:
        conversation.status = "parked"
        await self.save(conversation)

    async def delete(self, conversation: Conversation) -> None:
        await _execute(self.session, _DELETE, {"conversation_id": conversation.id})


class Updates:
    """Remembers update ids so a redelivered update is handled once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def forget_before(self, when: datetime) -> int:
        result = await self.session.exec(
            delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < when)
        )
        return int(result.rowcount or 0)
