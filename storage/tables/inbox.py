"""Messages members leave for the secretariat (留言) and their answers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from storage.columns import utc_column, utcnow
from storage.tables.base import Table


class InboxMessage(Table, table=True):
    __tablename__ = "inbox_message"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    topic: str = Field(max_length=32)
    body: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    answer: str | None = Field(default=None, max_length=4000)
    answered_by: int | None = Field(default=None, foreign_key="member.id")
    answered_at: datetime | None = Field(default=None, sa_column=utc_column())
