"""Resume codes: a resident continues the same application, or reads a caseworker's messages, elsewhere.

Revision ID: 0004_resume_codes
Revises: 0003_notices
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_resume_codes"
down_revision = "0003_notices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resume_codes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("user_id", sa.LargeBinary(), nullable=False),
        sa.Column("check_hash", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failed_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_resume_codes_user_key", "resume_codes", ["user_key"])


def downgrade() -> None:
    op.drop_index("ix_resume_codes_user_key", table_name="resume_codes")
    op.drop_table("resume_codes")
