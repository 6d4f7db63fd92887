"""What the intake store hands out: plain, decrypted, read-only records."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from intake.models import InfoRequestStatus, IntakeStatus, Role


@dataclass(frozen=True, slots=True)
class AnswerItem:
    """One answered item and who entered it (a staff id, or None for the resident)."""

    path: str
    value: Any
    entered_by: str | None
    entered_at: datetime


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    """A file attached to an intake; `expense_index` points at its expense, None for a later document."""

    file_id: str
    name: str
    content_type: str
    size: int
    expense_index: int | None
    reading: dict[str, Any] | None = None  # fields read from a receipt (intake.receipts.Receipt.as_dict)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One status change: who, when, from, to, why."""

    actor: str
    at: datetime
    from_status: IntakeStatus | None
    to_status: IntakeStatus
    reason: str | None


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    """One change of the caseworker an intake is given to (None: the team)."""

    actor: str
    at: datetime
    from_worker: str | None
    to_worker: str | None
    note: str


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A caseworker's note."""

    id: int
    author: str
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class InfoRequestRecord:
    """A request for more information: the items asked for and the caseworker's message."""

    id: int
    intake_id: int
    items: tuple[str, ...]
    message: str | None
    status: InfoRequestStatus
    requested_by: str
    requested_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class IntakeSummary:
    """An intake as a list shows it: no answers, the open request for more information if any."""

    id: int
    channel: str
    locale: str
    status: IntakeStatus
    urgent: bool
    submitted_at: datetime
    updated_at: datetime
    claimed_by: str | None
    lease_until: datetime | None
    open_request: InfoRequestRecord | None = None
    assigned_to: str | None = None


@dataclass(frozen=True, slots=True)
class IntakeRecord:
    """Everything known about one intake, decrypted for the console."""

    id: int
    channel: str
    user_id: str
    locale: str
    status: IntakeStatus
    urgent: bool
    staff_id: str | None
    created_at: datetime
    submitted_at: datetime
    updated_at: datetime
    claimed_by: str | None
    lease_until: datetime | None
    attempts: int
    application: dict[str, Any]
    prescreen: dict[str, Any] | None
    referral: dict[str, Any] | None
    answers: tuple[AnswerItem, ...] = ()
    attachments: tuple[AttachmentRecord, ...] = ()
    audit: tuple[AuditRecord, ...] = ()
    notes: tuple[NoteRecord, ...] = ()
    transcript: tuple[dict[str, Any], ...] = ()
    info_requests: tuple[InfoRequestRecord, ...] = ()
    replied: bool = False  # 「居民有回复」: the resident answered a request or wrote, and no caseworker since
    assigned_to: str | None = None

    @property
    def open_request(self) -> InfoRequestRecord | None:
        """The request for more information the resident has still to answer."""
        return next((r for r in self.info_requests if r.status is InfoRequestStatus.OPEN), None)


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """An intake in which a person (by ID-number hash) already appears."""

    intake_id: int
    status: IntakeStatus
    submitted_at: datetime
    role: str
    id_hash: str
    user_key: str  # who filed that intake (`intake.store.rows.user_key`): a resident hears only of their own


@dataclass(frozen=True, slots=True)
class Claim:
    """An intake held by a worker until `lease_until`; `queue_ref` is the queue backend's message id."""

    intake_id: int
    worker: str
    lease_until: datetime
    attempts: int
    urgent: bool
    submitted_at: datetime
    queue_ref: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """An intake waiting to be published to the queue."""

    id: int
    intake_id: int
    urgent: bool
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class QueueStats:
    """How many intakes wait for a caseworker, how many of them are urgent, and since when the oldest waits."""

    waiting: int
    urgent: int
    claimed: int
    oldest_submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class Account:
    """A console account, without its password hash."""

    name: str
    role: Role
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A live console session: whose it is, the CSRF token its forms carry, when it ends."""

    account: Account
    csrf: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ChannelRecord:
    """A chat API channel (its token is never read back)."""

    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class UnansweredRecord:
    """A question the knowledge base could not answer well."""

    id: int
    question: str
    locale: str
    asked_at: datetime


__all__ = [
    "Account", "AnswerItem", "AssignmentRecord", "AttachmentRecord", "AuditRecord", "ChannelRecord", "Claim", "InfoRequestRecord",
    "IntakeRecord", "IntakeSummary", "NoteRecord", "OutboxItem", "PersonMatch", "QueuePage", "QueueQuery", "QueueRow",
    "QueueStats", "SessionRecord", "UnansweredRecord",
]


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """What a caseworker asks of the queue: statuses, filters, a search (number, name or phone), a page."""

    statuses: tuple[IntakeStatus, ...] = ()
    district: str | None = None
    outcome: str | None = None
    channel: str | None = None
    search: str | None = None
    urgent_only: bool = False
    replied_only: bool = False  # only intakes marked 「居民有回复」
    assigned_to: str | None = None  # given to this caseworker
    unassigned: bool = False  # given to nobody yet
    overdue_before: datetime | None = None  # submitted before this time (past the target)
    referred_to: str | None = None  # referred to this charity programme
    page: int = 1
    per_page: int = 50
    newest_first: bool = False  # decided intakes: the latest change first


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueRow(IntakeSummary):
    """An intake as the queue shows it: its summary, and who (masked), where, how many, what the
    pre-screen says, how urgent."""

    masked_name: str
    district: str | None
    household_size: int | None
    outcome: str | None
    urgency_score: int
    urgency: Any  # intake.urgency.Urgency, or None for an intake scored before urgency existed
    replied: bool


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the queue and how many intakes match in all."""

    rows: tuple[QueueRow, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class ReferralEventRecord:
    """One recorded step of a referral."""

    status: Any  # intake.models.ReferralStatus
    actor: str
    at: datetime
    note: str
    help: str
    amount: int | None


@dataclass(frozen=True, slots=True)
class ReferralRecord:
    """A referral to one charity programme, its current state and its history."""

    id: int
    intake_id: int
    programme: str
    programme_doc: dict[str, Any]
    status: Any  # intake.models.ReferralStatus
    created_by: str
    created_at: datetime
    events: tuple[ReferralEventRecord, ...]

    @property
    def helped_amount(self) -> int:
        return sum(e.amount or 0 for e in self.events)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One line of a household's case ledger (救助台账): an application, a decision, a referral step, a visit."""

    at: datetime
    intake_id: int
    kind: str  # application | decision | referral | visit
    what: str  # a status, referral status or visit outcome key
    detail: str
    programme: dict[str, Any] | None = None
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class ReturnVisitRecord:
    """A closed case drawn for a follow-up call, and what the call found."""

    id: int
    intake_id: int
    sample: str
    drawn_by: str
    drawn_at: datetime
    outcome: str | None
    note: str
    recorded_by: str | None
    recorded_at: datetime | None
    new_intake_id: int | None


@dataclass(frozen=True, slots=True)
class VisitFinding:
    """A return call that found the household still in need, recorded with the intake filed for it."""

    visit_id: int
    actor: str
    note: str  # what the call found, kept with the visit
    intake_note: str  # the note the new intake starts with


@dataclass(frozen=True, slots=True)
class FollowUpRate:
    """One sample of return visits: how many drawn, called, reached, helped, still in need."""

    sample: str
    drawn_at: datetime
    drawn: int
    called: int
    reached: int
    helped: int
    still_in_need: int
