"""Initial tables: intakes and their answers, people, attachments, outbox, audit log, notes,
transcripts, channel tokens, console users, unanswered questions, requests for more information.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def At(name: str, nullable: bool = False) -> sa.Column:
    """A timestamp column (UTC; the models convert)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def Id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def IntakeRef(primary_key: bool = False) -> sa.Column:
    return sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False, primary_key=primary_key)


def upgrade() -> None:
    op.create_table(
        "intakes",
        Id(),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("user_id", sa.LargeBinary(), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("staff_id", sa.String(64)),
        At("created_at"),
        At("submitted_at"),
        At("updated_at"),
        sa.Column("claimed_by", sa.String(64)),
        At("lease_until", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queue_ref", sa.String(80)),
        sa.Column("answers", sa.LargeBinary(), nullable=False),
        sa.Column("prescreen", sa.LargeBinary()),
        sa.Column("referral", Json),
    )
    op.create_index("ix_intakes_queue", "intakes", ["status", "urgent", "submitted_at"])
    op.create_index("ix_intakes_user", "intakes", ["channel", "user_key"])

    op.create_table(
        "answers",
        Id(),
        IntakeRef(),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("entered_by", sa.String(64)),
        At("entered_at"),
    )
    op.create_index("ix_answers_intake_id", "answers", ["intake_id"])

    op.create_table(
        "people",
        Id(),
        IntakeRef(),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("id_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_people_intake_id", "people", ["intake_id"])
    op.create_index("ix_people_id_hash", "people", ["id_hash"])

    op.create_table(
        "attachments",
        Id(),
        IntakeRef(),
        sa.Column("file_id", sa.String(255), nullable=False),
        sa.Column("name", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("expense_index", sa.Integer()),
    )
    op.create_index("ix_attachments_intake_id", "attachments", ["intake_id"])

    op.create_table("outbox", Id(), IntakeRef(), At("created_at"), At("published_at", nullable=True))
    op.create_index("ix_outbox_pending", "outbox", ["published_at", "id"])

    op.create_table(
        "audit_log",
        Id(),
        IntakeRef(),
        sa.Column("actor", sa.String(100), nullable=False),
        At("at"),
        sa.Column("from_status", sa.String(24)),
        sa.Column("to_status", sa.String(24), nullable=False),
        sa.Column("reason", sa.LargeBinary()),
    )
    op.create_index("ix_audit_log_intake_id", "audit_log", ["intake_id"])

    op.create_table(
        "notes",
        Id(),
        IntakeRef(),
        sa.Column("author", sa.String(64), nullable=False),
        At("at"),
        sa.Column("text", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_notes_intake_id", "notes", ["intake_id"])

    op.create_table("transcripts", IntakeRef(primary_key=True), sa.Column("body", sa.LargeBinary(), nullable=False))

    op.create_table(
        "channel_tokens",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        At("created_at"),
    )

    op.create_table(
        "console_users",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        At("locked_until", nullable=True),
        At("created_at"),
    )

    op.create_table(
        "unanswered_questions",
        Id(),
        sa.Column("question", sa.LargeBinary(), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        At("asked_at"),
    )
    op.create_index("ix_unanswered_questions_asked_at", "unanswered_questions", ["asked_at"])

    op.create_table(
        "info_requests",
        Id(),
        IntakeRef(),
        sa.Column("items", Json, nullable=False),
        sa.Column("message", sa.LargeBinary()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        At("requested_at"),
        At("answered_at", nullable=True),
    )
    op.create_index("ix_info_requests_intake_id", "info_requests", ["intake_id"])

    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    # The audit log is evidence: the database itself refuses to change or remove a row.
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in (
        "info_requests", "unanswered_questions", "console_users", "channel_tokens", "transcripts",
        "notes", "audit_log", "outbox", "attachments", "people", "answers", "intakes",
    ):
        op.drop_table(table)  # SQLite drops a table's triggers and indexes with it
