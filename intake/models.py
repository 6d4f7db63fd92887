"""Tables of the intake database and the states an intake moves through."""
from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, false
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
# Every step but a release or a resident's answer needs the actor to hold a live lease
# (see `intake.store.workflow.check_step`); a decided intake is held again to be closed.
TRANSITIONS: dict[IntakeStatus, frozenset[IntakeStatus]] = {
    S.SUBMITTED: frozenset({S.CLAIMED}),
    S.CLAIMED: frozenset({S.SUBMITTED, S.NEEDS_INFORMATION, S.ACCEPTED, S.REJECTED, S.CLOSED}),
    S.NEEDS_INFORMATION: frozenset({S.SUBMITTED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.CLOSED}),
    S.REFERRED: frozenset({S.CLOSED}),  # intakes referred before referrals became records of their own
    S.REJECTED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Statuses in which a caseworker may hold an intake without changing its status, to follow it up.
HOLDABLE = frozenset({S.NEEDS_INFORMATION, S.ACCEPTED, S.REFERRED, S.REJECTED})
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


OFFICE_TIME = ZoneInfo("Asia/Shanghai")  # Beijing time: every time or date staff and residents read


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
        Index("ix_intakes_score", "status", "urgency_score", "submitted_at"),
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
    # what the queue shows and filters on, derived from the answers when they are written
    urgency_score: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    urgency: Mapped[bytes | None]  # encrypted: each dimension's reason quotes the household's figures
    replied: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # answered a request
    district: Mapped[str | None] = mapped_column(String(32))
    household_size: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(16))  # the pre-screen's overall outcome
    applicant_name: Mapped[bytes | None]  # encrypted
    name_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    assigned_to: Mapped[str | None] = mapped_column(String(64), index=True)  # the caseworker the case is given to


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
    reading: Mapped[bytes | None]  # encrypted JSON: the fields read from a receipt, when it was read


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


class Assignment(Base):
    """One change of the caseworker an intake is given to: who gave it, when, from whom, to whom, why."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    from_worker: Mapped[str | None] = mapped_column(String(64))
    to_worker: Mapped[str | None] = mapped_column(String(64))  # None: given back to the team
    note: Mapped[bytes | None]  # encrypted: a hand-over note may quote the household


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
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ConsoleSession(Base):
    """A signed-in browser or API client; the token itself is never stored, only its keyed hash."""

    __tablename__ = "console_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginThrottle(Base):
    """Failed sign-ins counted per (name, address) pair and per address, by keyed hash of either; resume
    code guesses per guesser (`intake.store.attempts`)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime]
    locked_until: Mapped[datetime | None]


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
    # the submission key of the confirmation that answered it: a repeated confirm finds its answers
    answer_key: Mapped[str | None] = mapped_column(String(64), unique=True)


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


class SearchTerm(Base):
    """A keyed hash a caseworker's search may hit (part of the applicant's name, the phone's last four
    digits), so a search never decrypts every intake; rewritten with the answers."""

    __tablename__ = "search_terms"

    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class ProcessedUpdate(Base):
    """An update a channel has already handled (e.g. a Telegram update_id), so a redelivery is ignored."""

    __tablename__ = "processed_updates"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime]
class ReferralStatus(StrEnum):
    """Where a referral to a charity programme stands, as staff record the partner's answers."""

    SENT = "sent"
    ACCEPTED = "accepted"  # the partner took the case
    HELPED = "helped"  # the partner helped: with what and how much is in the event's detail
    DECLINED = "declined"  # the partner declined, with a reason


REFERRAL_STEPS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.HELPED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.HELPED, ReferralStatus.DECLINED}),
    ReferralStatus.HELPED: frozenset({ReferralStatus.HELPED}),  # help given again, e.g. a second payment
    ReferralStatus.DECLINED: frozenset(),
}


class Referral(Base):
    """A referral of an intake's household to one charity programme; its history is in referral_events."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    programme: Mapped[str] = mapped_column(String(100))
    programme_doc: Mapped[dict[str, Any]]  # the catalogue entry as matched: names, organisation, source
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReferralEvent(Base):
    """One step of a referral, recorded by staff: sent, accepted, helped (what, how much), declined (why)."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    detail: Mapped[bytes | None]  # encrypted JSON: {"note", "help", "amount"}


class ReturnVisit(Base):
    """A closed case drawn for a follow-up call (抽样回访), and what the call found."""

    __tablename__ = "return_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    sample: Mapped[str] = mapped_column(String(32), index=True)  # which draw it belongs to
    drawn_by: Mapped[str] = mapped_column(String(64))
    drawn_at: Mapped[datetime]
    outcome: Mapped[str | None] = mapped_column(String(16))  # unreached | reached | helped | still_in_need
    note: Mapped[bytes | None]  # encrypted
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime | None]
    new_intake_id: Mapped[int | None] = mapped_column(Integer)


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


