"""The intake store on SQLAlchemy: one implementation for SQLite and PostgreSQL."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from intake.crypto import Vault
from intake.errors import CheckNotAuthorised, IntakeNotFound
from intake.models import (
    OPEN_STATUSES, Answer, AuditEntry, InfoRequest, InfoRequestStatus, Intake, IntakeStatus, Note, Person,
    StoredAttachment, Transcript, TranscriptLine, UnansweredQuestion, utcnow,
)
from intake.store.accounts import SqlAccounts
from intake.store.assignments import SqlAssignments
from intake.store.answers import answer_items
from intake.store.base import RESIDENT, BaseIntakeStore
from intake.store.followup import SqlFollowUp
from intake.store.leases import SqlLeases
from intake.store.listing import SqlListing
from intake.store.records import (
    AnswerItem, AttachmentRecord, AuditRecord, InfoRequestRecord, IntakeRecord, IntakeSummary, NoteRecord,
    PersonMatch, UnansweredRecord, VisitFinding,
)
from intake.store.rows import queue_fields, user_key, write_derived, write_items
from intake.store.thread import SqlThread
from intake.store.transcripts import TranscriptLog
from intake.store.workflow import SqlWorkflow, audit, enqueue
from knowledge.params import load_params

S = IntakeStatus
_SUMMARY = (
    Intake.id, Intake.channel, Intake.locale, Intake.status, Intake.urgent, Intake.submitted_at,
    Intake.updated_at, Intake.claimed_by, Intake.lease_until, Intake.assigned_to,
)


class SqlIntakeStore(SqlWorkflow, SqlLeases, SqlAssignments, SqlAccounts, SqlListing, SqlFollowUp, SqlThread,
                     BaseIntakeStore):
    """Intakes, their workflow and the console's accounts in one SQL database (the source of truth)."""

    def __init__(
        self,
        engine: AsyncEngine,
        vault: Vault,
        *,
        clock: Callable[[], datetime] = utcnow,
        password_hasher: PasswordHasher | None = None,
        max_failed_logins: int = 5,
        lockout: timedelta = timedelta(minutes=15),
    ) -> None:
        self.engine = engine
        self.vault = vault
        self.clock = clock
        self.hasher = password_hasher or PasswordHasher()
        self.max_failed_logins = max_failed_logins
        self.lockout = lockout
        self._channel_hashes, self._channel_changes, self._token_hashes, self._refreshing = {}, 0, {}, {}

    # -- applications ------------------------------------------------------------------
    async def submit(
        self,
        application: dict[str, Any],
        *,
        channel: str,
        user_id: str,
        locale: str,
        staff_id: str | None = None,
        prescreen: dict[str, Any] | None = None,
        submission_key: str | None = None,
        answer_staff: Mapping[str, str] | None = None,
        visit: VisitFinding | None = None,
    ) -> int:
        """Store a finished application and queue it (one transaction); return the intake number.

        `answer_staff` names, by record path, the staff member who entered an answer when it was not
        `staff_id` (two staff sharing a call). Urgency is scored from the answers (`intake.urgency`).

        With a `submission_key`, filing is idempotent: the same key returns the intake it filed first.
        The conversation's transcript lines written so far are linked to the intake in the same transaction.
        With a `visit`, the return visit that found the need is recorded and linked to the intake in it too.
        """
        if application.get("consent") is not True:
            raise CheckNotAuthorised("the application has no consent to the household-finance check")
        now, vault = self.clock(), self.vault
        resident = user_key(vault, channel, user_id)
        # the queue's columns come from the answers at hand: nothing is read back inside the transaction
        columns = queue_fields(vault, application, prescreen, self.params or load_params())
        try:
            async with self.engine.begin() as conn:
                intake_id = (
                    await conn.execute(
                        insert(Intake)
                        .values(
                            channel=channel, user_key=resident, user_id=vault.encrypt_text(user_id),
                            locale=locale, status=S.SUBMITTED.value, staff_id=staff_id,
                            created_at=now, submitted_at=now, updated_at=now, claimed_by=None, lease_until=None,
                            attempts=0, queue_ref=None, answers=vault.encrypt_json(application),
                            prescreen=None if prescreen is None else vault.encrypt_json(prescreen), referral=None,
                            submission_key=submission_key, **columns,
                        )
                        .returning(Intake.id)
                    )
                ).scalar_one()
                await write_items(conn, vault, intake_id, answer_items(application), entered_by=staff_id, at=now,
                                  by_path=answer_staff)
                await write_derived(conn, vault, intake_id, application, fresh=True)
                await TranscriptLog.link(conn, resident, intake_id)
                await enqueue(conn, intake_id, now)
                await audit(conn, vault, intake_id, actor=staff_id or RESIDENT, at=now, from_status=None,
                            to_status=S.SUBMITTED)
                if visit is not None:
                    await self.found_in_need(conn, visit, intake_id, now)
        except IntegrityError:
            # this confirmation was filed before (a repeat after a lost reply or a crash, or another
            # process meanwhile): the unique submission key finds the intake it filed
            if submission_key is None or (earlier := await self.filed_under(submission_key)) is None:
                raise
            return earlier
        return intake_id

    async def attached_file_ids(self) -> set[str]:
        """Every file an intake refers to (received files not among them may be swept away)."""
        async with self.engine.connect() as conn:
            return set((await conn.execute(select(StoredAttachment.file_id))).scalars())

    async def filed_under(self, submission_key: str) -> int | None:
        """The intake a confirmation with this key filed, if any."""
        async with self.engine.connect() as conn:
            return (await conn.execute(select(Intake.id).where(Intake.submission_key == submission_key))).scalar()

    async def get(self, intake_id: int) -> IntakeRecord:
        """Everything about one intake, decrypted; `IntakeNotFound` if there is none."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(Intake.__table__).where(Intake.id == intake_id))).first()
            if row is None:
                raise IntakeNotFound(intake_id)
            parts = await self._parts(conn, intake_id)
        v = self.vault
        return IntakeRecord(
            id=row.id, channel=row.channel, user_id=v.decrypt_text(row.user_id), locale=row.locale,
            status=S(row.status), urgent=row.urgent, staff_id=row.staff_id, created_at=row.created_at,
            submitted_at=row.submitted_at, updated_at=row.updated_at, claimed_by=row.claimed_by,
            lease_until=row.lease_until, attempts=row.attempts, application=v.decrypt_json(row.answers),
            prescreen=None if row.prescreen is None else v.decrypt_json(row.prescreen), referral=row.referral,
            replied=row.replied, assigned_to=row.assigned_to, **parts,
        )

    async def _parts(self, conn: AsyncConnection, intake_id: int) -> dict[str, Any]:
        v = self.vault

        async def rows(*columns: Any, order: Any) -> Any:
            table = columns[0].class_
            return await conn.execute(select(*columns).where(table.intake_id == intake_id).order_by(order))

        answers = await rows(Answer.path, Answer.value, Answer.entered_by, Answer.entered_at, order=Answer.id)
        files = await rows(
            StoredAttachment.file_id, StoredAttachment.name, StoredAttachment.content_type, StoredAttachment.size,
            StoredAttachment.expense_index, StoredAttachment.reading, order=StoredAttachment.id,
        )
        trail = await rows(
            AuditEntry.actor, AuditEntry.at, AuditEntry.from_status, AuditEntry.to_status, AuditEntry.reason,
            order=AuditEntry.id,
        )
        notes = await rows(Note.id, Note.author, Note.at, Note.text, order=Note.id)
        # intakes filed before transcripts were kept apart carry theirs in one body
        transcript = (await conn.execute(select(Transcript.body).where(Transcript.intake_id == intake_id))).scalar()
        lines = (await conn.execute(select(TranscriptLine.__table__).where(TranscriptLine.intake_id == intake_id)
                                    .order_by(TranscriptLine.id))).all()
        requests = await conn.execute(select(InfoRequest.__table__).where(InfoRequest.intake_id == intake_id).order_by(InfoRequest.id))
        return {
            "answers": tuple(AnswerItem(r.path, v.decrypt_json(r.value), r.entered_by, r.entered_at) for r in answers),
            "attachments": tuple(
                AttachmentRecord(r.file_id, v.decrypt_text(r.name), r.content_type, r.size, r.expense_index,
                                 None if r.reading is None else v.decrypt_json(r.reading)) for r in files
            ),
            "audit": tuple(
                AuditRecord(
                    r.actor, r.at, None if r.from_status is None else S(r.from_status), S(r.to_status),
                    None if r.reason is None else v.decrypt_text(r.reason),
                )
                for r in trail
            ),
            "notes": tuple(NoteRecord(r.id, r.author, r.at, v.decrypt_text(r.text)) for r in notes),
            "transcript": (*(v.decrypt_json(transcript) if transcript is not None else ()),
                           *(TranscriptLog.row(line, v) for line in lines)),
            "info_requests": tuple(self._request(r) for r in requests),
        }

    def _request(self, row: Any) -> InfoRequestRecord:
        return InfoRequestRecord(
            id=row.id, intake_id=row.intake_id, items=tuple(row.items),
            message=None if row.message is None else self.vault.decrypt_text(row.message),
            status=InfoRequestStatus(row.status), requested_by=row.requested_by,
            requested_at=row.requested_at, answered_at=row.answered_at,
        )

    async def _summaries(self, query: Any) -> list[IntakeSummary]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            waiting = [r.id for r in rows if r.status == S.NEEDS_INFORMATION]
            requests = {}
            if waiting:
                found = await conn.execute(
                    select(InfoRequest.__table__).where(
                        InfoRequest.intake_id.in_(waiting), InfoRequest.status == InfoRequestStatus.OPEN.value
                    )
                )
                requests = {r.intake_id: self._request(r) for r in found}
        return [
            IntakeSummary(r.id, r.channel, r.locale, S(r.status), r.urgent, r.submitted_at, r.updated_at,
                          r.claimed_by, r.lease_until, requests.get(r.id), r.assigned_to)
            for r in rows
        ]

    async def list_for_user(self, channel: str, user_id: str) -> list[IntakeSummary]:
        """The resident's own intakes on that channel, newest first."""
        key = user_key(self.vault, channel, user_id)
        return await self._summaries(
            select(*_SUMMARY).where(Intake.channel == channel, Intake.user_key == key).order_by(Intake.id.desc())
        )

    async def list_intakes(self, statuses: Iterable[IntakeStatus] | None = None, *, limit: int = 100,
                           assigned_to: str | None = None) -> list[IntakeSummary]:
        """Intakes in queue order (most urgent first, then oldest), optionally only in `statuses`, or only
        those given to `assigned_to`."""
        query = select(*_SUMMARY).order_by(Intake.urgency_score.desc(), Intake.submitted_at, Intake.id).limit(limit)
        if assigned_to is not None:
            query = query.where(Intake.assigned_to == assigned_to)
        if statuses is not None:
            query = query.where(Intake.status.in_([S(s).value for s in statuses]))
        return await self._summaries(query)

    async def people_in_intakes(self, id_hashes: Iterable[str], since: datetime, *,
                                limit: int | None = None) -> list[PersonMatch]:
        """Where these people (ID-number hashes) already appear: open intakes, or accepted since `since`;
        with a `limit`, only in the newest `limit` such intakes. Oldest intake first."""
        hashes = sorted(set(id_hashes))
        if not hashes:
            return []
        found = and_(
            Person.id_hash.in_(hashes),
            or_(
                Intake.status.in_([s.value for s in OPEN_STATUSES]),
                and_(Intake.status == S.ACCEPTED.value, Intake.submitted_at >= since),
            ),
        )
        query = (
            select(Person.intake_id, Intake.status, Intake.submitted_at, Person.role, Person.id_hash, Intake.user_key)
            .join(Intake, Intake.id == Person.intake_id)
            .where(found)
            .order_by(Person.intake_id, Person.id)
        )
        if limit is not None:
            newest = (select(Person.intake_id).join(Intake, Intake.id == Person.intake_id).where(found)
                      .group_by(Person.intake_id).order_by(Person.intake_id.desc()).limit(limit))
            query = query.where(Person.intake_id.in_(newest.scalar_subquery()))
        async with self.engine.connect() as conn:
            rows = await conn.execute(query)
            return [PersonMatch(r.intake_id, S(r.status), r.submitted_at, r.role, r.id_hash, r.user_key) for r in rows]

    async def transitions_since(self, since: datetime) -> dict[IntakeStatus, int]:
        """How many intakes moved into each status since `since` (throughput, from the audit log)."""
        query = (
            select(AuditEntry.to_status, func.count())
            .where(AuditEntry.at >= since)
            .group_by(AuditEntry.to_status)
        )
        async with self.engine.connect() as conn:
            return {S(status): n for status, n in await conn.execute(query)}

    # -- curation ---------------------------------------------------------------------------
    async def log_unanswered(self, question: str, locale: str) -> int:
        """Keep a question the knowledge base could not answer well."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                insert(UnansweredQuestion)
                .values(question=self.vault.encrypt_text(question), locale=locale, asked_at=self.clock())
                .returning(UnansweredQuestion.id)
            )
            return result.scalar_one()

    async def list_unanswered(self, *, limit: int = 100) -> list[UnansweredRecord]:
        """The most recent unanswered questions."""
        query = select(UnansweredQuestion.__table__).order_by(UnansweredQuestion.id.desc()).limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [UnansweredRecord(r.id, self.vault.decrypt_text(r.question), r.locale, r.asked_at) for r in rows]
