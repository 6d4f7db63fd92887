"""Privacy: resume codes are no longer locked per code (guessers are limited instead).

Revision ID: 0007_privacy
Revises: 0004_resume_codes
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_privacy"
down_revision = "0004_resume_codes"
branch_labels = None
depends_on = None


def At(name: str, *, nullable: bool = False) -> sa.Column:  # noqa: N802 - reads like a column type
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    # a wrong-digit count per code let a stranger lock the resident out of their own code
    with op.batch_alter_table("resume_codes") as batch:
        batch.drop_column("failures")
        batch.drop_column("failed_since")


def downgrade() -> None:
    with op.batch_alter_table("resume_codes") as batch:
        batch.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(At("failed_since", nullable=True))
