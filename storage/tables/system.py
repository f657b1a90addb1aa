"""Key/value settings the deployment keeps for itself (e.g. the generated signing key)."""

from __future__ import annotations

from sqlmodel import Field

from storage.tables.base import Table


class AppValue(Table, table=True):
    __tablename__ = "app_value"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=512)
