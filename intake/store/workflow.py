"""The caseworker workflow in SQL: status changes as conditional updates, each one audited."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from intake.crypto import Vault
from intake.errors import AlreadyClaimed, IntakeNotFound, InvalidRequest, InvalidTransition, NoOpenRequest, NotHeld
from intake.models import TRANSITIONS, AuditEntry, InfoRequest, InfoRequestStatus, Intake, IntakeStatus, Note, Outbox
from intake.store.answers import answer_items, expand, merge
from intake.store.base import RESIDENT
from intake.store.rows import user_key, write_derived, write_items, write_queue_fields
from knowledge.params import PolicyParams

S = IntakeStatus


async def audit(
    conn: AsyncConnection,
    vault: Vault,
    intake_id: int,
    *,
    actor: str,
    at: datetime,
    from_status: IntakeStatus | None,
    to_status: IntakeStatus,
    reason: str | None = None,
) -> None:
    """Append one row to the audit log, in the caller's transaction."""
    await conn.execute(
        insert(AuditEntry).values(
            intake_id=intake_id,
            actor=actor,
            at=at,
            from_status=None if from_status is None else from_status.value,
            to_status=to_status.value,
            reason=None if reason is None else vault.encrypt_text(reason),
        )
    )


async def enqueue(conn: AsyncConnection, intake_id: int, at: datetime) -> None:
    """Add an outbox row, so the queue learns of the intake once this transaction commits."""
    await conn.execute(insert(Outbox).values(intake_id=intake_id, created_at=at, published_at=None))


async def current_state(conn: AsyncConnection, intake_id: int, *, lock: bool = False) -> Row[Any]:
    """The intake's status, holder and lease; `IntakeNotFound` if there is none."""
    query = select(Intake.status, Intake.claimed_by, Intake.lease_until).where(Intake.id == intake_id)
    if lock:
        query = query.with_for_update()
    row = (await conn.execute(query)).first()
    if row is None:
        raise IntakeNotFound(intake_id)
    return row


def needs_lease(to: IntakeStatus) -> bool:
    """Every step is a decision that needs a live lease, except a release and the return of a resident's answers."""
    return to is not S.SUBMITTED


def check_step(intake_id: int, state: Row[Any], to: IntakeStatus, actor: str, now: datetime) -> IntakeStatus:
    """Raise unless `actor` may move the intake from its current state to `to`; return the current status."""
    status = IntakeStatus(state.status)
    if to not in TRANSITIONS[status]:
        raise InvalidTransition(intake_id, status.value, to.value)
    live = state.lease_until is not None and state.lease_until >= now
    if status is S.NEEDS_INFORMATION and to is S.SUBMITTED:
        return status  # the resident's answers come back whoever follows the intake
    if state.claimed_by not in (None, actor) and (live or status is S.CLAIMED):
        raise AlreadyClaimed(intake_id, state.claimed_by, state.lease_until)
    if needs_lease(to) and not (state.claimed_by == actor and live):
        raise NotHeld(intake_id, actor)
    return status


async def _move(
    conn: AsyncConnection, intake_id: int, status: IntakeStatus, to: IntakeStatus, actor: str, now: datetime,
    values: dict[str, Any],
) -> bool:
    """The conditional update: change the intake only if it is still as checked (and held by `actor`)."""
    where = [Intake.id == intake_id, Intake.status == status.value]
    if status is S.CLAIMED and to is S.SUBMITTED:
        where.append(Intake.claimed_by == actor)
    if needs_lease(to):
        where.extend([Intake.claimed_by == actor, Intake.lease_until >= now])
    values = {**values, "lease_until": None}
    return (await conn.execute(update(Intake).where(*where).values(**values))).rowcount == 1


