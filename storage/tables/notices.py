"""Meeting notices and their recipients (one row per member a notice went to)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field

from storage.columns import big_id, json_column, platform_id, utc_column, utcnow
from storage.tables.base import Table


class Notice(Table, table=True):
    """A meeting notice. ``status``: draft → sent → corrected* → cancelled.

    ``audience`` keeps the spec as chosen (e.g. two 界别), the recipients table keeps whom it
    resolved to when sent; ``revision`` counts corrections so each one reaches members once.
    The ``status_*`` columns locate the secretariat's progress message edited during sending.
    """

    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    title: str = Field(max_length=100)
    starts_at: datetime = Field(sa_column=utc_column(nullable=False, index=True))
    ends_at: datetime | None = Field(default=None, sa_column=utc_column())
    place: str = Field(default="", max_length=200)
    agenda: str = Field(default="", max_length=4000)
    mode: str = Field(max_length=16)
    reply_deadline: datetime = Field(sa_column=utc_column(nullable=False))
    attachment_name: str | None = Field(default=None, max_length=255)
    attachment: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    status: str = Field(default="draft", max_length=16, index=True)
    revision: int = Field(default=0)
    correction_note: str = Field(default="", max_length=1000)
    cancel_reason: str = Field(default="", max_length=1000)
    check_in_code: str | None = Field(default=None, max_length=8)
    created_by_member_id: int | None = Field(default=None, foreign_key="member.id")
    created_by: str = Field(default="", max_length=64, description="name or cli:<user>")
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=utc_column())
    corrected_at: datetime | None = Field(default=None, sa_column=utc_column())
    cancelled_at: datetime | None = Field(default=None, sa_column=utc_column())
    status_platform: str | None = Field(default=None, max_length=16)
    status_chat_id: str | None = Field(default=None, sa_column=platform_id())
    status_message_id: int | None = Field(default=None, sa_column=big_id())


class NoticeRecipient(Table, table=True):
    """One member on one notice: the answer, the leave request, check-in and delivery.

    ``delivery_state`` mirrors the outbox row (pending → sent | unreachable) so reports
    and the member's record need no join with the outbox.
    """

    __tablename__ = "notice_recipient"
    __table_args__ = (
        UniqueConstraint("notice_id", "member_id", name="uq_notice_recipient"),
        Index("ix_notice_recipient_member", "member_id", "notice_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    answer: str | None = Field(default=None, max_length=16)
    leave_reason: str | None = Field(default=None, max_length=400)
    leave_decision: str | None = Field(default=None, max_length=16)
    leave_decided_by: str | None = Field(default=None, max_length=64)
    leave_decided_at: datetime | None = Field(default=None, sa_column=utc_column())
    answered_at: datetime | None = Field(default=None, sa_column=utc_column())
    checked_in_at: datetime | None = Field(default=None, sa_column=utc_column())
    checked_in_via: str | None = Field(default=None, max_length=16, description="button|code|cli")
    delivery_state: str = Field(default="pending", max_length=16)
    delivery_error: str | None = Field(default=None, max_length=255)
    delivered_at: datetime | None = Field(default=None, sa_column=utc_column())
