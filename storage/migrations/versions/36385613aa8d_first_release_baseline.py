"""first release baseline: the whole schema in one step

The migrations written before the first release (90ef1ff80631 baseline, 0825ad17f44f kb
tables, a989022bf90b proposals and public-opinion reports, f24618e6413a notices and
recipients, cfce7fd77f12 reading groups, 36385613aa8d one account per member per platform)
squashed into one. Its revision id is the old head's, so a database the old chain brought
to the head is already at this revision and ``db upgrade`` leaves it alone; one at
cfce7fd77f12 is brought here by ``storage.migrate`` (the account dedupe step), and one at an
older revision is refused with a message.

Revision ID: 36385613aa8d
Revises:
Create Date: 2026-12-02 01:26:42.928322
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.columns

revision = "36385613aa8d"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_value",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "kb_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tokenizer", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("ingested_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("file_name"),
    )
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("sector", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("committee", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("roles", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retired_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("phone"),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_status"), ["status"], unique=False)

    op.create_table(
        "processed_update",
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "update_id"),
    )
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processed_update_at"), ["at"], unique=False)

    op.create_table(
        "verify_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("verify_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verify_attempt_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_verify_attempt_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_member_id", sa.Integer(), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("flow", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "flow", name="uq_conversation_member_flow"),
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_member_id"), ["member_id"], unique=False)

    op.create_table(
        "identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("verified_via", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("verified_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "unreachable_reason", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True
        ),
        sa.Column("unreachable_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "user_id", name="uq_identity_platform_user"),
    )
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_member_id"), ["member_id"], unique=False)
        batch_op.create_index("uq_identity_member_platform", ["member_id", "platform"], unique=True)

    op.create_table(
        "inbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_message_member_id"), ["member_id"], unique=False)

    op.create_table(
        "invite",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("used_by_user_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invite_member_id"), ["member_id"], unique=False)

    op.create_table(
        "kb_passage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("locator", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("heading_path", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["kb_document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_passage", schema=None) as batch_op:
        batch_op.create_index("ix_kb_passage_doc_ordinal", ["document_id", "ordinal"], unique=False)

    op.create_table(
        "kb_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_question_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_question_status"), ["status"], unique=False)

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("starts_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("agenda", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reply_deadline", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attachment_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("attachment", sa.LargeBinary(), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("correction_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("check_in_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("created_by_member_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("corrected_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status_platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("status_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("status_message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_status"), ["status"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("document_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("claimed_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_due", ["state", "platform", "next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_ref"), ["ref"], unique=False)

    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("suggestions", sa.Text(), nullable=False),
        sa.Column("proposer", sa.JSON(), nullable=False),
        sa.Column("submitted_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("registered_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ground", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("decline_note", sa.Text(), nullable=False),
        sa.Column("converted_to", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("lead_unit", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("co_units", sa.JSON(), nullable=False),
        sa.Column("assigned_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deadline_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answer_category", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column(
            "answer_document_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
        ),
        sa.Column("answer_document", sa.LargeBinary(), nullable=True),
        sa.Column("answered_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("rating", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=False),
        sa.Column("rated_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["proposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("year", "seq", name="uq_proposal_year_seq"),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_deadline_at"), ["deadline_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_merged_into"), ["merged_into"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_year"), ["year"], unique=False)

    op.create_table(
        "reading_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=True),
        sa.Column("lead_member_id", sa.Integer(), nullable=True),
        sa.Column("liaison_member_id", sa.Integer(), nullable=True),
        sa.Column("reminder_offsets", sa.JSON(), nullable=False),
        sa.Column("nudge_at", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("archived_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["liaison_member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "submission_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status_from", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status_to", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("actor_member_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("submission_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_history_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "notice_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("leave_reason", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
        sa.Column("leave_decision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("leave_decided_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("leave_decided_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_in_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_in_via", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("delivery_state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("delivery_error", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("delivered_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notice_id", "member_id", name="uq_notice_recipient"),
    )
    with op.batch_alter_table("notice_recipient", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notice_recipient_member", ["member_id", "notice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notice_recipient_notice_id"), ["notice_id"], unique=False
        )

    op.create_table(
        "opinion_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("suggestions", sa.Text(), nullable=False),
        sa.Column("reporter", sa.JSON(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("private_reason", sa.Text(), nullable=False),
        sa.Column("urgency", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("submitted_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("source_proposal_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_proposal_id"],
            ["proposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("opinion_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opinion_report_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_opinion_report_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_opinion_report_year"), ["year"], unique=False)

    op.create_table(
        "proposal_signer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("invited_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "member_id", name="uq_proposal_signer_member"),
    )
    with op.batch_alter_table("proposal_signer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_signer_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_signer_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "reading_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("left_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("muted", sa.Boolean(), nullable=False),
        sa.Column("via", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["reading_group.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "member_id", name="uq_reading_membership"),
    )
    with op.batch_alter_table("reading_membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reading_membership_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reading_membership_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "reading_plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("book", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("chapter", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["reading_group.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reading_plan_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reading_plan_item_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "reading_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("starts_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("rule_text", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("online_link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("agenda", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["reading_group.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reading_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reading_session_group_id"), ["group_id"], unique=False)

    op.create_table(
        "reading_occurrence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("starts_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["reading_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "key", name="uq_reading_occurrence"),
    )
    with op.batch_alter_table("reading_occurrence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reading_occurrence_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "reading_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("finished_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["reading_plan_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_item_id", "member_id", name="uq_reading_progress"),
    )
    with op.batch_alter_table("reading_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reading_progress_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reading_progress_plan_item_id"), ["plan_item_id"], unique=False
        )

    op.create_table(
        "reading_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("occurrence_key", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("plan_item_id", sa.Integer(), nullable=True),
        sa.Column("offset", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("fire_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("done_at", storage.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["reading_group.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["reading_plan_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["reading_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("reading_reminder", schema=None) as batch_op:
        batch_op.create_index("ix_reading_reminder_due", ["state", "fire_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reading_reminder_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reading_reminder_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reading_reminder_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "reading_checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["reading_occurrence.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", "member_id", name="uq_reading_checkin"),
    )
    with op.batch_alter_table("reading_checkin", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reading_checkin_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reading_checkin_occurrence_id"), ["occurrence_id"], unique=False
        )

    op.create_table(
        "reading_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=True),
        sa.Column("plan_item_id", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
        sa.Column("document_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("document_mime", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["reading_group.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["reading_occurrence.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["reading_plan_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reading_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reading_note_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reading_note_member_id"), ["member_id"], unique=False)

    op.create_table(
        "reading_rsvp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("at", storage.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["reading_occurrence.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", "member_id", name="uq_reading_rsvp"),
    )
    with op.batch_alter_table("reading_rsvp", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reading_rsvp_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reading_rsvp_occurrence_id"), ["occurrence_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reading_rsvp", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_rsvp_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_reading_rsvp_member_id"))

    op.drop_table("reading_rsvp")
    with op.batch_alter_table("reading_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_note_member_id"))
        batch_op.drop_index(batch_op.f("ix_reading_note_group_id"))

    op.drop_table("reading_note")
    with op.batch_alter_table("reading_checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_checkin_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_reading_checkin_member_id"))

    op.drop_table("reading_checkin")
    with op.batch_alter_table("reading_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_reminder_session_id"))
        batch_op.drop_index(batch_op.f("ix_reading_reminder_member_id"))
        batch_op.drop_index(batch_op.f("ix_reading_reminder_group_id"))
        batch_op.drop_index("ix_reading_reminder_due")

    op.drop_table("reading_reminder")
    with op.batch_alter_table("reading_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_progress_plan_item_id"))
        batch_op.drop_index(batch_op.f("ix_reading_progress_member_id"))

    op.drop_table("reading_progress")
    with op.batch_alter_table("reading_occurrence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_occurrence_session_id"))

    op.drop_table("reading_occurrence")
    with op.batch_alter_table("reading_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_session_group_id"))

    op.drop_table("reading_session")
    with op.batch_alter_table("reading_plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_plan_item_group_id"))

    op.drop_table("reading_plan_item")
    with op.batch_alter_table("reading_membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_membership_member_id"))
        batch_op.drop_index(batch_op.f("ix_reading_membership_group_id"))

    op.drop_table("reading_membership")
    with op.batch_alter_table("proposal_signer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_signer_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_signer_member_id"))

    op.drop_table("proposal_signer")
    with op.batch_alter_table("opinion_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opinion_report_year"))
        batch_op.drop_index(batch_op.f("ix_opinion_report_status"))
        batch_op.drop_index(batch_op.f("ix_opinion_report_author_id"))

    op.drop_table("opinion_report")
    with op.batch_alter_table("notice_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_recipient_notice_id"))
        batch_op.drop_index("ix_notice_recipient_member")

    op.drop_table("notice_recipient")
    with op.batch_alter_table("submission_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_history_subject_id"))

    op.drop_table("submission_history")
    op.drop_table("reading_group")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_year"))
        batch_op.drop_index(batch_op.f("ix_proposal_status"))
        batch_op.drop_index(batch_op.f("ix_proposal_merged_into"))
        batch_op.drop_index(batch_op.f("ix_proposal_deadline_at"))
        batch_op.drop_index(batch_op.f("ix_proposal_author_id"))

    op.drop_table("proposal")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_ref"))
        batch_op.drop_index(batch_op.f("ix_outbox_member_id"))
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_status"))
        batch_op.drop_index(batch_op.f("ix_notice_starts_at"))

    op.drop_table("notice")
    with op.batch_alter_table("kb_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_question_status"))
        batch_op.drop_index(batch_op.f("ix_kb_question_member_id"))

    op.drop_table("kb_question")
    with op.batch_alter_table("kb_passage", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_passage_doc_ordinal")

    op.drop_table("kb_passage")
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_member_id"))

    op.drop_table("invite")
    with op.batch_alter_table("inbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_message_member_id"))

    op.drop_table("inbox_message")
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.drop_index("uq_identity_member_platform")
        batch_op.drop_index(batch_op.f("ix_identity_member_id"))

    op.drop_table("identity")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_member_id"))

    op.drop_table("conversation")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    with op.batch_alter_table("verify_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verify_attempt_user_id"))
        batch_op.drop_index(batch_op.f("ix_verify_attempt_at"))

    op.drop_table("verify_attempt")
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_update_at"))

    op.drop_table("processed_update")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_status"))
        batch_op.drop_index(batch_op.f("ix_member_name"))

    op.drop_table("member")
    op.drop_table("kb_document")
    op.drop_table("app_value")
