"""Notices to residents outside a turn (decisions), kept in SQL until their channel has taken them.

A notice is written before the first attempt, leased to the process trying it, and marked
delivered once the channel took it. A notice whose attempt failed (the channel said no, or Redis
or Telegram was away) waits with a growing pause; a process that died while holding one loses the
lease, and the delivery loop (`shanqiao worker`, or the web process on its own) tries again.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.notifiers import dump_replies, load_replies
from dialogs.messages import Reply
from intake.crypto import Vault
from intake.models import Notice, utcnow
from intake.notify import BaseNotifier

log = logging.getLogger(__name__)

# seconds to wait after the n-th failed attempt; the last figure repeats
BACKOFF = (2, 5, 15, 30, 60, 120, 300, 600)
MAX_ATTEMPTS = 20  # about two hours of trying; then it is logged and stays undelivered in the table
LEASE = timedelta(seconds=60)  # far longer than one delivery takes


def backoff(attempts: int) -> timedelta:
    """The pause after `attempts` failed attempts."""
    return timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1])


@dataclass(frozen=True, slots=True)
class PendingNotice:
    """A notice held by this process for one attempt (`attempts` counts this one)."""

    id: int
    intake_id: int | None
    channel: str
    user_id: str
    replies: list[Reply]
    attempts: int


class NoticeOutbox:
    """The notices table: add, hand out due notices under a lease, mark delivered or due again."""

    def __init__(self, engine: AsyncEngine, *, vault: Vault, lease: timedelta = LEASE,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.vault, self.lease, self.clock = engine, vault, lease, clock

    async def add(self, *, channel: str, user_id: str, replies: list[Reply],
                  intake_id: int | None = None) -> PendingNotice:
        """Keep a notice, leased to the caller for its first attempt."""
        now = self.clock()
        row = {"intake_id": intake_id, "channel": channel, "user_id": self.vault.encrypt(user_id.encode()),
               "body": self.vault.encrypt(dump_replies(replies)), "created_at": now, "attempts": 1,
               "due_at": now, "lease_until": now + self.lease}
        async with self.engine.begin() as conn:
            notice_id = (await conn.execute(insert(Notice).values(**row).returning(Notice.id))).scalar_one()
        return PendingNotice(notice_id, intake_id, channel, user_id, list(replies), 1)

    async def take_due(self, *, limit: int = 50) -> list[PendingNotice]:
        """Lease the notices due now (none leased by a living process) to the caller."""
        now = self.clock()
        due = and_(Notice.delivered_at.is_(None), Notice.due_at <= now,
                   or_(Notice.lease_until.is_(None), Notice.lease_until < now))
        # SKIP LOCKED: two delivery loops on PostgreSQL never take the same notice (SQLite has one writer)
        chosen = select(Notice.id).where(due).order_by(Notice.id).limit(limit).with_for_update(skip_locked=True)
        statement = update(Notice).where(Notice.id.in_(chosen.scalar_subquery()), due) \
            .values(lease_until=now + self.lease, attempts=Notice.attempts + 1) \
            .returning(Notice.id, Notice.intake_id, Notice.channel, Notice.user_id, Notice.body, Notice.attempts)
        async with self.engine.begin() as conn:
            rows = (await conn.execute(statement)).all()
        return [PendingNotice(r.id, r.intake_id, r.channel, self.vault.decrypt(r.user_id).decode(),
                              load_replies(self.vault.decrypt(r.body)), r.attempts) for r in sorted(rows)]

    async def delivered(self, notice: PendingNotice) -> None:
        """The channel took it: it is never sent again. Unless it lost its lease meanwhile because a resume
        code moved the resident elsewhere (`ResumeCodes.move`): then it is sent again, there."""
        async with self.engine.begin() as conn:
            await conn.execute(update(Notice).where(Notice.id == notice.id, Notice.lease_until.is_not(None))
                               .values(delivered_at=self.clock(), due_at=None, lease_until=None))

    async def failed(self, notice: PendingNotice) -> None:
        """The attempt failed: due again after a pause, or given up after MAX_ATTEMPTS."""
        given_up = notice.attempts >= MAX_ATTEMPTS
        due = None if given_up else self.clock() + backoff(notice.attempts)
        async with self.engine.begin() as conn:
            await conn.execute(update(Notice).where(Notice.id == notice.id).values(due_at=due, lease_until=None))
        if given_up:
            log.warning("a notice could not be delivered after %d attempts", notice.attempts,
                        extra={"intake_id": notice.intake_id, "channel": notice.channel})

    async def waiting(self) -> int:
        """Notices not delivered yet and still being tried."""
        query = select(func.count()).select_from(Notice).where(Notice.delivered_at.is_(None), Notice.due_at.is_not(None))
        async with self.engine.connect() as conn:
            return (await conn.execute(query)).scalar_one()

    async def attempt(self, notice: PendingNotice, notifier: BaseNotifier) -> bool:
        """Try one held notice through `notifier`; True once delivered."""
        try:
            ok = await notifier.notify(channel=notice.channel, user_id=notice.user_id, replies=notice.replies)
        except Exception as error:  # noqa: BLE001 - the notice stays kept; the next attempt may succeed
            log.warning("notice delivery failed: %s", type(error).__name__, extra={"intake_id": notice.intake_id})
            ok = False
        if ok:
            await self.delivered(notice)
        else:
            await self.failed(notice)
        return ok

    async def send(self, *, channel: str, user_id: str, replies: list[Reply], notifier: BaseNotifier,
                   intake_id: int | None = None) -> bool:
        """Keep a notice and try it at once; True if delivered now, False if it waits for a retry."""
        notice = await self.add(channel=channel, user_id=user_id, replies=replies, intake_id=intake_id)
        return await self.attempt(notice, notifier)

    async def deliver_due(self, notifier: BaseNotifier) -> int:
        """Try every notice due now; return how many were delivered."""
        delivered = 0
        while notices := await self.take_due():
            for notice in notices:
                delivered += await self.attempt(notice, notifier)
            if len(notices) < 50:
                break
        return delivered

    async def run(self, notifier: BaseNotifier, *, interval: float = 1.0, stop: asyncio.Event | None = None) -> None:
        """Deliver due notices every `interval` seconds until `stop`; an outage is logged, never fatal."""
        while stop is None or not stop.is_set():
            try:
                await self.deliver_due(notifier)
            except Exception as error:  # noqa: BLE001 - the database may be away; the notices wait in it
                log.warning("notice delivery round failed: %s", type(error).__name__)
            if stop is None:
                await asyncio.sleep(interval)
            else:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)
