"""The conversation thread per intake (caseworker and resident messages, with the notice that carries each
staff message) and the caseworkers' marks on the document checklist.

Revision ID: 0012_thread
Revises: 0011_assignment
Create Date: 2026-12-08
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_thread"
down_revision = "0011_assignment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thread_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(16), nullable=False),
        sa.Column("author", sa.String(64)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("file_id", sa.String(255)),
        sa.Column("notice_id", sa.Integer()),
        sa.Column("read_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_thread_messages_intake", "thread_messages", ["intake_id", "id"])
    op.create_table(
        "checklist_marks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("file_id", sa.String(255)),
        sa.Column("reason", sa.LargeBinary()),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_checklist_marks_intake", "checklist_marks", ["intake_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_checklist_marks_intake", table_name="checklist_marks")
    op.drop_table("checklist_marks")
    op.drop_index("ix_thread_messages_intake", table_name="thread_messages")
    op.drop_table("thread_messages")
