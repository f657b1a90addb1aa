"""Column types shared by every table: aware UTC times, 64-bit ids, platform ids, JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = [
    "PLATFORM_ID_LENGTH",
    "UTCDateTime",
    "big_id",
    "json_column",
    "platform_id",
    "utc_column",
    "utcnow",
]

# A platform account or chat id as text: Telegram's decimal ids, WeCom userids (at most 64).
PLATFORM_ID_LENGTH = 64


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware UTC; SQLite drops the zone, so it is put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(*, nullable: bool = True, index: bool = False) -> Any:
    return Column(UTCDateTime(), nullable=nullable, index=index)


def big_id(*, nullable: bool = True, index: bool = False) -> Any:
    return Column(BigInteger, nullable=nullable, index=index)


def platform_id(*, nullable: bool = True, index: bool = False) -> Any:
    return Column(String(PLATFORM_ID_LENGTH), nullable=nullable, index=index)


def json_column(*, nullable: bool = False) -> Any:
    return Column(JSON, nullable=nullable)
