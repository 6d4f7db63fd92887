"""Privacy: resume codes are no longer locked per code (guessers are limited instead); every staff read
of resident data is recorded (access_log); each retention sweep writes a row with its counts
(retention_runs); each consent is a row of its own (consents); residents' rights requests are tracked (rights_requests).

Revision ID: 0009_privacy
Revises: 0008_filing
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_privacy"
down_revision = "0008_filing"
branch_labels = None
depends_on = None


Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def At(name: str, *, nullable: bool = False) -> sa.Column:  # noqa: N802 - reads like a column type
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    # a wrong-digit count per code let a stranger lock the resident out of their own code
    with op.batch_alter_table("resume_codes") as batch:
        batch.drop_column("failures")
        batch.drop_column("failed_since")
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        At("at"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(80), nullable=True),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])
    op.create_index("ix_access_log_intake", "access_log", ["intake_id", "at"])
    op.create_index("ix_access_log_actor", "access_log", ["actor", "at"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(100), nullable=True),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("notice_version", sa.String(32), nullable=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("collected_by", sa.String(64), nullable=False),
        At("at"),
    )
    op.create_index("ix_consents_subject", "consents", ["subject", "id"])
    op.create_index("ix_consents_intake", "consents", ["intake_id", "id"])
    op.create_table(
        "rights_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("detail", sa.LargeBinary(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("taken_by", sa.String(64), nullable=False),
        At("received_at"),
        At("due_at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answered_by", sa.String(64), nullable=True),
        At("answered_at", nullable=True),
        sa.Column("reply", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_rights_requests_open", "rights_requests", ["status", "due_at"])
    op.create_index("ix_rights_requests_intake", "rights_requests", ["intake_id"])
    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        At("started_at"),
        At("finished_at"),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("counts", Json, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("retention_runs")
    op.drop_table("consents")
    op.drop_table("rights_requests")
    op.drop_table("access_log")
    with op.batch_alter_table("resume_codes") as batch:
        batch.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(At("failed_since", nullable=True))
