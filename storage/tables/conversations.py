"""Durable conversation state and the record of handled updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint
from sqlmodel import Field

from storage.columns import big_id, json_column, platform_id, utc_column, utcnow
from storage.tables.base import Table


class Conversation(Table, table=True):
    """A guided flow in progress: one row per member per flow.

    ``status`` is ``active`` (the flow the member's free text goes to; at most one per
    member) or ``parked`` (left with /cancel or by starting another flow; resumable).
    ``rev`` increases on every step so a button from an earlier step is recognised as stale.
    """

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("member_id", "flow", name="uq_conversation_member_flow"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    chat_id: str = Field(sa_column=platform_id(nullable=False))
    flow: str = Field(max_length=32)
    step: str = Field(max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    history: list[str] = Field(default_factory=list, sa_column=json_column())
    rev: int = Field(default=1)
    status: str = Field(default="active", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class ProcessedUpdate(Table, table=True):
    """An update id seen once; a second delivery of the same id is ignored."""

    __tablename__ = "processed_update"
    __table_args__ = (PrimaryKeyConstraint("platform", "update_id"),)

    platform: str = Field(max_length=16)
    update_id: int = Field(sa_column=big_id(nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False, index=True))
