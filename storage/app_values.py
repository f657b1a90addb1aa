"""Values a deployment generates once and every process must share."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import AppValue

__all__ = ["get_or_create"]


async def get_or_create(session: AsyncSession, key: str, *, nbytes: int = 32) -> str:
    """The stored value, or a fresh random one; two processes racing end with the same."""
    row = await session.get(AppValue, key)
    if row is not None:
        return row.value
    value = secrets.token_urlsafe(nbytes)
    try:
        async with session.begin_nested():
            session.add(AppValue(key=key, value=value))
    except IntegrityError:
        row = await session.get(AppValue, key, populate_existing=True)
        assert row is not None
        return row.value
    return value
