"""Knowledge base: ingested documents, their passages, questions forwarded to the secretariat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field

from storage.columns import utc_column, utcnow
from storage.tables.base import Table


class KbDocument(Table, table=True):
    """One ingested file; ``file_name`` is its identity (re-ingesting replaces it)."""

    __tablename__ = "kb_document"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=255, unique=True)
    title: str = Field(max_length=255)
    content_hash: str = Field(
        max_length=64, description="sha256 of the file's bytes and the reader's STRUCTURE_VERSION"
    )
    tokenizer: str = Field(default="", max_length=32, description="vocabulary signature of tokens")
    chars: int = Field(default=0)
    ingested_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class KbPassage(Table, table=True):
    """A citable passage; ``tokens`` (space-joined) lets the index rebuild without segmenting."""

    __tablename__ = "kb_passage"
    __table_args__ = (Index("ix_kb_passage_doc_ordinal", "document_id", "ordinal"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="kb_document.id", ondelete="CASCADE")
    ordinal: int
    locator: str = Field(max_length=255)
    heading_path: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    text: str = Field(sa_column=Column(Text, nullable=False))
    tokens: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class KbQuestion(Table, table=True):
    """A question the rulebook could not answer, forwarded to the secretariat.

    ``status``: pending -> answered (or dismissed). A question the chat could not answer
    waits as not_found until the member presses "forward" (not_found -> pending). The
    answer reaches the member through the outbox; the row stays as a record of a gap in
    the rulebook (``kb gaps``).
    """

    __tablename__ = "kb_question"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16, index=True)
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=utc_column())
