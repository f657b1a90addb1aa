"""Proposals (提案), their co-signers, public-opinion reports (社情民意信息) and their history.

Drafts are rows too (status ``draft``): a member may keep several, resume them days later
and delete them. Proposer details are snapshotted at each save of the draft and frozen at
submission, so the document shows what was true when it was submitted even if the roster
changes later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field

from storage.columns import json_column, utc_column, utcnow
from storage.tables.base import Table


def _text() -> Any:
    return Column(Text, nullable=False, default="")


class Proposal(Table, table=True):
    __tablename__ = "proposal"
    __table_args__ = (UniqueConstraint("year", "seq", name="uq_proposal_year_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True, description="year of submission (of creation while a draft)")
    author_id: int = Field(foreign_key="member.id", index=True, description="第一提案人")
    kind: str = Field(default="individual", max_length=16)
    status: str = Field(default="draft", max_length=16, index=True)
    title: str = Field(default="", sa_column=_text())
    field: str = Field(default="", max_length=32)
    situation: str = Field(default="", sa_column=_text())
    suggestions: str = Field(default="", sa_column=_text())
    proposer: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())

    submitted_at: datetime | None = Field(default=None, sa_column=utc_column())
    number: str | None = Field(default=None, max_length=32, unique=True)
    seq: int | None = Field(default=None)
    registered_at: datetime | None = Field(default=None, sa_column=utc_column())
    ground: str | None = Field(default=None, max_length=32)
    decline_note: str = Field(default="", sa_column=_text())
    converted_to: str | None = Field(default=None, max_length=16)
    merged_into: int | None = Field(default=None, foreign_key="proposal.id", index=True)
    lead_unit: str | None = Field(default=None, max_length=128)
    co_units: list[str] = Field(default_factory=list, sa_column=json_column())
    assigned_at: datetime | None = Field(default=None, sa_column=utc_column())
    deadline_at: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    answer_category: str | None = Field(default=None, max_length=1)
    answer_text: str = Field(default="", sa_column=_text())
    answer_document_name: str | None = Field(default=None, max_length=255)
    answer_document: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    answered_at: datetime | None = Field(default=None, sa_column=utc_column())
    rating: str | None = Field(default=None, max_length=24)
    rating_comment: str = Field(default="", sa_column=_text())
    rated_at: datetime | None = Field(default=None, sa_column=utc_column())
    is_key: bool = Field(default=False, description="重点提案")
    excellent: bool = Field(default=False, description="优秀提案, set by the secretariat")
    round: int = Field(default=1, description="handling round; 2 after a 不满意 rating")

    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class ProposalSigner(Table, table=True):
    """A co-signer (联名提案人) of a joint proposal and the answer to the invitation."""

    __tablename__ = "proposal_signer"
    __table_args__ = (
        UniqueConstraint("proposal_id", "member_id", name="uq_proposal_signer_member"),
    )

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    position: int = Field(default=1, description="order after the first proposer")
    status: str = Field(default="invited", max_length=16)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    invited_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=utc_column())


class Report(Table, table=True):
    """A public-opinion report (社情民意信息)."""

    __tablename__ = "opinion_report"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    author_id: int = Field(foreign_key="member.id", index=True, description="反映人")
    status: str = Field(default="draft", max_length=16, index=True)
    category: str = Field(default="", max_length=32)
    title: str = Field(default="", sa_column=_text())
    situation: str = Field(default="", sa_column=_text())
    cause: str = Field(default="", sa_column=_text())
    suggestions: str = Field(default="", sa_column=_text())
    reporter: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    public: bool = Field(default=True)
    private_reason: str = Field(default="", sa_column=_text())
    urgency: str = Field(default="normal", max_length=16)
    levels: list[str] = Field(default_factory=list, sa_column=json_column())
    submitted_at: datetime | None = Field(default=None, sa_column=utc_column())
    decided_at: datetime | None = Field(default=None, sa_column=utc_column())
    decision_note: str = Field(default="", sa_column=_text())
    source_proposal_id: int | None = Field(default=None, foreign_key="proposal.id")

    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class SubmissionHistory(Table, table=True):
    """One entry per transition of a proposal or report: who did what, when, and why."""

    __tablename__ = "submission_history"

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=16, description="proposal or report")
    subject_id: int = Field(index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    action: str = Field(max_length=32)
    status_from: str = Field(default="", max_length=16)
    status_to: str = Field(default="", max_length=16)
    actor_member_id: int | None = Field(default=None, foreign_key="member.id")
    note: str = Field(default="", sa_column=_text())
    data: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
