"""Domain errors of the intake package: one root, each carrying the data an edge needs to answer."""
from __future__ import annotations

from datetime import datetime


class IntakeError(Exception):
    """Root of every error the intake store and queue raise on purpose; `code` says what kind (edges map it)."""

    code = "invalid"


class InvalidRequest(IntakeError, ValueError):
    """A request the store or console cannot carry out as asked (e.g. a rejection without a reason)."""


class IntakeNotFound(IntakeError):
    """No intake has this number."""

    code = "not_found"

    def __init__(self, intake_id: int) -> None:
        super().__init__(f"intake {intake_id} does not exist")
        self.intake_id = intake_id


class RecordNotFound(IntakeNotFound):
    """No referral or return visit has this number (answered like a missing intake)."""

    def __init__(self, kind: str, record_id: int) -> None:
        IntakeError.__init__(self, f"{kind} {record_id} does not exist")
        self.intake_id = 0
        self.kind = kind
        self.record_id = record_id


class AlreadyClaimed(IntakeError):
    """Another caseworker holds the intake."""

    code = "conflict"

    def __init__(self, intake_id: int, by: str | None, until: datetime | None = None) -> None:
        super().__init__(f"intake {intake_id} is held by {by}")
        self.intake_id = intake_id
        self.by = by
        self.until = until


class InvalidTransition(IntakeError):
    """The intake is not in a state from which this step is allowed."""

    code = "conflict"

    def __init__(self, intake_id: int, from_status: str | None, to_status: str) -> None:
        super().__init__(f"intake {intake_id} cannot go from {from_status} to {to_status}")
        self.intake_id = intake_id
        self.from_status = from_status
        self.to_status = to_status


class CheckNotAuthorised(IntakeError):
    """The application lacks the resident's consent to the household-finance check; nothing is stored."""


class LeaseLost(IntakeError):
    """The worker's lease on the intake expired and someone else took it, or it was decided."""

    code = "conflict"

    def __init__(self, intake_id: int, worker: str) -> None:
        super().__init__(f"{worker} no longer holds intake {intake_id}")
        self.intake_id = intake_id
        self.worker = worker


class NotHeld(IntakeError):
    """A decision needs a live lease on the intake, and the actor has none: claim it first."""

    code = "conflict"

    def __init__(self, intake_id: int, actor: str) -> None:
        super().__init__(f"{actor} does not hold intake {intake_id}")
        self.intake_id = intake_id
        self.actor = actor


class NoOpenRequest(IntakeError):
    """The intake has no open request for more information to answer."""

    code = "conflict"

    def __init__(self, intake_id: int) -> None:
        super().__init__(f"intake {intake_id} has no open request for more information")
        self.intake_id = intake_id


class AccountLocked(IntakeError):
    """Too many failed sign-ins; the account is locked until `until`."""

    code = "locked"

    def __init__(self, name: str, until: datetime) -> None:
        super().__init__(f"account {name!r} is locked until {until.isoformat()}")
        self.name = name
        self.until = until


class DuplicateName(IntakeError):
    """An account with this name already exists."""

    code = "conflict"

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"{kind} {name!r} already exists")
        self.kind = kind
        self.name = name


class UnknownRole(IntakeError):
    """The role is not one of the console roles."""

    def __init__(self, role: str) -> None:
        super().__init__(f"unknown role {role!r}")
        self.role = role


class UndecryptableData(IntakeError):
    """Stored personal data cannot be decrypted with this secret key (wrong or rotated key)."""

    code = "unavailable"


class ConsentMissing(IntakeError):
    """The resident has not (or no longer) consented to this purpose, e.g. giving the household to this charity."""

    code = "conflict"

    def __init__(self, intake_id: int, purpose: str, recipient: str | None = None) -> None:
        super().__init__(f"intake {intake_id} has no consent to {purpose}" + (f" ({recipient})" if recipient else ""))
        self.intake_id = intake_id
        self.purpose = purpose
        self.recipient = recipient
