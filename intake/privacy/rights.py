"""Residents' rights requests (PIPL Art. 44-50): each request taken by staff is tracked to a reply within 15
working days, with the reasons for any refusal; supervisors see what is open and what is late."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.crypto import Vault
from intake.errors import InvalidRequest, RecordNotFound
from intake.models import RightsRequestRow, utcnow
from knowledge.calendar import WorkCalendar, load_calendar

WORKING_DAYS = 15  # the office's aim; GB/T 35273-2020 allows 30 days
OFFICE_TZ = ZoneInfo("Asia/Shanghai")


class RightKind(StrEnum):
    """What a resident asks for."""

    ACCESS = "access"  # see or get a copy of their data (the export)
    CORRECT = "correct"  # correct an answer
    DELETE = "delete"  # delete their data (what the rules keep is explained in the reply)
    WITHDRAW = "withdraw"  # withdraw a consent (recorded in the consent panel too)
    REVIEW = "review"  # a person to review the automated pre-screen or urgency result (Art. 24)
    EXPLAIN = "explain"  # how their data is handled (Art. 48)


class RightStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    REFUSED = "refused"  # with the reasons, told to the resident


def due_after(received: datetime, days: int = WORKING_DAYS, calendar: WorkCalendar | None = None) -> datetime:
    """The end of the `days`-th working day (office time) after `received`: public holidays skipped and
    worked weekend days (调休) counted, for the years the parameter file lists; Monday to Friday otherwise."""
    day = (calendar or load_calendar()).add(received.astimezone(OFFICE_TZ).date(), days)
    return datetime(day.year, day.month, day.day, 23, 59, tzinfo=OFFICE_TZ)


@dataclass(frozen=True, slots=True)
class RightsRequest:
    id: int
    intake_id: int
    kind: RightKind
    detail: str
    method: str
    taken_by: str
    received_at: datetime
    due_at: datetime
    status: RightStatus
    answered_by: str | None
    answered_at: datetime | None
    reply: str
    # years the deadline was counted through Monday to Friday only (their holidays are not verified)
    estimated: tuple[int, ...] = ()

    def late(self, now: datetime) -> bool:
        return (self.answered_at or now) > self.due_at


class RightsDesk:
    """The rights_requests table: requests taken, answered or refused (with reasons), listed."""

    def __init__(self, engine: AsyncEngine, vault: Vault, *, clock: Callable[[], datetime] = utcnow,
                 calendar: WorkCalendar | None = None) -> None:
        self.engine, self.vault, self.clock = engine, vault, clock
        self.calendar = calendar or load_calendar()

    async def take(self, intake_id: int, *, kind: RightKind, detail: str, method: str, taken_by: str) -> int:
        """Register a request the resident made (by phone, at the counter, or in the chat: `method` names the
        channel, `taken_by` the staff member or "resident"); its number."""
        now = self.clock()
        async with self.engine.begin() as conn:
            result = await conn.execute(insert(RightsRequestRow).values(
                intake_id=intake_id, kind=kind.value, detail=self.vault.encrypt_text(detail.strip()),
                method=method[:16], taken_by=taken_by, received_at=now, due_at=due_after(now, calendar=self.calendar),
                status=RightStatus.OPEN.value, answered_by=None, answered_at=None, reply=None))
        return result.inserted_primary_key[0]

    async def answer(self, request_id: int, *, status: RightStatus, reply: str, by: str) -> int:
        """Close a request with what was done, or refuse it with the reasons; the intake it belongs to."""
        if status is RightStatus.OPEN:
            raise InvalidRequest("a request is answered or refused")
        if not reply.strip():
            raise InvalidRequest("say what was done, or why it is refused")
        async with self.engine.begin() as conn:
            row = (await conn.execute(select(RightsRequestRow.intake_id, RightsRequestRow.status)
                                      .where(RightsRequestRow.id == request_id))).first()
            if row is None:
                raise RecordNotFound("rights request", request_id)
            if row.status != RightStatus.OPEN.value:
                raise InvalidRequest(f"request {request_id} is already answered")
            await conn.execute(update(RightsRequestRow).where(RightsRequestRow.id == request_id).values(
                status=status.value, reply=self.vault.encrypt_text(reply.strip()), answered_by=by,
                answered_at=self.clock()))
        return row.intake_id

    async def get(self, request_id: int) -> RightsRequest | None:
        found = await self._fetch(select(RightsRequestRow).where(RightsRequestRow.id == request_id))
        return found[0] if found else None

    async def of_intake(self, intake_id: int) -> list[RightsRequest]:
        return await self._fetch(select(RightsRequestRow).where(RightsRequestRow.intake_id == intake_id))

    async def open(self) -> list[RightsRequest]:
        """Every request not yet answered, the one due first at the top."""
        return sorted(await self._fetch(select(RightsRequestRow).where(
            RightsRequestRow.status == RightStatus.OPEN.value)), key=lambda r: r.due_at)

    async def _fetch(self, query) -> list[RightsRequest]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query.order_by(RightsRequestRow.id))).all()
        text = self.vault.decrypt_text
        return [RightsRequest(r.id, r.intake_id, RightKind(r.kind), text(r.detail), r.method, r.taken_by,
                              r.received_at, r.due_at, RightStatus(r.status), r.answered_by, r.answered_at,
                              text(r.reply) if r.reply is not None else "",
                              self.calendar.unverified(r.received_at.astimezone(OFFICE_TZ).date(),
                                                       r.due_at.astimezone(OFFICE_TZ).date()))
                for r in rows]
