"""Repository for conversation state and processed update ids."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.tables import Conversation, ProcessedUpdate

__all__ = ["Conversations", "Updates"]


class Conversations:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, member_id: int, *, lock: bool = False) -> Conversation | None:
        stmt = select(Conversation).where(
            Conversation.member_id == member_id, Conversation.status == "active"
        )
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.exec(stmt)).first()

    async def of_flow(self, member_id: int, flow: str) -> Conversation | None:
        stmt = select(Conversation).where(
            Conversation.member_id == member_id, Conversation.flow == flow
        )
        return (await self.session.exec(stmt)).first()

    async def parked(self, member_id: int) -> list[Conversation]:
        stmt = select(Conversation).where(
            Conversation.member_id == member_id, Conversation.status == "parked"
        )
        return list(await self.session.exec(stmt.order_by(col(Conversation.updated_at).desc())))

    async def save(self, conversation: Conversation, *, bump: bool = True) -> Conversation:
        """Persist now (flush), so the step is stored before any reply goes out."""
        if bump:
            conversation.rev += 1
        conversation.updated_at = utcnow()
        # JSON columns do not track in-place changes; say they changed.
        self.session.add(conversation)
        flag_modified(conversation, "data")
        flag_modified(conversation, "history")
        await self.session.flush()
        return conversation

    async def park_active(self, member_id: int) -> Conversation | None:
        current = await self.active(member_id)
        if current is not None:
            current.status = "parked"
            await self.save(current)
        return current

    async def delete(self, conversation: Conversation) -> None:
        await self.session.delete(conversation)
        await self.session.flush()


class Updates:
    """Remembers update ids so a redelivered update is handled once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_time(self, platform: str, update_id: int) -> bool:
        """Records the id; False when it was recorded before (one statement, no savepoint)."""
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        stmt = (
            insert(ProcessedUpdate)
            .values(platform=platform, update_id=update_id, at=utcnow())
            .on_conflict_do_nothing()
        )
        result = await self.session.exec(stmt)  # type: ignore[call-overload]
        return bool(result.rowcount)

    async def forget_before(self, when: datetime) -> int:
        result = await self.session.exec(  # type: ignore[call-overload]
            delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < when)
        )
        return int(result.rowcount or 0)
