"""The caseworker queue interface: intakes handed to one worker at a time under a lease."""
from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from intake.errors import IntakeError
from intake.store.records import Claim, QueueStats
from intake.store.sql import SqlIntakeStore

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=15)


class EntryStatus(StrEnum):
    """Where a claimed entry stands for the worker holding it."""

    LEASED = "leased"
    RELEASED = "released"
    DONE = "done"


@dataclass(slots=True)
class QueueEntry:
    """An intake handed to `worker` until `lease_until`; `attempts` counts every claim of it so far."""

    intake_id: int
    worker: str
    lease_until: datetime
    attempts: int
    urgent: bool
    submitted_at: datetime
    status: EntryStatus = EntryStatus.LEASED
    ref: str | None = None  # the backend's message id, if it has one

    @classmethod
    def from_claim(cls, claim: Claim) -> QueueEntry:
        """The entry for a claim made in SQL."""
        return cls(
            claim.intake_id, claim.worker, claim.lease_until, claim.attempts, claim.urgent, claim.submitted_at,
            ref=claim.queue_ref,
        )


Handler = Callable[[QueueEntry], Awaitable[None]]


async def _pause(seconds: float, stop: asyncio.Event | None) -> None:
    if stop is None:
        await asyncio.sleep(seconds)
        return
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


class BaseQueue(ABC):
    """Urgent intakes first, then the oldest; each to one worker at a time; the SQL store stays the truth."""

    def __init__(self, store: SqlIntakeStore, *, lease: timedelta = DEFAULT_LEASE) -> None:
        self.store = store
        self.lease = lease

    @abstractmethod
    async def relay(self, *, limit: int = 500) -> int:
        """Move unpublished outbox rows into the queue; return how many."""

    @abstractmethod
    async def claim_next(self, worker: str) -> QueueEntry | None:
        """Hand `worker` the next intake under a lease, or None when nothing waits."""

    @abstractmethod
    async def release(self, intake_id: int, *, worker: str, reason: str | None = None) -> None:
        """Give a held intake back to the queue, in its old place."""

    @abstractmethod
    async def extend(self, intake_id: int, *, worker: str) -> datetime:
        """Renew the holder's lease; return the new deadline (`LeaseLost` if it is gone)."""

    @abstractmethod
    async def ack(self, intake_id: int) -> bool:
        """Drop the queue message of a decided intake; False (and nothing dropped) while it is still held."""

    async def close(self) -> None:
        """Release connections the queue opened itself."""

    async def claim(self, intake_id: int, *, worker: str) -> QueueEntry:
        """Hand `worker` a chosen intake under the same lease rules as the next one.

        A waiting intake is claimed; a decided one, or one waiting for the resident, is held to
        follow it up. The claim is made in SQL, the truth every backend follows: a queue message
        the intake still has is skipped by whoever reads it while the lease runs.
        """
        claim = await self.store.claim(worker, lease=self.lease, intake_id=intake_id, follow_up=True)
        return QueueEntry.from_claim(claim)

    # -- written once ----------------------------------------------------------------------
    async def stats(self) -> QueueStats:
        """Waiting and held intakes and the oldest waiting (from SQL, which every backend follows)."""
        return await self.store.queue_stats()

    async def depth(self) -> int:
        """How many intakes wait for a caseworker."""
        return (await self.stats()).waiting

    async def work(
        self,
        worker: str,
        handler: Handler,
        *,
        burst: bool = False,
        poll_interval: float = 1.0,
        stop: asyncio.Event | None = None,
    ) -> int:
        """Claim and hand intakes to `handler` until `stop`, or in burst mode until none waits; return how many.

        The handler decides the intake through the store. One it fails on is released at once;
        one it leaves undecided stays held until its lease ends.
        """
        handled = 0
        while stop is None or not stop.is_set():
            entry = await self.claim_next(worker)
            if entry is None:
                if burst:
                    break
                await _pause(poll_interval, stop)
                continue
            try:
                await handler(entry)
            except BaseException:
                with suppress(IntakeError):
                    await self.release(entry.intake_id, worker=worker, reason="the worker failed on it")
                entry.status = EntryStatus.RELEASED
                raise
            # an intake the handler left undecided stays held and returns when its lease ends
            if await self.ack(entry.intake_id):
                entry.status = EntryStatus.DONE
                handled += 1
        return handled

    async def run_relay(self, *, interval: float = 1.0, stop: asyncio.Event | None = None) -> None:
        """Relay the outbox every `interval` seconds; an unreachable backend is retried, never fatal."""
        while stop is None or not stop.is_set():
            try:
                await self.relay()
            except Exception as error:  # noqa: BLE001 - the outbox keeps everything until the next round
                log.warning("queue relay failed, retrying: %s", type(error).__name__)
            await _pause(interval, stop)
