"""Durable conversations on SQL: conversation state, mailbox, transcript lines, processed updates;
the submission key that makes filing an application idempotent.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def At(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_intakes_submission_key", ["submission_key"])
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        At("updated_at"),
    )
    op.create_table(
        "mailbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        At("created_at"),
    )
    op.create_index("ix_mailbox_key", "mailbox", ["key", "id"])
    op.create_table(
        "transcript_lines",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation", sa.String(64), nullable=False),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=True),
        sa.Column("who", sa.String(16), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=True),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        At("at"),
    )
    op.create_index("ix_transcript_lines_conversation", "transcript_lines", ["conversation", "id"])
    op.create_index("ix_transcript_lines_intake", "transcript_lines", ["intake_id", "id"])
    op.create_table(
        "processed_updates",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("update_id", sa.BigInteger(), primary_key=True),
        At("at"),
    )


def downgrade() -> None:
    for table in ("processed_updates", "transcript_lines", "mailbox", "conversations"):
        op.drop_table(table)
    with op.batch_alter_table("intakes") as batch:
        batch.drop_constraint("uq_intakes_submission_key", type_="unique")
        batch.drop_column("submission_key")
