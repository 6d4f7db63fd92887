"""After the decision: referrals with the partners' answers, the household's case ledger, sampled return visits."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from intake.crypto import Vault
from intake.errors import AlreadyClaimed, InvalidRequest, InvalidTransition, NotHeld, RecordNotFound
from intake.models import (
    OFFICE_TIME, REFERRAL_STEPS, AuditEntry, Intake, IntakeStatus, Note, Person, Referral, ReferralEvent, ReferralStatus,
    ReturnVisit,
)
from intake.store.records import (
    FollowUpRate, LedgerEntry, ReferralEventRecord, ReferralRecord, ReturnVisitRecord, VisitFinding,
)
from intake.store.workflow import current_state

S, R = IntakeStatus, ReferralStatus
VISIT_OUTCOMES = ("unreached", "reached", "helped", "still_in_need")
LEDGER_STATUSES = (S.SUBMITTED, S.NEEDS_INFORMATION, S.ACCEPTED, S.REFERRED, S.REJECTED, S.CLOSED)
MAX_SAMPLE = 500


async def _hold_check(conn: AsyncConnection, intake_id: int, actor: str, now: datetime) -> IntakeStatus:
    """The intake's status if `actor` holds a live lease on it; referring is a decision on the case."""
    state = await current_state(conn, intake_id, lock=True)
    live = state.lease_until is not None and state.lease_until >= now
    if state.claimed_by not in (None, actor) and live:
        raise AlreadyClaimed(intake_id, state.claimed_by, state.lease_until)
    if state.claimed_by != actor or not live:
        raise NotHeld(intake_id, actor)
    return S(state.status)


