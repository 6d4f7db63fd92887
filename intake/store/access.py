"""The access log: every staff read of resident data, kept in its own table for supervisors to review.

A record names the account, the intake and the file or export, and the address the request came from;
never what was read. Log lines (`logging`) carry none of it either.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.models import AccessRecord, utcnow


class AccessAction(StrEnum):
    """What was read."""

    INTAKE = "intake"  # an intake opened: answers, pre-screen, transcript
    FILE = "file"  # a receipt or document viewed
    EXPORT = "export"  # a resident's data exported


@dataclass(frozen=True, slots=True)
class Access:
    """One read, as supervisors see it."""

    id: int
    at: datetime
    actor: str
    role: str
    action: AccessAction
    intake_id: int | None
    detail: str | None
    via: str
    address: str


class AccessLog:
    """Reads are added, listed newest first, and drawn at random for a supervisor to check."""

    def __init__(self, engine: AsyncEngine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.clock = engine, clock

    async def record(self, *, actor: str, role: str, action: AccessAction, intake_id: int | None, via: str,
                     address: str, detail: str | None = None) -> None:
        """Add one read."""
        async with self.engine.begin() as conn:
            await conn.execute(insert(AccessRecord).values(
                at=self.clock(), actor=actor[:64], role=role[:16], action=action.value, intake_id=intake_id,
                detail=detail[:80] if detail else None, via=via, address=address[:64]))

    async def recent(self, *, actor: str | None = None, intake_id: int | None = None,
                     limit: int = 200) -> list[Access]:
        """The newest reads, of one account or one intake when given."""
        query = select(AccessRecord).order_by(AccessRecord.at.desc(), AccessRecord.id.desc()).limit(limit)
        if actor:
            query = query.where(AccessRecord.actor == actor)
        if intake_id is not None:
            query = query.where(AccessRecord.intake_id == intake_id)
        return await self._fetch(query)

    async def sample(self, size: int, *, since: datetime) -> list[Access]:
        """`size` reads since `since`, drawn at random (the supervisor's spot check), oldest first."""
        drawn = await self._fetch(select(AccessRecord).where(AccessRecord.at >= since)
                                  .order_by(func.random()).limit(size))
        return sorted(drawn, key=lambda access: (access.at, access.id))

    async def _fetch(self, query) -> list[Access]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Access(row.id, row.at, row.actor, row.role, AccessAction(row.action), row.intake_id, row.detail,
                       row.via, row.address) for row in rows]
