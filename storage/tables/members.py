"""Roster, platform identities, invites, verification attempts and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from storage.columns import json_column, platform_id, utc_column, utcnow
from storage.tables.base import Table


class Member(Table, table=True):
    """One person on the roster: a member (委员), standing member, or secretariat staff."""

    __tablename__ = "member"
    # unique when given; many members have none (NULLs never collide)
    __table_args__ = (Index("uq_member_wecom_userid", "wecom_userid", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, index=True)
    phone: str | None = Field(default=None, max_length=20, unique=True)
    wecom_userid: str | None = Field(
        default=None, sa_column=platform_id(), description="企业微信账号 from the roster"
    )
    sector: str = Field(default="", max_length=64, description="界别")
    committee: str = Field(default="", max_length=64, description="专委会")
    title: str = Field(default="", max_length=64, description="职务, as written on the roster")
    roles: str = Field(default="member", max_length=64, description="comma-separated Role values")
    unit: str = Field(default="", max_length=128, description="工作单位")
    address: str = Field(default="", max_length=256)
    status: str = Field(default="active", max_length=16, index=True)
    is_demo: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    retired_at: datetime | None = Field(default=None, sa_column=utc_column())


class Identity(Table, table=True):
    """A verified platform account bound to a roster member: one per member per platform
    (verifying from another account replaces the binding)."""

    __tablename__ = "identity"
    __table_args__ = (
        UniqueConstraint("platform", "user_id", name="uq_identity_platform_user"),
        Index("uq_identity_member_platform", "member_id", "platform", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(max_length=16)
    user_id: str = Field(sa_column=platform_id(nullable=False))
    chat_id: str = Field(sa_column=platform_id(nullable=False))
    display_name: str = Field(default="", max_length=128)
    verified_via: str = Field(default="phone", max_length=16)
    verified_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    unreachable_reason: str | None = Field(default=None, max_length=128)
    unreachable_at: datetime | None = Field(default=None, sa_column=utc_column())
    last_seen_at: datetime | None = Field(
        default=None, sa_column=utc_column(), description="coarse: written at most every 5 minutes"
    )


class Invite(Table, table=True):
    """A one-time code that verifies whoever presents it as ``member_id``."""

    __tablename__ = "invite"

    code: str = Field(primary_key=True, max_length=32)
    member_id: int = Field(foreign_key="member.id", index=True)
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    expires_at: datetime = Field(sa_column=utc_column(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=utc_column())
    used_by_user_id: str | None = Field(default=None, sa_column=platform_id())


class VerifyAttempt(Table, table=True):
    """Failed verification attempts, for slowing down guessing."""

    __tablename__ = "verify_attempt"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    user_id: str = Field(sa_column=platform_id(nullable=False, index=True))
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False, index=True))
    detail: str = Field(default="", max_length=64)


class AuditEntry(Table, table=True):
    """Who did what, when: every secretariat action and security event."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False, index=True))
    actor_member_id: int | None = Field(default=None, foreign_key="member.id")
    actor: str = Field(default="", max_length=64, description="e.g. member name or cli:root")
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=128)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
