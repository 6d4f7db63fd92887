"""The intake store interface: applications after submission, the caseworker workflow, accounts."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from intake.errors import InvalidRequest
from intake.models import IntakeStatus
from intake.store.records import Account, IntakeRecord, IntakeSummary, PersonMatch, UnansweredRecord, VisitFinding

# Who acts when no staff member does: the resident on their channel, or the system (lease expiry).
RESIDENT = "resident"
SYSTEM = "system"


class BaseIntakeStore(ABC):
    """Where submitted applications live; the source of truth for every queue backend."""

    # -- applications ------------------------------------------------------------------
    @abstractmethod
    async def submit(
        self,
        application: dict[str, Any],
        *,
        channel: str,
        user_id: str,
        locale: str,
        staff_id: str | None = None,
        prescreen: dict[str, Any] | None = None,
        submission_key: str | None = None,
        answer_staff: Mapping[str, str] | None = None,
        visit: VisitFinding | None = None,
    ) -> int:
        """Store a finished application and queue it (one transaction); return the intake number.
        The same `submission_key` always returns the intake it filed first. With a `visit`, the return
        visit that found the need is recorded and linked to the new intake in the same transaction."""

    @abstractmethod
    async def get(self, intake_id: int) -> IntakeRecord:
        """Everything about one intake, decrypted; `IntakeNotFound` if there is none."""

    @abstractmethod
    async def list_for_user(self, channel: str, user_id: str) -> list[IntakeSummary]:
        """The resident's own intakes on that channel, newest first."""

    @abstractmethod
    async def list_intakes(self, statuses: Iterable[IntakeStatus] | None = None, *, limit: int = 100,
                           assigned_to: str | None = None) -> list[IntakeSummary]:
        """Intakes in queue order (urgent first, then oldest), optionally only in `statuses` or given to `assigned_to`."""

    @abstractmethod
    async def people_in_intakes(self, id_hashes: Iterable[str], since: datetime, *,
                                limit: int | None = None) -> list[PersonMatch]:
        """Where these people (ID-number hashes) already appear: open intakes, or accepted since `since`;
        with a `limit`, only in the newest `limit` such intakes. Oldest intake first."""

    # -- caseworker workflow -------------------------------------------------------------
    @abstractmethod
    async def transition(
        self,
        intake_id: int,
        to: IntakeStatus,
        *,
        actor: str,
        reason: str | None = None,
        referral: dict[str, Any] | None = None,
    ) -> IntakeStatus:
        """Move the intake to `to` if allowed and, from claimed, only by its holder; audit it; return the old status."""

    @abstractmethod
    async def request_more_info(self, intake_id: int, items: list[str], *, actor: str, message: str | None = None) -> int:
        """Ask the resident for `items`; the intake waits in needs_information. Returns the request id."""

    @abstractmethod
    async def return_more_info(
        self,
        intake_id: int,
        answers: dict[str, Any],
        staff_id: str | None = None,
        *,
        channel: str | None = None,
        user_id: str | None = None,
        prescreen: dict[str, Any] | None = None,
        submission_key: str | None = None,
    ) -> None:
        """Merge the resident's answers into the same intake, with its new `prescreen`, and put it back in
        the queue (one transaction).

        With `channel` and `user_id`, the intake must be that resident's (else `IntakeNotFound`). The same
        `submission_key` again finds the answers it returned (no `NoOpenRequest`).
        """

    @abstractmethod
    async def add_note(self, intake_id: int, *, author: str, text: str) -> int:
        """Add a caseworker's note; return its id."""

    # -- channels, accounts, curation ----------------------------------------------------
    @abstractmethod
    async def add_channel(self, name: str) -> str:
        """Create (or rotate) the token of a chat API channel; return the token, shown only this once."""

    @abstractmethod
    async def check_channel(self, name: str, token: str) -> bool:
        """Whether `token` is the current token of channel `name` (constant-time)."""

    @abstractmethod
    async def add_user(self, name: str, role: str, password: str) -> Account:
        """Create a console account."""

    @abstractmethod
    async def verify_user(self, name: str, password: str) -> Account | None:
        """The account if the password is right, else None; `AccountLocked` after repeated failures."""

    @abstractmethod
    async def get_user(self, name: str) -> Account | None:
        """A console account by name."""

    @abstractmethod
    async def log_unanswered(self, question: str, locale: str) -> int:
        """Keep a question the knowledge base could not answer well."""

    @abstractmethod
    async def list_unanswered(self, *, limit: int = 100) -> list[UnansweredRecord]:
        """The most recent unanswered questions."""

    # -- written once ----------------------------------------------------------------------
    async def accept(self, intake_id: int, *, actor: str, reason: str | None = None) -> None:
        """Accept the intake for processing."""
        await self.transition(intake_id, IntakeStatus.ACCEPTED, actor=actor, reason=reason)

    async def reject(self, intake_id: int, *, actor: str, reason: str) -> None:
        """Reject the intake; the reason is what the resident will read."""
        if not reason.strip():
            raise InvalidRequest("a rejection needs a reason the resident can read")
        await self.transition(intake_id, IntakeStatus.REJECTED, actor=actor, reason=reason)

    async def refer(self, intake_id: int, *, actor: str, programme: dict[str, Any], reason: str | None = None) -> None:
        """Refer the intake to a charity programme."""
        await self.transition(intake_id, IntakeStatus.REFERRED, actor=actor, reason=reason, referral=programme)

    async def close_intake(self, intake_id: int, *, actor: str, reason: str) -> None:
        """Close the intake (after a decision, or a request for information never answered)."""
        await self.transition(intake_id, IntakeStatus.CLOSED, actor=actor, reason=reason)
