"""Consent records: one row per yes or no, never changed (a withdrawal is a new row); the latest row per
purpose and recipient is what holds now."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.errors import IntakeNotFound
from intake.models import ConsentRecord, Intake, utcnow

REFERRAL = "referral"


@dataclass(frozen=True, slots=True)
class Consent:
    """One recorded answer."""

    id: int
    purpose: str
    recipient: str | None
    granted: bool
    notice_version: str | None
    channel: str
    method: str
    collected_by: str
    at: datetime
    intake_id: int | None


class ConsentLog:
    """Records consents and answers whether one holds now."""

    def __init__(self, engine: AsyncEngine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.clock = engine, clock

    async def record(self, *, subject: str, purpose: str, granted: bool, channel: str, method: str,
                     collected_by: str, notice_version: str | None = None, recipient: str | None = None,
                     intake_id: int | None = None) -> None:
        """Add one answer (a withdrawal is `granted=False` for a purpose given before)."""
        async with self.engine.begin() as conn:
            await conn.execute(insert(ConsentRecord).values(
                subject=subject, intake_id=intake_id, purpose=purpose, recipient=recipient, granted=granted,
                notice_version=notice_version, channel=channel, method=method, collected_by=collected_by,
                at=self.clock()))

    async def record_for_intake(self, intake_id: int, **answer) -> None:
        """Add an answer collected by staff for a filed intake (its applicant's conversation is the subject)."""
        async with self.engine.connect() as conn:
            subject = (await conn.execute(select(Intake.user_key).where(Intake.id == intake_id))).scalar()
        if subject is None:
            raise IntakeNotFound(intake_id)
        await self.record(subject=subject, intake_id=intake_id, **answer)

    async def link(self, subject: str, intake_id: int) -> None:
        """The application of `subject` was filed as `intake_id`: its consents so far belong to that intake."""
        async with self.engine.begin() as conn:
            await conn.execute(update(ConsentRecord).where(ConsentRecord.subject == subject,
                                                           ConsentRecord.intake_id.is_(None))
                               .values(intake_id=intake_id))

    async def of_intake(self, intake_id: int) -> list[Consent]:
        """Every answer given for an intake, oldest first."""
        return await self._fetch(select(ConsentRecord).where(ConsentRecord.intake_id == intake_id))

    async def of_subject(self, subject: str) -> list[Consent]:
        """Every answer a conversation gave, oldest first."""
        return await self._fetch(select(ConsentRecord).where(ConsentRecord.subject == subject))

    async def holds(self, intake_id: int, purpose: str, recipient: str | None = None) -> bool:
        """Whether the latest answer for this purpose (and recipient) is yes."""
        latest = [c for c in await self.of_intake(intake_id) if c.purpose == purpose and c.recipient == recipient]
        return bool(latest) and latest[-1].granted

    @staticmethod
    def current(consents: list[Consent]) -> dict[tuple[str, str | None], Consent]:
        """The answer that holds now, per purpose and recipient."""
        return {(c.purpose, c.recipient): c for c in consents}

    async def _fetch(self, query) -> list[Consent]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query.order_by(ConsentRecord.id))).all()
        return [Consent(r.id, r.purpose, r.recipient, r.granted, r.notice_version, r.channel, r.method,
                        r.collected_by, r.at, r.intake_id) for r in rows]
