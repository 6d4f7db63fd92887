"""Claims with a lease and the outbox: the SQL side every queue backend relies on."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from intake.crypto import Vault
from intake.errors import AlreadyClaimed, IntakeNotFound, InvalidTransition, LeaseLost
from intake.models import HOLDABLE, AuditEntry, Intake, IntakeStatus, Outbox, UtcDateTime
from intake.store.base import SYSTEM
from intake.store.records import Claim, OutboxItem, QueueStats
from intake.store.workflow import audit

S = IntakeStatus
_CANDIDATE = (Intake.id, Intake.status, Intake.claimed_by, Intake.lease_until, Intake.attempts, Intake.urgent, Intake.submitted_at)


def claimable(now: datetime) -> ColumnElement[bool]:
    """Waiting for a caseworker: submitted, or claimed by someone whose lease has run out."""
    return or_(Intake.status == S.SUBMITTED.value, and_(Intake.status == S.CLAIMED.value, Intake.lease_until < now))


def _is_claimable(row: Any, now: datetime) -> bool:
    return row.status == S.SUBMITTED or (row.status == S.CLAIMED and (row.lease_until is None or row.lease_until < now))


class SqlLeases:
    """Claim, extend and find intakes for a queue; feed the outbox to it."""

    engine: AsyncEngine
    vault: Vault
    clock: Callable[[], datetime]

    async def claim(
        self,
        worker: str,
        *,
        lease: timedelta,
        intake_id: int | None = None,
        queue_ref: str | None = None,
        follow_up: bool = False,
    ) -> Claim | None:
        """Give `worker` the next waiting intake (most urgent first, then oldest), or `intake_id`, until the lease ends.

        Returns None when nothing waits. For a given `intake_id`: `AlreadyClaimed` while someone
        else's lease runs, `InvalidTransition` once it has left the queue, `IntakeNotFound`. With
        `follow_up` (a caseworker's choice, never a queue message), a decided intake or one waiting
        for the resident is held without changing its status.
        """
        now = self.clock()
        until = now + lease
        async with self.engine.begin() as conn:
            query = select(*_CANDIDATE)
            if intake_id is None:
                # SKIP LOCKED: concurrent claimers on PostgreSQL each take a different row instead of queueing up
                # what this worker just gave back comes last for them, so "claim next" moves on
                released = select(AuditEntry.intake_id).where(
                    AuditEntry.actor == worker, AuditEntry.from_status == S.CLAIMED.value,
                    AuditEntry.to_status == S.SUBMITTED.value, AuditEntry.at >= now - lease,
                )
                query = query.where(claimable(now)).order_by(
                    Intake.id.in_(released), Intake.urgency_score.desc(), Intake.submitted_at, Intake.id)
                query = query.limit(1).with_for_update(skip_locked=True)
            else:
                query = query.where(Intake.id == intake_id).with_for_update()
            row = (await conn.execute(query)).first()
            if row is None:
                if intake_id is None:
                    return None
                raise IntakeNotFound(intake_id)
            if follow_up and intake_id is not None and row.status in HOLDABLE:
                return await self._hold(conn, row, worker, until, now)
            if not _is_claimable(row, now):
                if row.status == S.CLAIMED:
                    raise AlreadyClaimed(row.id, row.claimed_by, row.lease_until)
                raise InvalidTransition(row.id, row.status, S.CLAIMED.value)
            taken = await conn.execute(
                update(Intake)
                .where(Intake.id == row.id, claimable(now))
                .values(
                    status=S.CLAIMED.value,
                    claimed_by=worker,
                    lease_until=until,
                    attempts=Intake.attempts + 1,
                    # a chosen intake keeps its queue message's id, so the decision can drop that message
                    queue_ref=Intake.queue_ref if queue_ref is None and intake_id is not None else queue_ref,
                    updated_at=now,
                )
            )
            if taken.rowcount != 1:  # pragma: no cover - the row lock above makes this unreachable
                return None
            if row.status == S.CLAIMED:
                await audit(
                    conn, self.vault, row.id, actor=SYSTEM, at=now, from_status=S.CLAIMED, to_status=S.SUBMITTED,
                    reason=f"lease of {row.claimed_by} expired",
                )
            await audit(conn, self.vault, row.id, actor=worker, at=now, from_status=S.SUBMITTED, to_status=S.CLAIMED)
        return Claim(row.id, worker, until, row.attempts + 1, row.urgent, row.submitted_at, queue_ref)

    async def _hold(self, conn: AsyncConnection, row: Any, worker: str, until: datetime, now: datetime) -> Claim:
        """Hold a decided or waiting intake to follow it up (close it, refer it); its status stays."""
        if row.claimed_by not in (None, worker) and row.lease_until is not None and row.lease_until >= now:
            raise AlreadyClaimed(row.id, row.claimed_by, row.lease_until)
        await conn.execute(
            update(Intake).where(Intake.id == row.id).values(claimed_by=worker, lease_until=until, updated_at=now)
        )
        status = S(row.status)
        await audit(conn, self.vault, row.id, actor=worker, at=now, from_status=status, to_status=status,
                    reason="held to follow up")
        return Claim(row.id, worker, until, row.attempts, row.urgent, row.submitted_at, None)

    async def extend_lease(self, intake_id: int, *, worker: str, lease: timedelta) -> Claim:
        """Give the holder a fresh lease; `LeaseLost` if they no longer hold the intake."""
        now = self.clock()
        async with self.engine.begin() as conn:
            row = (
                await conn.execute(
                    update(Intake)
                    .where(
                        Intake.id == intake_id, Intake.status.in_([S.CLAIMED.value, *HOLDABLE]),
                        Intake.claimed_by == worker, Intake.lease_until.is_not(None),
                    )
                    .values(lease_until=now + lease, updated_at=now)
                    .returning(Intake.attempts, Intake.urgent, Intake.submitted_at, Intake.queue_ref)
                )
            ).first()
        if row is None:
            raise LeaseLost(intake_id, worker)
        return Claim(intake_id, worker, now + lease, row.attempts, row.urgent, row.submitted_at, row.queue_ref)

    async def queue_ref(self, intake_id: int) -> tuple[IntakeStatus, str | None]:
        """The intake's status and the queue message id of its latest claim."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(Intake.status, Intake.queue_ref).where(Intake.id == intake_id))).first()
        if row is None:
            raise IntakeNotFound(intake_id)
        return S(row.status), row.queue_ref

    async def pending_outbox(self, *, limit: int = 500) -> list[OutboxItem]:
        """Outbox rows not yet published, oldest first."""
        query = (
            select(Outbox.id, Outbox.intake_id, Intake.urgent, Intake.submitted_at)
            .join(Intake, Intake.id == Outbox.intake_id)
            .where(Outbox.published_at.is_(None))
            .order_by(Outbox.id)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return [OutboxItem(*row) for row in await conn.execute(query)]

    async def mark_published(self, outbox_ids: Iterable[int]) -> None:
        """Record that these outbox rows reached the queue."""
        ids = list(outbox_ids)
        if not ids:
            return
        async with self.engine.begin() as conn:
            await conn.execute(update(Outbox).where(Outbox.id.in_(ids)).values(published_at=self.clock()))

    async def requeue_waiting(self) -> int:
        """Add an outbox row for every intake still waiting or held, after the queue lost its messages."""
        now = self.clock()
        unpublished = select(Outbox.id).where(Outbox.intake_id == Intake.id, Outbox.published_at.is_(None))
        waiting = select(Intake.id, literal(now, UtcDateTime())).where(
            Intake.status.in_([S.SUBMITTED.value, S.CLAIMED.value]),
            ~unpublished.exists(),  # those will reach the queue through their own outbox row
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(insert(Outbox).from_select(["intake_id", "created_at"], waiting))
            return result.rowcount

    async def queue_stats(self) -> QueueStats:
        """Waiting and held intakes, and the submission time of the oldest one waiting."""
        now = self.clock()
        waiting = claimable(now)
        query = select(
            func.count().filter(waiting),
            func.count().filter(and_(waiting, Intake.urgent)),
            func.count().filter(Intake.status == S.CLAIMED.value, Intake.lease_until >= now),
            func.min(Intake.submitted_at).filter(waiting),
        ).where(Intake.status.in_([S.SUBMITTED.value, S.CLAIMED.value]))
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).one()
        oldest = row[3]
        if isinstance(oldest, str):  # SQLite returns an aggregate of a datetime column as text
            oldest = UtcDateTime().process_result_value(datetime.fromisoformat(oldest), self.engine.dialect)
        return QueueStats(waiting=row[0], urgent=row[1], claimed=row[2], oldest_submitted_at=oldest)
