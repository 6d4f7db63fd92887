"""Tables of the intake database and the states an intake moves through."""
from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class IntakeStatus(StrEnum):
    """Where an intake is in the caseworker workflow."""

    SUBMITTED = "submitted"
    CLAIMED = "claimed"
    NEEDS_INFORMATION = "needs_information"
    ACCEPTED = "accepted"
    REFERRED = "referred"
    REJECTED = "rejected"
    CLOSED = "closed"


S = IntakeStatus
# Every allowed step; anything else is an InvalidTransition. Claiming an intake whose lease
# ran out goes claimed -> submitted -> claimed, so both steps appear in the audit log.
TRANSITIONS: dict[IntakeStatus, frozenset[IntakeStatus]] = {
    S.SUBMITTED: frozenset({S.CLAIMED, S.CLOSED}),
    S.CLAIMED: frozenset({S.SUBMITTED, S.NEEDS_INFORMATION, S.ACCEPTED, S.REFERRED, S.REJECTED}),
    S.NEEDS_INFORMATION: frozenset({S.SUBMITTED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.CLOSED}),
    S.REFERRED: frozenset({S.CLOSED}),
    S.REJECTED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Still waiting for someone: a second application from the same people is a duplicate.
OPEN_STATUSES = frozenset({S.SUBMITTED, S.CLAIMED, S.NEEDS_INFORMATION})


class Role(StrEnum):
    """What a console account may do."""

    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    STAFF = "staff"
    ADMIN = "admin"


class InfoRequestStatus(StrEnum):
    """A caseworker's request for more information: waiting for the resident, or answered."""

    OPEN = "open"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; SQLite keeps them as naive UTC text, PostgreSQL as timestamptz."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        # SQLite compares the stored text, so every value must be written in the same (naive UTC) form
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base of every intake table."""

    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JsonDoc, list[Any]: JsonDoc, bytes: LargeBinary()}


class Intake(Base):
    """One submitted application. Personal data lives only in encrypted columns."""

    __tablename__ = "intakes"
    __table_args__ = (
        Index("ix_intakes_queue", "status", "urgent", "submitted_at"),
        Index("ix_intakes_user", "channel", "user_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(64))
    user_key: Mapped[str] = mapped_column(String(64))  # keyed hash of channel + user id, for look-ups
    user_id: Mapped[bytes]  # encrypted: a channel's user id may be a phone number
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(24))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_id: Mapped[str | None] = mapped_column(String(64))  # staff who ran the dialog for a caller
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # times claimed
    queue_ref: Mapped[str | None] = mapped_column(String(80))  # the queue backend's message id
    answers: Mapped[bytes]  # encrypted application record
    prescreen: Mapped[bytes | None]  # encrypted: its reasons quote the household's income
    referral: Mapped[dict[str, Any] | None]
    # the confirmation that filed it: a retried confirm finds this intake instead of filing another
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class Answer(Base):
    """One answered item of an application, with who entered it."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    value: Mapped[bytes]  # encrypted JSON
    entered_by: Mapped[str | None] = mapped_column(String(64))  # staff id; None when the resident typed it
    entered_at: Mapped[datetime]


class Person(Base):
    """A keyed hash of each ID number in an intake, to find earlier applications by the same people."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # applicant | member
    id_hash: Mapped[str] = mapped_column(String(64), index=True)


class StoredAttachment(Base):
    """A receipt or document attached to an intake; the file itself lives in file storage."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    file_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[bytes]  # encrypted: file names often carry the resident's name
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    expense_index: Mapped[int | None] = mapped_column(Integer)


class Outbox(Base):
    """An intake waiting to be published to the queue; written in the same transaction as the intake."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "published_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One status change; rows are never updated or deleted (the migration adds triggers to refuse it)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime]
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    reason: Mapped[bytes | None]  # encrypted: a reason may quote the household's figures


class Note(Base):
    """A caseworker's note on an intake."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    text: Mapped[bytes]  # encrypted


class Transcript(Base):
    """The conversation that produced an intake."""

    __tablename__ = "transcripts"

    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), primary_key=True)
    body: Mapped[bytes]  # encrypted JSON list of turns


class ChannelToken(Base):
    """A channel allowed to use the HTTP chat API, found by name, checked by token hash."""

    __tablename__ = "channel_tokens"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ConsoleUser(Base):
    """A console account."""

    __tablename__ = "console_users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class UnansweredQuestion(Base):
    """A question the knowledge base could not answer well, kept for curation."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question: Mapped[bytes]  # encrypted: residents put their own details in questions
    locale: Mapped[str] = mapped_column(String(8))
    asked_at: Mapped[datetime] = mapped_column(index=True)


class InfoRequest(Base):
    """A caseworker's request for more information: which items, and whether the resident answered."""

    __tablename__ = "info_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    items: Mapped[list[Any]]  # item paths such as "applicant.phone" or "expenses.0.receipts"
    message: Mapped[bytes | None]  # encrypted: what the caseworker wrote to the resident
    status: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class ConversationRow(Base):
    """A conversation's engine state between turns (the SQL conversation store), found by keyed hash."""

    __tablename__ = "conversations"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # keyed hash of channel + user id
    state: Mapped[bytes]  # encrypted JSON
    updated_at: Mapped[datetime]


class MailboxMessage(Base):
    """A message waiting for a resident on a channel without push, until the client asks."""

    __tablename__ = "mailbox"
    __table_args__ = (Index("ix_mailbox_key", "key", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64))  # keyed hash of channel + user id
    body: Mapped[bytes]  # encrypted JSON reply
    created_at: Mapped[datetime]


class TranscriptLine(Base):
    """One line of a conversation as it happened, appended per turn; staff read it with the intake."""

    __tablename__ = "transcript_lines"
    __table_args__ = (Index("ix_transcript_lines_conversation", "conversation", "id"),
                      Index("ix_transcript_lines_intake", "intake_id", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation: Mapped[str] = mapped_column(String(64))  # keyed hash of channel + user id
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"))  # set when the application is filed
    who: Mapped[str] = mapped_column(String(16))  # resident | staff | bot
    staff_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[bytes]  # encrypted
    at: Mapped[datetime]


class ProcessedUpdate(Base):
    """An update a channel has already handled (e.g. a Telegram update_id), so a redelivery is ignored."""

    __tablename__ = "processed_updates"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime]


class Notice(Base):
    """A message to a resident outside a turn (a decision), kept until their channel has taken it."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_due", "delivered_at", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"))
    channel: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[bytes]  # encrypted: a channel's user id may be a phone number
    body: Mapped[bytes]  # encrypted JSON list of replies
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime | None]  # next attempt; None once delivered or given up
    lease_until: Mapped[datetime | None]  # a process is delivering it until then
    delivered_at: Mapped[datetime | None]
