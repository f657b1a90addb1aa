"""A throw-away PostgreSQL schema, for the test fixtures and the benchmarks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from storage.db import Database

__all__ = ["scratch_schema"]


@asynccontextmanager
async def scratch_schema(url: str, *, prefix: str = "t") -> AsyncIterator[str]:
    """A new schema on the server at ``url``, dropped with everything in it afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = Database(url)
    try:
        async with admin.engine.begin() as conn:
            await conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        try:
            yield schema
        finally:
            async with admin.engine.begin() as conn:
                await conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        await admin.dispose()
