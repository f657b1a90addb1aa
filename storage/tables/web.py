"""The secretariat web console: one-time login links and browser sessions.

Only hashes of the tokens are stored: a copy of the database cannot be used to log in.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from storage.columns import utc_column, utcnow
from storage.tables.base import Table


class WebLoginToken(Table, table=True):
    """A one-time login link for a secretariat member (single use, short-lived)."""

    __tablename__ = "web_login_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, description="sha256 hex of the token")
    member_id: int = Field(foreign_key="member.id", index=True)
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    expires_at: datetime = Field(sa_column=utc_column(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=utc_column())


class WebSession(Table, table=True):
    """A logged-in browser: the cookie holds the token, the row its hash and CSRF token."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, description="sha256 hex of the cookie")
    member_id: int = Field(foreign_key="member.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    expires_at: datetime = Field(sa_column=utc_column(nullable=False, index=True))
    ended_at: datetime | None = Field(default=None, sa_column=utc_column())
