"""Who an intake is given to: assignment and hand-over with a note, each change a row of its own; workloads;
and a change mark that tells a waiting page whether anything moved."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.crypto import Vault
from intake.errors import IntakeNotFound
from intake.models import OPEN_STATUSES, Assignment, AuditEntry, Intake, Note, Referral
from intake.store.records import AssignmentRecord

OPEN = [s.value for s in OPEN_STATUSES]


class SqlAssignments:
    """Give intakes to named caseworkers; read who has what; notice changes cheaply."""

    engine: AsyncEngine
    vault: Vault
    clock: Callable[[], datetime]

    async def assign(self, intake_ids: Iterable[int], to: str | None, *, actor: str, note: str = "",
                     only_unassigned: bool = False) -> list[int]:
        """Give these intakes to `to` (None: back to the team), in one transaction; each intake whose
        caseworker changes gets an audit row. `IntakeNotFound` (and nothing changed) if one does not exist.
        With `only_unassigned`, intakes already given to someone are left as they are. Returns the ids changed."""
        ids = list(dict.fromkeys(int(i) for i in intake_ids))
        now, changed = self.clock(), []
        text = note.strip()
        async with self.engine.begin() as conn:
            rows = {r.id: r.assigned_to for r in await conn.execute(
                select(Intake.id, Intake.assigned_to).where(Intake.id.in_(ids)).with_for_update())}
            missing = [i for i in ids if i not in rows]
            if missing:
                raise IntakeNotFound(missing[0])
            for intake_id in ids:
                before = rows[intake_id]
                if before == to or (only_unassigned and before is not None):
                    continue
                await conn.execute(update(Intake).where(Intake.id == intake_id).values(assigned_to=to, updated_at=now))
                await conn.execute(insert(Assignment).values(
                    intake_id=intake_id, actor=actor, at=now, from_worker=before, to_worker=to,
                    note=self.vault.encrypt_text(text) if text else None))
                changed.append(intake_id)
        return changed

    async def assignments(self, intake_id: int) -> list[AssignmentRecord]:
        """Every change of hands of the intake, oldest first."""
        query = (select(Assignment.actor, Assignment.at, Assignment.from_worker, Assignment.to_worker, Assignment.note)
                 .where(Assignment.intake_id == intake_id).order_by(Assignment.id))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [AssignmentRecord(r.actor, r.at, r.from_worker, r.to_worker,
                                 self.vault.decrypt_text(r.note) if r.note is not None else "") for r in rows]

    async def workload(self) -> dict[str, int]:
        """Open intakes (waiting, being reviewed, waiting for the resident) per caseworker they are given to."""
        query = (select(Intake.assigned_to, func.count()).where(Intake.status.in_(OPEN), Intake.assigned_to.is_not(None))
                 .group_by(Intake.assigned_to))
        async with self.engine.connect() as conn:
            return {name: count for name, count in (await conn.execute(query)).all()}

    async def referral_outcomes(self) -> list[tuple[str, dict[str, Any], str]]:
        """Every referral as (programme, its catalogue entry, status), for outcomes per partner."""
        query = select(Referral.programme, Referral.programme_doc, Referral.status).order_by(Referral.id)
        async with self.engine.connect() as conn:
            return [(r.programme, r.programme_doc, r.status) for r in await conn.execute(query)]

    async def change_mark(self, intake_id: int | None = None) -> tuple[int, ...]:
        """Numbers that grow whenever something a queue shows changes (a filing, a claim, a decision, a release,
        an assignment, a note); of one intake when `intake_id` is given. Index look-ups only."""
        def top(column: Any, *where: Any) -> Any:
            return select(func.coalesce(func.max(column), 0)).where(*where).scalar_subquery()

        if intake_id is None:
            query = select(top(Intake.id), top(AuditEntry.id), top(Assignment.id), top(Note.id))
        else:
            query = select(top(AuditEntry.id, AuditEntry.intake_id == intake_id),
                           top(Assignment.id, Assignment.intake_id == intake_id),
                           top(Note.id, Note.intake_id == intake_id))
        async with self.engine.connect() as conn:
            return tuple(int(v) for v in (await conn.execute(query)).one())
