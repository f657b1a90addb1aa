"""The secretariat's manual entries in a member's duty record (履职档案).

What the bot cannot see (a speech at the plenary, a research trip, an excellent proposal, a
correction of a paper sign-in) is entered here by item key, with a count and a note. Points
are never stored: the score is computed from these counts and the facts under the rules.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from storage.columns import utc_column, utcnow
from storage.tables.base import Table

__all__ = ["DutyEntry"]


class DutyEntry(Table, table=True):
    __tablename__ = "duty_entry"
    __table_args__ = (Index("ix_duty_entry_member_year", "member_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    year: int = Field(index=True)
    item: str = Field(max_length=48, description="an item key of the points rules")
    count: int = Field(default=1, description="units; negative corrects a count the bot made")
    note: str = Field(default="", max_length=500)
    entered_by: str = Field(default="", max_length=64, description="cli:<user> or a name")
    entered_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
