"""The base every table derives from."""

from __future__ import annotations

from sqlmodel import SQLModel

__all__ = ["Table"]


class Table(SQLModel):
    """A table model. Pydantic builds a model's validators when they are first used instead
    of when the class is made: tables are constructed without validation, so most never
    need them, and importing the tables (every command, every start) costs a third less."""

    model_config = {"defer_build": True}  # merged into SQLModel's own configuration
