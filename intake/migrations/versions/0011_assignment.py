"""Assignment: an intake can be given to a named caseworker (intakes.assigned_to); every change of hands is a
row of its own (assignments: who, when, from whom, to whom, an encrypted note).

Revision ID: 0011_assignment
Revises: 0010_console
Create Date: 2026-12-08
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_assignment"
down_revision = "0010_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.add_column(sa.Column("assigned_to", sa.String(64), nullable=True))
        batch.create_index("ix_intakes_assigned_to", ["assigned_to"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_worker", sa.String(64), nullable=True),
        sa.Column("to_worker", sa.String(64), nullable=True),
        sa.Column("note", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_assignments_intake_id", "assignments", ["intake_id"])


def downgrade() -> None:
    op.drop_index("ix_assignments_intake_id", table_name="assignments")
    op.drop_table("assignments")
    with op.batch_alter_table("intakes") as batch:
        batch.drop_index("ix_intakes_assigned_to")
        batch.drop_column("assigned_to")
