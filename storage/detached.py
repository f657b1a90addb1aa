"""Model instances built straight from a row's values, outside any session.

The path every update takes (storage/arrivals.py, storage/conversations.py) reads with Core
statements and builds its instances here: the ORM's result loading, the session's identity
map and the dirty check at commit cost more than the statements themselves, and SQLModel's
constructor validates every field again. An instance built here is *detached* with its
identity key, as if loaded and then expunged: reading works, ``session.add()`` makes it
persistent again and flushes what was changed since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Column
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.base import manager_of_class
from sqlmodel import SQLModel

__all__ = ["columns_of", "detached"]

M = TypeVar("M", bound=SQLModel)


def columns_of(model: type[SQLModel]) -> Sequence[Column[Any]]:
    """The table's columns in order, for a ``select`` whose rows go to ``detached``."""
    return tuple(model.__table__.columns)  # type: ignore[attr-defined]


def detached(model: type[M], names: Iterable[str], values: Iterable[Any]) -> M:
    """``model`` with each column in ``names`` set to its value, clean and detached."""
    instance: M = manager_of_class(model).new_instance()
    instance.__dict__.update(zip(names, values, strict=True))
    make_transient_to_detached(instance)
    return instance