class ResumeCode(Base):
    """A resident's resume code: which conversation it opens, and the check that unlocks it.

    Only keyed hashes are kept (of the code, and of the code with the phone's last four digits); the
    code itself lives only in the resident's own conversation state, which is encrypted at rest.
    """

    __tablename__ = "resume_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(64))
    user_key: Mapped[str] = mapped_column(String(64), index=True)  # keyed hash of channel + user id
    user_id: Mapped[bytes]  # encrypted: a channel's user id may be a phone number
    check_hash: Mapped[str] = mapped_column(String(64))  # keyed hash of the code hash and four digits
    created_at: Mapped[datetime]
    moved_at: Mapped[datetime | None]  # when it last opened on another conversation


class WechatToken(Base):
    """A WeChat account's access token, shared by every process; `lease_until` marks the one fetching it."""

    __tablename__ = "wechat_tokens"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[bytes | None]  # encrypted
    expires_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    holder: Mapped[str | None] = mapped_column(String(64))
    forced_at: Mapped[datetime | None]  # the last forced refresh (WeChat allows one per 30 s)


class AccessRecord(Base):
    """One staff read of resident data (an intake opened, a receipt viewed, an export made): who, when,
    what, from where. No intake key: the record outlives the intake it names."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_at", "at"), Index("ix_access_log_intake", "intake_id", "at"),
                      Index("ix_access_log_actor", "actor", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))  # the console account
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))  # intake | file | export
    intake_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(String(80))  # which file, which export
    via: Mapped[str] = mapped_column(String(16))  # console | api | phone
    address: Mapped[str] = mapped_column(String(64))  # where the staff member's request came from


class RetentionRun(Base):
    """One run of the retention sweep: when, whether it only counted, and how much of each class went."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    dry_run: Mapped[bool] = mapped_column(Boolean)
    counts: Mapped[dict[str, Any]]  # e.g. {"unfinished.conversations": 3, "closed.intakes": 1}


class ConsentRecord(Base):
    """One yes or no to one purpose: who (a keyed hash), which purpose and recipient, the notice version shown,
    the channel and method, who collected it (the resident, or a staff member on their behalf), when. A
    withdrawal is a new row; no intake key, so the record outlives the data as anonymised proof."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_subject", "subject", "id"), Index("ix_consents_intake", "intake_id", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(64))  # keyed hash of the conversation; "anonymised" later
    intake_id: Mapped[int | None] = mapped_column(Integer)  # set when the application is filed
    purpose: Mapped[str] = mapped_column(String(32))  # economic_check | referral | ...
    recipient: Mapped[str | None] = mapped_column(String(100))  # the charity programme, for a referral
    granted: Mapped[bool] = mapped_column(Boolean)
    notice_version: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(16))  # chat | phone | counter
    collected_by: Mapped[str] = mapped_column(String(64))  # "resident" or the staff member's account
    at: Mapped[datetime]


class RightsRequestRow(Base):
    """A resident's request to see, copy, correct or delete their data, withdraw a consent or have a person
    review an automated result; tracked to a reply by its due date."""

    __tablename__ = "rights_requests"
    __table_args__ = (Index("ix_rights_requests_open", "status", "due_at"),
                      Index("ix_rights_requests_intake", "intake_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(Integer)  # no foreign key: the record outlives an anonymised intake
    kind: Mapped[str] = mapped_column(String(16))
    detail: Mapped[bytes]  # encrypted: what the resident asked, in their words
    method: Mapped[str] = mapped_column(String(16))  # phone | counter
    taken_by: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # open | answered | refused
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None]
    reply: Mapped[bytes | None]  # encrypted: what was done, or the reasons for a refusal


class ThreadMessage(Base):
    """One message of an intake's conversation between its caseworkers and the resident, in order: a caseworker's
    free text or canned reply, a request for more information, the resident's own message or file."""

    __tablename__ = "thread_messages"
    __table_args__ = (Index("ix_thread_messages_intake", "intake_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    at: Mapped[datetime]
    sender: Mapped[str] = mapped_column(String(16))  # staff | resident
    author: Mapped[str | None] = mapped_column(String(64))  # the staff account (a resident's message: None)
    kind: Mapped[str] = mapped_column(String(16))  # message | request | file
    text: Mapped[bytes]  # encrypted: the message as written (or a file's name)
    file_id: Mapped[str | None] = mapped_column(String(255))  # a file the resident sent
    notice_id: Mapped[int | None] = mapped_column(Integer)  # the notice that carries a staff message to the resident
    read_at: Mapped[datetime | None]  # a staff message: the resident saw it (web chat) or answered after it


class ChecklistMark(Base):
    """A caseworker's mark on one item of an intake's document checklist: received (which file) or waived
    (why); the latest row per item counts, earlier ones stay as its history."""

    __tablename__ = "checklist_marks"
    __table_args__ = (Index("ix_checklist_marks_intake", "intake_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    item: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # received | waived | needed (a mark undone)
    file_id: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[bytes | None]  # encrypted: why it is waived may quote the household's situation
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
