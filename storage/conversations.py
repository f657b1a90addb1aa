"""Repository for conversation state and processed update ids."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, inspect, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.tables import Conversation, ProcessedUpdate

__all__ = ["Conversations", "Updates"]


# The statements of every flow step, built once: building one cost as much as running it.
_BY_MEMBER = col(Conversation.member_id) == bindparam("member_id")
_ACTIVE = select(Conversation).where(_BY_MEMBER, col(Conversation.status) == "active")
_OF_FLOW = select(Conversation).where(_BY_MEMBER, col(Conversation.flow) == bindparam("flow"))
_AT_START = select(Conversation).where(
    _BY_MEMBER,
    or_(col(Conversation.flow) == bindparam("flow"), col(Conversation.status) == "active"),
)
_STEP_COLUMNS = ("step", "data", "history", "rev", "status", "updated_at")
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
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


class Conversations:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, member_id: int) -> Conversation | None:
        return await self._first(_ACTIVE, member_id=member_id)

    async def of_flow(self, member_id: int, flow: str) -> Conversation | None:
        return await self._first(_OF_FLOW, member_id=member_id, flow=flow)

    async def at_start(
        self, member_id: int, flow: str
    ) -> tuple[Conversation | None, Conversation | None]:
        """Before a flow starts, in one query: its unfinished draft, and the flow now active."""
        rows = await self.session.exec(_AT_START, params={"member_id": member_id, "flow": flow})  # type: ignore[call-overload]
        found = list(rows)
        same = next((c for c in found if c.flow == flow), None)
        active = next((c for c in found if c.status == "active"), None)
        return same, active

    async def _first(self, stmt: Any, **params: Any) -> Conversation | None:
        rows = await self.session.exec(stmt, params=params)  # type: ignore[call-overload]
        return rows.first()  # type: ignore[no-any-return]

    async def parked(self, member_id: int) -> list[Conversation]:
        stmt = select(Conversation).where(
            Conversation.member_id == member_id, Conversation.status == "parked"
        )
        return list(await self.session.exec(stmt.order_by(col(Conversation.updated_at).desc())))

    async def save(self, conversation: Conversation, *, bump: bool = True) -> Conversation:
        """Persist now, so the step is stored before any reply goes out."""
        if bump:
            conversation.rev += 1
        conversation.updated_at = utcnow()
        if not inspect(conversation).persistent:
            self.session.add(conversation)
            await self.session.flush()
            return conversation
        # Every flow step lands here: one prepared UPDATE, then the instance is marked clean,
        # a third of what the ORM's unit of work costs for the same row. (It also means
        # in-place changes to the JSON columns need no flag_modified.)
        values = {name: getattr(conversation, name) for name in _STEP_COLUMNS}
        await _execute(self.session, _SAVE_STEP, {"conversation_id": conversation.id, **values})
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
        if inspect(conversation).persistent:
            await _execute(self.session, _DELETE, {"conversation_id": conversation.id})
        self.session.expunge(conversation)


class Updates:
    """Remembers update ids so a redelivered update is handled once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def forget_before(self, when: datetime) -> int:
        result = await self.session.exec(  # type: ignore[call-overload]
            delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < when)
        )
        return int(result.rowcount or 0)
