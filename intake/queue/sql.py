"""The embedded queue: the intakes table itself, claimed by conditional update."""
from __future__ import annotations

from datetime import datetime

from intake.models import IntakeStatus
from intake.queue.base import BaseQueue, QueueEntry


class SqlQueue(BaseQueue):
    """Claims straight from SQL; PostgreSQL's SKIP LOCKED or SQLite's single writer keeps claims exclusive."""

    async def relay(self, *, limit: int = 500) -> int:
        """Mark outbox rows published: here the intake row is the queue entry from the moment it commits."""
        total = 0
        while items := await self.store.pending_outbox(limit=limit):
            await self.store.mark_published(item.id for item in items)
            total += len(items)
        return total

    async def claim_next(self, worker: str) -> QueueEntry | None:
        """Hand `worker` the next intake under a lease, or None when nothing waits."""
        claim = await self.store.claim(worker, lease=self.lease)
        return None if claim is None else QueueEntry.from_claim(claim)

    async def release(self, intake_id: int, *, worker: str, reason: str | None = None) -> None:
        """Give a held intake back; it keeps its submission time, hence its place."""
        await self.store.transition(intake_id, IntakeStatus.SUBMITTED, actor=worker, reason=reason)

    async def extend(self, intake_id: int, *, worker: str) -> datetime:
        """Renew the holder's lease; return the new deadline (`LeaseLost` if it is gone)."""
        return (await self.store.extend_lease(intake_id, worker=worker, lease=self.lease)).lease_until

    async def ack(self, intake_id: int) -> bool:
        """True once the intake is no longer held: its decision already took it out of the queue."""
        status, _ref = await self.store.queue_ref(intake_id)
        return status is not IntakeStatus.CLAIMED
