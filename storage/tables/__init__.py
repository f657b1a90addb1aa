"""Every table, imported here so ``SQLModel.metadata`` is complete for migrations and tests.

Each capability keeps its tables in its own module; add the import below.
"""

from storage.tables.conversations import Conversation, ProcessedUpdate
from storage.tables.delivery import OutboxMessage
from storage.tables.inbox import InboxMessage
from storage.tables.kb import KbDocument, KbPassage, KbQuestion
from storage.tables.members import AuditEntry, Identity, Invite, Member, VerifyAttempt
from storage.tables.notices import Notice, NoticeRecipient
from storage.tables.proposals import Proposal, ProposalSigner, Report, SubmissionHistory
from storage.tables.reading import (
    ReadingCheckin,
    ReadingGroup,
    ReadingMembership,
    ReadingNote,
    ReadingOccurrence,
    ReadingPlanItem,
    ReadingProgress,
    ReadingReminder,
    ReadingRsvp,
    ReadingSession,
)
from storage.tables.record import DutyEntry
from storage.tables.system import AppValue
from storage.tables.web import WebLoginToken, WebSession

__all__ = [
    "AppValue",
    "AuditEntry",
    "Conversation",
    "DutyEntry",
    "Identity",
    "InboxMessage",
    "Invite",
    "KbDocument",
    "KbPassage",
    "KbQuestion",
    "Member",
    "Notice",
    "NoticeRecipient",
    "OutboxMessage",
    "ProcessedUpdate",
    "Proposal",
    "ProposalSigner",
    "ReadingCheckin",
    "ReadingGroup",
    "ReadingMembership",
    "ReadingNote",
    "ReadingOccurrence",
    "ReadingPlanItem",
    "ReadingProgress",
    "ReadingReminder",
    "ReadingRsvp",
    "ReadingSession",
    "Report",
    "SubmissionHistory",
    "VerifyAttempt",
    "WebLoginToken",
    "WebSession",
]
