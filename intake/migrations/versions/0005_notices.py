"""Notices to residents kept until delivered: decisions reach them even through an outage.

Revision ID: 0003_notices
Revises: 0002_console
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_notices"
down_revision = "0002_console"
branch_labels = None
depends_on = None


def At(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("user_id", sa.LargeBinary(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        At("created_at"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        At("due_at", nullable=True),
        At("lease_until", nullable=True),
        At("delivered_at", nullable=True),
    )
    op.create_index("ix_notices_due", "notices", ["delivered_at", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_notices_due", table_name="notices")
    op.drop_table("notices")