class SqlWorkflow:
    """Decisions, requests for more information and notes on the intakes table."""

    engine: AsyncEngine
    vault: Vault
    clock: Callable[[], datetime]
    # the parameter file urgency is scored with; the wiring sets the configured one, else the packaged file
    params: PolicyParams | None = None

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
        to = IntakeStatus(to)
        if to is S.CLAIMED:
            # a claim carries a lease; only a queue hands those out
            raise InvalidTransition(intake_id, None, to.value)
        extra = {} if referral is None else {"referral": referral}
        async with self.engine.begin() as conn:
            return await self._step(conn, intake_id, to, actor=actor, reason=reason, values=extra)

    async def _step(
        self,
        conn: AsyncConnection,
        intake_id: int,
        to: IntakeStatus,
        *,
        actor: str,
        reason: str | None,
        values: dict[str, Any],
    ) -> IntakeStatus:
        now = self.clock()
        values = {"status": to.value, "updated_at": now, **values}
        if to is S.SUBMITTED:
            values["claimed_by"] = None
        else:
            values.setdefault("replied", False)  # a decision has seen what the resident sent
        status = check_step(intake_id, await current_state(conn, intake_id, lock=True), to, actor, now)
        if not await _move(conn, intake_id, status, to, actor, now, values):
            # someone moved the intake first: say who or what
            check_step(intake_id, await current_state(conn, intake_id), to, actor, now)
            raise InvalidTransition(intake_id, status.value, to.value)
        if status is S.NEEDS_INFORMATION:
            await conn.execute(
                update(InfoRequest)
                .where(InfoRequest.intake_id == intake_id, InfoRequest.status == InfoRequestStatus.OPEN.value)
                .values(status=InfoRequestStatus.WITHDRAWN.value)
            )
        if to is S.SUBMITTED and status is not S.CLAIMED:
            # back from waiting: it needs a new queue message (a released claim keeps its old one)
            await enqueue(conn, intake_id, now)
        await audit(conn, self.vault, intake_id, actor=actor, at=now, from_status=status, to_status=to, reason=reason)
        return status

    async def request_more_info(self, intake_id: int, items: list[str], *, actor: str, message: str | None = None) -> int:
        """Ask the resident for `items`; the intake waits in needs_information. Returns the request id."""
        items = [str(item) for item in items if str(item).strip()]
        if not items:
            raise InvalidRequest("a request for more information needs at least one item")
        async with self.engine.begin() as conn:
            await self._step(conn, intake_id, S.NEEDS_INFORMATION, actor=actor, reason=message, values={})
            result = await conn.execute(
                insert(InfoRequest)
                .values(
                    intake_id=intake_id,
                    items=items,
                    message=None if message is None else self.vault.encrypt_text(message),
                    status=InfoRequestStatus.OPEN.value,
                    requested_by=actor,
                    requested_at=self.clock(),
                    answered_at=None,
                )
                .returning(InfoRequest.id)
            )
            return result.scalar_one()

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
        """Merge the resident's answers into the same intake, with its new pre-screen, and put it back in the
        queue; the same `submission_key` again finds the answers it returned."""
        now = self.clock()
        async with self.engine.begin() as conn:
            row = (
                await conn.execute(select(Intake.answers, Intake.channel, Intake.user_key).where(Intake.id == intake_id))
            ).first()
            owner = None if channel is None else (channel, user_key(self.vault, channel, user_id or ""))
            if row is None or (owner is not None and (row.channel, row.user_key) != owner):
                # someone else's intake looks exactly like a missing one
                raise IntakeNotFound(intake_id)
            request_id = (
                await conn.execute(
                    select(InfoRequest.id).where(
                        InfoRequest.intake_id == intake_id, InfoRequest.status == InfoRequestStatus.OPEN.value
                    )
                )
            ).scalar()
            if request_id is None:
                if submission_key is not None and (await conn.execute(select(InfoRequest.id).where(
                        InfoRequest.intake_id == intake_id, InfoRequest.answer_key == submission_key))).first():
                    return  # these answers came back before: a confirm repeated after a lost reply
                raise NoOpenRequest(intake_id)
            await conn.execute(
                update(InfoRequest)
                .where(InfoRequest.id == request_id)
                .values(status=InfoRequestStatus.ANSWERED.value, answered_at=now, answer_key=submission_key)
            )
            application = merge(self.vault.decrypt_json(row.answers), answers)
            values = {"answers": self.vault.encrypt_json(application), "replied": True}
            if prescreen is not None:
                values["prescreen"] = self.vault.encrypt_json(prescreen)
            await self._step(conn, intake_id, S.SUBMITTED, actor=staff_id or RESIDENT, reason=None, values=values)
            await write_items(conn, self.vault, intake_id, answer_items(expand(answers)), entered_by=staff_id, at=now)
            await write_derived(conn, self.vault, intake_id, application)
            await write_queue_fields(conn, self.vault, intake_id, self.params)

    async def add_note(self, intake_id: int, *, author: str, text: str) -> int:
        """Add a caseworker's note; return its id."""
        if not text.strip():
            raise InvalidRequest("a note needs some text")
        async with self.engine.begin() as conn:
            await current_state(conn, intake_id)
            result = await conn.execute(
                insert(Note)
                .values(intake_id=intake_id, author=author, at=self.clock(), text=self.vault.encrypt_text(text))
                .returning(Note.id)
            )
            return result.scalar_one()
