"""The retention sweep: what has passed its class's period is deleted or anonymised, and every run (a dry
run too) writes a `retention_runs` row with the counts.

Each rule first selects what has expired, then (unless a dry run) removes it, so a dry run counts exactly
what a real run would take. Files are not touched here: a receipt whose record is cleared is no longer
referred to by anything, and the file sweep (`bot.files.sweep`) deletes it within a day.

Decided intakes are anonymised, not deleted: status, dates, district, household size and the pre-screen's
overall outcome stay for statistics, and the decision trail (`audit_log`, append-only) stays as the case
file. Everything that names or describes the household goes.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from intake.crypto import Vault
from intake.errors import IntakeNotFound, InvalidRequest
from intake.models import (
    AccessRecord, Answer, Assignment, ChecklistMark, ConsentRecord, ConsoleSession, InfoRequest, Intake, IntakeStatus,
    LoginThrottle, MailboxMessage, Note, Notice, Person, ProcessedUpdate, ReferralEvent, Referral, ResumeCode,
    RetentionRun, ReturnVisit, RightsRequestRow, SearchTerm, StoredAttachment, ThreadMessage, Transcript,
    TranscriptLine, UnansweredQuestion, utcnow,
)
from intake.privacy.retention import Retention

S = IntakeStatus
DECIDED = (S.ACCEPTED.value, S.REFERRED.value, S.REJECTED.value, S.CLOSED.value)
ANONYMISED = "anonymised"  # an anonymised intake's user_key: it no longer leads to anyone


# the conversation store forgets conversations last saved before a time (`BaseStateStore.expire`): it owns
# their state and its cache, so it removes them itself
Expire = Callable[..., Awaitable[int]]


class RetentionSweep:
    """Runs the retention rules over the SQL database, and the conversation store's own expiry."""

    def __init__(self, engine: AsyncEngine, vault: Vault, retention: Retention, *, conversations: Expire,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.vault, self.retention, self.clock = engine, vault, retention, clock
        self.conversations = conversations

    async def run(self, *, dry_run: bool = False) -> dict[str, int]:
        """Sweep once (or only count, with `dry_run`); the counts per class and kind, also written as a run."""
        started = self.clock()
        counts = {"unfinished.conversations": await self.conversations(self._cutoff(started, "unfinished"),
                                                                      dry_run=dry_run)}
        async with self.engine.begin() as conn:
            for name, rule in self._rules():
                counts[name] = await rule(conn, started, dry_run)
            await conn.execute(insert(RetentionRun).values(started_at=started, finished_at=self.clock(),
                                                           dry_run=dry_run, counts=counts))
        return counts

    async def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(RetentionRun.__table__).order_by(RetentionRun.id.desc())
                                       .limit(limit))).all()
        return [{"started_at": r.started_at, "finished_at": r.finished_at, "dry_run": r.dry_run,
                 "counts": r.counts} for r in rows]

    def _rules(self) -> list[tuple[str, Callable]]:
        return [
            ("unfinished.transcript_lines", self._unfiled_lines),
            ("unfinished.mailbox", self._mailbox),
            ("unfinished.resume_codes", self._unused_codes),
            ("unfinished.consents_anonymised", self._unfiled_consents),
            ("transcripts.intakes", self._transcripts),
            ("receipts.attachments", self._receipts),
            ("closed.intakes", self._closed),
            ("logs.access", self._access),
            ("counters.throttle", self._throttle),
            ("counters.updates", self._updates),
            ("counters.sessions", self._sessions),
            ("questions.unanswered", self._questions),
        ]

    def _cutoff(self, now: datetime, period: str) -> datetime:
        return now - getattr(self.retention, period)

    @staticmethod
    async def _ids(conn: AsyncConnection, query) -> list[Any]:
        return list((await conn.execute(query)).scalars())

    async def _delete(self, conn: AsyncConnection, dry_run: bool, column, query) -> int:
        """Delete the rows whose `column` is among `query`'s results; how many."""
        ids = await self._ids(conn, query)
        if ids and not dry_run:
            for start in range(0, len(ids), 500):
                await conn.execute(delete(column.table).where(column.in_(ids[start:start + 500])))
        return len(ids)

    def _inactive(self, cutoff: datetime):
        """Conversations whose lines not yet filed all are older than `cutoff` (a turn always writes a line)."""
        return (select(TranscriptLine.conversation).where(TranscriptLine.intake_id.is_(None))
                .group_by(TranscriptLine.conversation).having(func.max(TranscriptLine.at) < cutoff))

    async def _unfiled_lines(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        cutoff = self._cutoff(now, "unfinished")
        return await self._delete(conn, dry_run, TranscriptLine.id, select(TranscriptLine.id).where(
            TranscriptLine.intake_id.is_(None), TranscriptLine.conversation.in_(self._inactive(cutoff))))

    async def _mailbox(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        cutoff = self._cutoff(now, "unfinished")
        return await self._delete(conn, dry_run, MailboxMessage.id,
                                  select(MailboxMessage.id).where(MailboxMessage.created_at < cutoff))

    async def _unused_codes(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        """Codes of conversations that filed nothing and have been quiet for the period."""
        cutoff = self._cutoff(now, "unfinished")
        recent = select(TranscriptLine.conversation).where(TranscriptLine.at >= cutoff)
        filed = select(Intake.user_key)
        return await self._delete(conn, dry_run, ResumeCode.id, select(ResumeCode.id).where(
            func.coalesce(ResumeCode.moved_at, ResumeCode.created_at) < cutoff,
            ResumeCode.user_key.not_in(recent), ResumeCode.user_key.not_in(filed)))

    async def _unfiled_consents(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        """Consents of applications never filed stay as proof, no longer saying whose."""
        cutoff = self._cutoff(now, "unfinished")
        recent = select(TranscriptLine.conversation).where(TranscriptLine.at >= cutoff)
        ids = await self._ids(conn, select(ConsentRecord.id).where(
            ConsentRecord.intake_id.is_(None), ConsentRecord.subject != ANONYMISED, ConsentRecord.at < cutoff,
            ConsentRecord.subject.not_in(recent)))
        if ids and not dry_run:
            await conn.execute(update(ConsentRecord).where(ConsentRecord.id.in_(ids)).values(subject=ANONYMISED))
        return len(ids)

    def _decided_before(self, cutoff: datetime):
        return select(Intake.id).where(Intake.status.in_(DECIDED), Intake.updated_at < cutoff)

    async def _transcripts(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        ids = await self._ids(conn, self._decided_before(self._cutoff(now, "transcripts")).where(
            Intake.id.in_(select(Transcript.intake_id)) | Intake.id.in_(select(TranscriptLine.intake_id))))
        if ids and not dry_run:
            await conn.execute(delete(Transcript).where(Transcript.intake_id.in_(ids)))
            await conn.execute(delete(TranscriptLine).where(TranscriptLine.intake_id.in_(ids)))
        return len(ids)

    async def _receipts(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        """The file and the fields read from it go; the record that a receipt was sent (type, size) stays."""
        decided = self._decided_before(self._cutoff(now, "receipts"))
        ids = await self._ids(conn, select(StoredAttachment.id).where(StoredAttachment.intake_id.in_(decided),
                                                                      StoredAttachment.file_id != ""))
        if ids and not dry_run:
            await conn.execute(update(StoredAttachment).where(StoredAttachment.id.in_(ids)).values(
                file_id="", reading=None, name=self.vault.encrypt_text("")))
        return len(ids)

    async def _closed(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        ids = await self._ids(conn, self._decided_before(self._cutoff(now, "closed"))
                              .where(Intake.user_key != ANONYMISED))
        if ids and not dry_run:
            await self._anonymise(conn, ids)
        return len(ids)

    async def anonymise(self, intake_id: int) -> None:
        """Anonymise one decided intake now, as `closed` does when its period ends (a resident's request to
        delete): an intake still being decided is closed by a caseworker first."""
        async with self.engine.begin() as conn:
            row = (await conn.execute(select(Intake.status, Intake.user_key).where(Intake.id == intake_id))).first()
            if row is None:
                raise IntakeNotFound(intake_id)
            if row.status not in DECIDED:
                raise InvalidRequest(f"intake {intake_id} is still being decided: close it first")
            if row.user_key != ANONYMISED:
                await self._anonymise(conn, [intake_id])

    async def _anonymise(self, conn: AsyncConnection, ids: list[int]) -> None:
        keys = set(await self._ids(conn, select(Intake.user_key).where(Intake.id.in_(ids))))
        nobody = self.vault.encrypt_text("")
        for table in (Answer, Person, SearchTerm, Note, Transcript, TranscriptLine, StoredAttachment, Notice,
                      ThreadMessage, ChecklistMark):
            await conn.execute(delete(table).where(table.intake_id.in_(ids)))
        await conn.execute(update(InfoRequest).where(InfoRequest.intake_id.in_(ids)).values(message=None))
        await conn.execute(update(Assignment).where(Assignment.intake_id.in_(ids)).values(note=None))
        await conn.execute(update(ReturnVisit).where(ReturnVisit.intake_id.in_(ids)).values(note=None))
        await conn.execute(update(ReferralEvent).where(
            ReferralEvent.referral_id.in_(select(Referral.id).where(Referral.intake_id.in_(ids)))).values(detail=None))
        await conn.execute(update(ConsentRecord).where(ConsentRecord.intake_id.in_(ids)).values(subject=ANONYMISED))
        # a rights request stays as the record that it was made and answered in time, without its words
        await conn.execute(update(RightsRequestRow).where(RightsRequestRow.intake_id.in_(ids)).values(
            detail=nobody, reply=None))
        await conn.execute(update(Intake).where(Intake.id.in_(ids)).values(
            user_key=ANONYMISED, user_id=nobody, applicant_name=None, name_hash=None, phone_hash=None,
            answers=self.vault.encrypt_json({}), prescreen=None, urgency=None))
        # the resume code of a conversation that has no other intake left to follow
        still = select(Intake.user_key).where(Intake.user_key.in_(keys))
        await conn.execute(delete(ResumeCode).where(ResumeCode.user_key.in_(keys), ResumeCode.user_key.not_in(still)))

    async def _access(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        cutoff = self._cutoff(now, "logs")
        return await self._delete(conn, dry_run, AccessRecord.id,
                                  select(AccessRecord.id).where(AccessRecord.at < cutoff))

    async def _throttle(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        cutoff = self._cutoff(now, "counters")
        return await self._delete(conn, dry_run, LoginThrottle.key, select(LoginThrottle.key).where(
            LoginThrottle.window_start < cutoff,
            LoginThrottle.locked_until.is_(None) | (LoginThrottle.locked_until < now)))

    async def _updates(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        cutoff = self._cutoff(now, "counters")
        ids = (select(ProcessedUpdate.source, ProcessedUpdate.update_id).where(ProcessedUpdate.at < cutoff))
        rows = (await conn.execute(ids)).all()
        if rows and not dry_run:
            await conn.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < cutoff))
        return len(rows)

    async def _sessions(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        return await self._delete(conn, dry_run, ConsoleSession.token_hash,
                                  select(ConsoleSession.token_hash).where(ConsoleSession.expires_at < now))

    async def _questions(self, conn: AsyncConnection, now: datetime, dry_run: bool) -> int:
        cutoff = self._cutoff(now, "questions")
        return await self._delete(conn, dry_run, UnansweredQuestion.id,
                                  select(UnansweredQuestion.id).where(UnansweredQuestion.asked_at < cutoff))
