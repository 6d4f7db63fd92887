"""Resume codes in the SQL database: made when a resident gives their phone, checked with its last four
digits, and moved with the conversation when it continues on another device or channel.

Only keyed hashes are stored: of the code (to find it) and of the code with the four digits (to check
them). Guessing is limited per guesser (`bot.resume`), never per code: a stranger typing a resident's
code cannot lock the resident out of it.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import case, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from dialogs.resume_codes import ALPHABET, LENGTH, canonical
from intake.crypto import Vault
from intake.models import ConsentRecord, Intake, IntakeStatus, Notice, ResumeCode, TranscriptLine, utcnow
from intake.store.rows import user_key
from intake.store.workflow import audit

class CheckStatus(StrEnum):
    """How a code and its four digits went."""

    OK = "ok"
    UNKNOWN = "unknown"  # no such code
    WRONG = "wrong"  # the digits did not match


@dataclass(frozen=True, slots=True)
class Holder:
    """The conversation a code opens now: channel and user id, as the conversation stores know it."""

    channel: str
    user_id: str


@dataclass(frozen=True, slots=True)
class Check:
    """The answer to a code (and digits): its status and the conversation it opens."""

    status: CheckStatus
    holder: Holder | None = None


def new_code() -> str:
    """Eight characters from the unambiguous alphabet (30^8, about 6.6e11 codes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


class ResumeCodes:
    """The resume_codes table: keep a conversation's code, find it, check it, move it."""

    def __init__(self, engine: AsyncEngine, vault: Vault, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.vault, self.clock = engine, vault, clock

    def _code_hash(self, code: str) -> str:
        return self.vault.keyed_hash("resume-code:" + code)

    def _check_hash(self, code_hash: str, digits: str) -> str:
        return self.vault.keyed_hash(f"resume-check:{code_hash}:{digits}")

    async def keep(self, channel: str, user_id: str, digits: str, code: str | None = None) -> tuple[str, bool]:
        """The conversation's code, checked against these four digits from now on; (code, True) when new.

        `code` is the one the conversation already shows: kept if it still opens this conversation (the
        phone was corrected), else a new one is made.
        """
        holder = user_key(self.vault, channel, user_id)
        if code is not None and (code := canonical(code)) is not None:
            code_hash = self._code_hash(code)
            async with self.engine.begin() as conn:
                kept = await conn.execute(update(ResumeCode)
                                          .where(ResumeCode.code_hash == code_hash, ResumeCode.user_key == holder)
                                          .values(check_hash=self._check_hash(code_hash, digits)))
            if kept.rowcount:
                return code, False
        while True:
            code = new_code()
            code_hash = self._code_hash(code)
            row = {"code_hash": code_hash, "channel": channel, "user_key": holder,
                   "user_id": self.vault.encrypt_text(user_id), "check_hash": self._check_hash(code_hash, digits),
                   "created_at": self.clock(), "moved_at": None}
            try:
                async with self.engine.begin() as conn:
                    await conn.execute(insert(ResumeCode).values(**row))
            except IntegrityError:
                continue  # the same eight characters were drawn before: draw again
            return code, True

    async def find(self, code: str) -> Check:
        """The conversation a code opens (staff, who are trusted, open it without digits)."""
        code = canonical(code) or ""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(ResumeCode.__table__).where(ResumeCode.code_hash == self._code_hash(code)))) \
                .first()
        return Check(CheckStatus.UNKNOWN) if row is None else Check(CheckStatus.OK, self._holder(row))

    async def check(self, code: str, digits: str) -> Check:
        """Check the four digits (the same single read whether or not the code exists)."""
        code_hash = self._code_hash(canonical(code) or "")
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(ResumeCode.__table__).where(ResumeCode.code_hash == code_hash))).first()
        if row is None:
            return Check(CheckStatus.UNKNOWN)
        if not hmac.compare_digest(row.check_hash, self._check_hash(code_hash, digits)):
            return Check(CheckStatus.WRONG)
        return Check(CheckStatus.OK, self._holder(row))

    async def move(self, code: str, channel: str, user_id: str, *, actor: str) -> list[int]:
        """The code opens this conversation from now on, and so do the intakes filed from the old one
        (decisions and requests reach the resident here, notices still waiting for a retry too) and its
        transcript lines not yet filed; each intake moved gets an audit entry. Returns the intakes moved."""
        code_hash, now, vault = self._code_hash(canonical(code) or ""), self.clock(), self.vault
        holder = user_key(vault, channel, user_id)
        async with self.engine.begin() as conn:
            row = (await conn.execute(select(ResumeCode.__table__).where(ResumeCode.code_hash == code_hash)
                                      .with_for_update())).first()
            if row is None or row.user_key == holder:
                return []
            await conn.execute(update(ResumeCode).where(ResumeCode.id == row.id).values(
                channel=channel, user_key=holder, user_id=vault.encrypt_text(user_id), moved_at=now))
            intakes = (await conn.execute(select(Intake.id, Intake.status).where(
                Intake.channel == row.channel, Intake.user_key == row.user_key).order_by(Intake.id))).all()
            if intakes:
                moved = [i.id for i in intakes]
                await conn.execute(update(Intake).where(Intake.id.in_(moved)).values(
                    channel=channel, user_key=holder, user_id=vault.encrypt_text(user_id)))
                # due at once where the resident now is; one being sent right now loses its lease, so its
                # sender does not count it delivered (`NoticeOutbox.delivered`) and it is sent here too
                await conn.execute(update(Notice).where(Notice.intake_id.in_(moved), Notice.delivered_at.is_(None))
                                   .values(channel=channel, user_id=vault.encrypt_text(user_id), lease_until=None,
                                           due_at=case((Notice.due_at.is_(None), None), else_=now)))
            for intake in intakes:
                status = IntakeStatus(intake.status)
                await audit(conn, vault, intake.id, actor=actor, at=now, from_status=status, to_status=status,
                            reason=f"续办码 resume code: {row.channel} -> {channel}")
            await conn.execute(update(TranscriptLine).where(TranscriptLine.conversation == row.user_key,
                                                            TranscriptLine.intake_id.is_(None))
                               .values(conversation=holder))
            # consents given before filing follow the application, like its lines
            await conn.execute(update(ConsentRecord).where(ConsentRecord.subject == row.user_key,
                                                           ConsentRecord.intake_id.is_(None))
                               .values(subject=holder))
        return [intake.id for intake in intakes]

    def _holder(self, row: Any) -> Holder:
        return Holder(row.channel, self.vault.decrypt_text(row.user_id))
