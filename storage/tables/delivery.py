"""The outbox: every message that is not an immediate reply waits here until sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, LargeBinary
from sqlmodel import Column, Field

from storage.columns import big_id, json_column, platform_id, utc_column, utcnow
from storage.tables.base import Table


class OutboxMessage(Table, table=True):
    """One message to one chat.

    ``dedupe_key`` is unique: enqueuing the same logical message twice (a reminder planned
    again after a restart, a broadcast resumed) is a no-op. ``state`` moves
    pending → sending → sent, or → failed (will retry at ``next_attempt_at``) → dead
    (unreachable or out of attempts).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "platform", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str | None = Field(default=None, max_length=160, unique=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(sa_column=platform_id(nullable=False))
    payload: dict[str, Any] = Field(sa_column=json_column())
    document_name: str | None = Field(default=None, max_length=255)
    document: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    kind: str = Field(default="notice", max_length=32, description="what sent it, for reports")
    ref: str = Field(default="", max_length=64, index=True, description="e.g. notice:12")
    state: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=utc_column())
    last_error: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=utc_column())
    message_id: int | None = Field(default=None, sa_column=big_id())
