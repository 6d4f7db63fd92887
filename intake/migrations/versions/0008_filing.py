"""Answers to a request for more information carry the key of the confirmation that sent them, so a
confirm repeated after a crash or a lost reply finds the answers it returned.

Revision ID: 0008_filing
Revises: 0007_wechat
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_filing"
down_revision = "0007_wechat"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("info_requests") as batch:
        batch.add_column(sa.Column("answer_key", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_info_requests_answer_key", ["answer_key"])


def downgrade() -> None:
    with op.batch_alter_table("info_requests") as batch:
        batch.drop_constraint("uq_info_requests_answer_key", type_="unique")
        batch.drop_column("answer_key")
