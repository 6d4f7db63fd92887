"""Console: queue columns and urgency on intakes, server-side sessions, sign-in throttling, disabled
accounts, referrals with their events, sampled return visits.

Revision ID: 0002_console
Revises: 0002_receipt_reading
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_console"
down_revision = "0002_receipt_reading"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def intake_columns() -> list[sa.Column]:
    return [
        sa.Column("urgency_score", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("urgency", sa.LargeBinary()),
        sa.Column("replied", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("district", sa.String(32)),
        sa.Column("household_size", sa.Integer()),
        sa.Column("outcome", sa.String(16)),
        sa.Column("applicant_name", sa.LargeBinary()),
        sa.Column("name_hash", sa.String(64)),
        sa.Column("phone_hash", sa.String(64)),
    ]


def At(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        for column in intake_columns():
            batch.add_column(column)
    op.create_index("ix_intakes_name_hash", "intakes", ["name_hash"])
    op.create_index("ix_intakes_phone_hash", "intakes", ["phone_hash"])
    op.create_index("ix_intakes_score", "intakes", ["status", "urgency_score", "submitted_at"])
    with op.batch_alter_table("console_users") as batch:
        batch.add_column(sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        At("created_at"),
        At("expires_at"),
    )
    op.create_index("ix_console_sessions_name", "console_sessions", ["name"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        At("window_start"),
        At("locked_until", nullable=True),
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("programme", sa.String(100), nullable=False),
        sa.Column("programme_doc", Json, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        At("created_at"),
        At("updated_at"),
    )
    op.create_index("ix_referrals_intake_id", "referrals", ["intake_id"])
    op.create_table(
        "referral_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("referral_id", sa.Integer(), sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        At("at"),
        sa.Column("detail", sa.LargeBinary()),
    )
    op.create_index("ix_referral_events_referral_id", "referral_events", ["referral_id"])
    op.create_table(
        "return_visits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("sample", sa.String(32), nullable=False),
        sa.Column("drawn_by", sa.String(64), nullable=False),
        At("drawn_at"),
        sa.Column("outcome", sa.String(16)),
        sa.Column("note", sa.LargeBinary()),
        sa.Column("recorded_by", sa.String(64)),
        At("recorded_at", nullable=True),
        sa.Column("new_intake_id", sa.Integer()),
    )
    op.create_index("ix_return_visits_intake_id", "return_visits", ["intake_id"])
    op.create_index("ix_return_visits_sample", "return_visits", ["sample"])


def downgrade() -> None:
    for table in ("return_visits", "referral_events", "referrals", "login_throttle", "console_sessions"):
        op.drop_table(table)
    with op.batch_alter_table("console_users") as batch:
        batch.drop_column("disabled")
    op.drop_index("ix_intakes_score", "intakes")
    op.drop_index("ix_intakes_phone_hash", "intakes")
    op.drop_index("ix_intakes_name_hash", "intakes")
    with op.batch_alter_table("intakes") as batch:
        for column in reversed(intake_columns()):
            batch.drop_column(column.name)
