"""Search by part of a name or the phone's last four digits: keyed hashes per intake (search_terms), written
with the answers. Intakes filed before this revision are found by number, whole name and whole phone only
until their answers are written again.

Revision ID: 0010_console
Revises: 0009_privacy
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_console"
down_revision = "0009_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_terms",
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("term", sa.String(64), primary_key=True),
    )
    op.create_index("ix_search_terms_term", "search_terms", ["term"])


def downgrade() -> None:
    op.drop_index("ix_search_terms_term", table_name="search_terms")
    op.drop_table("search_terms")