class SqlFollowUp:
    """Referrals and their events, the case ledger, return visits."""

    engine: AsyncEngine
    vault: Vault
    clock: Callable[[], datetime]

    # -- referrals -------------------------------------------------------------------------
    async def add_referral(self, intake_id: int, programme: dict[str, Any], *, actor: str, note: str = "") -> int:
        """Refer the household to a programme (the intake keeps its own status); the holder of a live lease only."""
        key = str(programme.get("programme") or "")
        if not key:
            raise InvalidRequest("a referral needs the programme's key")
        now = self.clock()
        async with self.engine.begin() as conn:
            status = await _hold_check(conn, intake_id, actor, now)
            if status is S.CLOSED:
                raise InvalidTransition(intake_id, status.value, "referred")
            open_ones = await conn.execute(
                select(Referral.id).where(Referral.intake_id == intake_id, Referral.programme == key,
                                          Referral.status != R.DECLINED.value)
            )
            if open_ones.first() is not None:
                raise InvalidRequest(f"intake {intake_id} is already referred to {key}")
            referral_id = (
                await conn.execute(
                    insert(Referral).values(
                        intake_id=intake_id, programme=key, programme_doc=programme, status=R.SENT.value,
                        created_by=actor, created_at=now, updated_at=now,
                    ).returning(Referral.id)
                )
            ).scalar_one()
            await self._event(conn, referral_id, R.SENT, actor, now, {"note": note})
        return referral_id

    async def record_referral(
        self, referral_id: int, status: ReferralStatus, *, actor: str, note: str = "", help: str = "",  # noqa: A002
        amount: int | None = None,
    ) -> ReferralRecord:
        """Record the partner's answer: accepted, helped (with what, how much) or declined (why)."""
        status = R(status)
        if status is R.DECLINED and not note.strip():
            raise InvalidRequest("a declined referral needs the partner's reason")
        if status is R.HELPED and not help.strip():
            raise InvalidRequest("say what the partner helped with")
        if amount is not None and not 0 <= amount <= 10_000_000:
            raise InvalidRequest("an amount is between 0 and 10,000,000 yuan")
        now = self.clock()
        async with self.engine.begin() as conn:
            row = (await conn.execute(select(Referral.status, Referral.intake_id)
                                      .where(Referral.id == referral_id).with_for_update())).first()
            if row is None:
                raise RecordNotFound("referral", referral_id)
            if status not in REFERRAL_STEPS[R(row.status)]:
                raise InvalidTransition(row.intake_id, f"referral {row.status}", f"referral {status.value}")
            moved = await conn.execute(
                update(Referral).where(Referral.id == referral_id, Referral.status == row.status)
                .values(status=status.value, updated_at=now)
            )
            if moved.rowcount != 1:
                raise InvalidTransition(row.intake_id, f"referral {row.status}", f"referral {status.value}")
            await self._event(conn, referral_id, status, actor, now,
                              {"note": note.strip(), "help": help.strip(), "amount": amount})
        return await self.referral(referral_id)

    async def _event(self, conn: AsyncConnection, referral_id: int, status: ReferralStatus, actor: str,
                     at: datetime, detail: dict[str, Any]) -> None:
        await conn.execute(insert(ReferralEvent).values(
            referral_id=referral_id, status=status.value, actor=actor, at=at, detail=self.vault.encrypt_json(detail)))

    async def referral(self, referral_id: int) -> ReferralRecord:
        """One referral with its history; `IntakeNotFound` if there is none."""
        async with self.engine.connect() as conn:
            found = await self._referrals(conn, Referral.id == referral_id)
        if not found:
            raise RecordNotFound("referral", referral_id)
        return found[0]

    async def referral_intake(self, referral_id: int) -> int | None:
        """The intake a referral belongs to, if the referral exists."""
        async with self.engine.connect() as conn:
            return (await conn.execute(select(Referral.intake_id).where(Referral.id == referral_id))).scalar()

    async def referrals(self, intake_id: int) -> list[ReferralRecord]:
        """Every referral of an intake, oldest first."""
        async with self.engine.connect() as conn:
            return await self._referrals(conn, Referral.intake_id == intake_id)

    async def _referrals(self, conn: AsyncConnection, *where: Any) -> list[ReferralRecord]:
        rows = (await conn.execute(select(Referral.__table__).where(*where).order_by(Referral.id))).all()
        if not rows:
            return []
        events = (await conn.execute(
            select(ReferralEvent.__table__).where(ReferralEvent.referral_id.in_([r.id for r in rows]))
            .order_by(ReferralEvent.id))).all()
        by_referral: dict[int, list[ReferralEventRecord]] = {}
        for e in events:
            detail = self.vault.decrypt_json(e.detail) if e.detail is not None else {}
            by_referral.setdefault(e.referral_id, []).append(ReferralEventRecord(
                R(e.status), e.actor, e.at, detail.get("note") or "", detail.get("help") or "", detail.get("amount")))
        return [
            ReferralRecord(r.id, r.intake_id, r.programme, r.programme_doc, R(r.status), r.created_by, r.created_at,
                           tuple(by_referral.get(r.id, ())))
            for r in rows
        ]

    # -- the case ledger -------------------------------------------------------------------
    async def household_key(self, intake_id: int) -> str | None:
        """The keyed hash of the applicant's ID number: the household's key in the ledger."""
        async with self.engine.connect() as conn:
            return (await conn.execute(
                select(Person.id_hash).where(Person.intake_id == intake_id, Person.role == "applicant"))).scalar()

    async def ledger(self, id_hash: str) -> list[LedgerEntry]:
        """Every application, decision, referral step and return visit of the household, oldest first.

        A household is found by the ID number of anyone in it, so an application made by the
        spouse of last year's applicant is seen with it.
        """
        async with self.engine.connect() as conn:
            ids = sorted(set((await conn.execute(select(Person.intake_id).where(Person.id_hash == id_hash))).scalars()))
            if not ids:
                return []
            trail = (await conn.execute(
                select(AuditEntry.intake_id, AuditEntry.at, AuditEntry.to_status, AuditEntry.from_status,
                       AuditEntry.reason)
                .where(AuditEntry.intake_id.in_(ids), AuditEntry.to_status.in_([s.value for s in LEDGER_STATUSES]))
                .order_by(AuditEntry.id))).all()
            referrals = await self._referrals(conn, Referral.intake_id.in_(ids))
            visits = (await conn.execute(
                select(ReturnVisit.__table__).where(ReturnVisit.intake_id.in_(ids), ReturnVisit.outcome.is_not(None))
            )).all()
        entries = []
        for a in trail:
            if a.from_status == a.to_status:
                continue  # held to follow up: no step of the case
            kind = "application" if a.from_status is None else "decision"
            reason = self.vault.decrypt_text(a.reason) if a.reason is not None else ""
            entries.append(LedgerEntry(a.at, a.intake_id, kind, a.to_status, reason))
        for referral in referrals:
            for e in referral.events:
                entries.append(LedgerEntry(e.at, referral.intake_id, "referral", e.status.value,
                                           e.help or e.note, referral.programme_doc, e.amount))
        for v in visits:
            note = self.vault.decrypt_text(v.note) if v.note is not None else ""
            entries.append(LedgerEntry(v.recorded_at, v.intake_id, "visit", v.outcome, note))
        return sorted(entries, key=lambda e: e.at)

    # -- sampled return visits ---------------------------------------------------------------
    async def draw_sample(self, size: int, *, actor: str) -> tuple[str, list[int]]:
        """Draw `size` closed cases at random, never one drawn before; return the sample's name and the intakes."""
        if not 1 <= size <= MAX_SAMPLE:
            raise InvalidRequest(f"a sample has 1 to {MAX_SAMPLE} cases")
        now = self.clock()
        # readable in the office's time (as every time the console shows), and unique within a minute
        sample = f"{now.astimezone(OFFICE_TIME):%Y%m%d-%H%M}-{secrets.token_hex(2)}"
        async with self.engine.begin() as conn:
            drawn = select(ReturnVisit.intake_id)
            candidates = list((await conn.execute(
                select(Intake.id).where(Intake.status == S.CLOSED.value, Intake.id.not_in(drawn)))).scalars())
            chosen = sorted(secrets.SystemRandom().sample(candidates, min(size, len(candidates))))
            if chosen:
                await conn.execute(insert(ReturnVisit), [
                    {"intake_id": i, "sample": sample, "drawn_by": actor, "drawn_at": now, "outcome": None,
                     "note": None, "recorded_by": None, "recorded_at": None, "new_intake_id": None}
                    for i in chosen
                ])
        return sample, chosen

    async def return_visits(self, *, pending: bool = True, limit: int = 200) -> list[ReturnVisitRecord]:
        """Return visits still to call (or all of them), oldest draw first."""
        query = select(ReturnVisit.__table__).order_by(ReturnVisit.id).limit(limit)
        if pending:
            query = query.where(ReturnVisit.outcome.is_(None))
        async with self.engine.connect() as conn:
            return [self._visit(r) for r in await conn.execute(query)]

    async def return_visit(self, visit_id: int) -> ReturnVisitRecord:
        """One return visit; `IntakeNotFound` if there is none."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(ReturnVisit.__table__).where(ReturnVisit.id == visit_id))).first()
        if row is None:
            raise RecordNotFound("return visit", visit_id)
        return self._visit(row)

    def _visit(self, r: Any) -> ReturnVisitRecord:
        note = self.vault.decrypt_text(r.note) if r.note is not None else ""
        return ReturnVisitRecord(r.id, r.intake_id, r.sample, r.drawn_by, r.drawn_at, r.outcome, note,
                                 r.recorded_by, r.recorded_at, r.new_intake_id)

    async def record_visit(self, visit_id: int, outcome: str, *, actor: str, note: str = "") -> ReturnVisitRecord:
        """Record what a return call found, once (a second recording is a ValueError). A household still
        in need is filed again instead (`intake.submission.file_visit`), the visit recorded with its intake."""
        if outcome not in VISIT_OUTCOMES or outcome == "still_in_need":
            raise InvalidRequest(f"an outcome is one of {', '.join(VISIT_OUTCOMES[:-1])}")
        async with self.engine.begin() as conn:
            await self._record_visit(conn, visit_id, outcome=outcome, actor=actor, note=note)
        return await self.return_visit(visit_id)

    async def found_in_need(self, conn: AsyncConnection, visit: VisitFinding, intake_id: int, at: datetime) -> None:
        """Within the filing transaction: the visit found the household still in need, and `intake_id` is
        the intake filed for it, which starts with the caller's note."""
        await self._record_visit(conn, visit.visit_id, outcome="still_in_need", actor=visit.actor, note=visit.note,
                                 new_intake_id=intake_id)
        await conn.execute(insert(Note).values(intake_id=intake_id, author=visit.actor, at=at,
                                               text=self.vault.encrypt_text(visit.intake_note)))

    async def _record_visit(self, conn: AsyncConnection, visit_id: int, *, outcome: str, actor: str, note: str,
                            new_intake_id: int | None = None) -> None:
        moved = await conn.execute(
            update(ReturnVisit).where(ReturnVisit.id == visit_id, ReturnVisit.outcome.is_(None)).values(
                outcome=outcome, note=self.vault.encrypt_text(note.strip()) if note.strip() else None,
                recorded_by=actor, recorded_at=self.clock(), new_intake_id=new_intake_id)
        )
        if moved.rowcount != 1:
            exists = (await conn.execute(select(ReturnVisit.id).where(ReturnVisit.id == visit_id))).first()
            if exists is None:
                raise RecordNotFound("return visit", visit_id)
            raise InvalidRequest(f"return visit {visit_id} is already recorded")

    async def follow_up_rates(self) -> list[FollowUpRate]:
        """For each sample, newest first: drawn, called, reached (helped and still in need count as reached)."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(ReturnVisit.sample, ReturnVisit.drawn_at, ReturnVisit.outcome))).all()
        samples: dict[str, list[Any]] = {}
        for r in rows:
            samples.setdefault(r.sample, []).append(r)
        out = []
        for sample, visits in samples.items():
            outcomes = [v.outcome for v in visits]
            out.append(FollowUpRate(
                sample, min(v.drawn_at for v in visits), len(visits), sum(o is not None for o in outcomes),
                sum(o in ("reached", "helped", "still_in_need") for o in outcomes),
                outcomes.count("helped"), outcomes.count("still_in_need"),
            ))
        return sorted(out, key=lambda r: r.drawn_at, reverse=True)
