"""The transcript: every line of every conversation, appended per turn, apart from the conversation state.

Lines are filed under the conversation's keyed hash and linked to the intake when the application is
filed; staff read them with the intake. Writes are grouped: lines wait in memory for the write in
flight to finish, then go in one INSERT, so a busy server writes far fewer transactions than turns.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from intake.crypto import Vault
from intake.models import TranscriptLine, utcnow

log = logging.getLogger(__name__)
LINE_LIMIT = 1000  # characters kept per line


class TranscriptLog:
    """Append-only transcript lines in the SQL database (encrypted)."""

    def __init__(self, engine: AsyncEngine, vault: Vault) -> None:
        self.engine, self.vault = engine, vault
        self._waiting: list[dict[str, Any]] = []
        self._writing: asyncio.Task | None = None

    def append(self, conversation: str, lines: list[tuple[str, str, str | None]]) -> None:
        """Queue (who, text, staff_id) lines of one turn; they are written in the background, in order."""
        now = utcnow()
        self._waiting.extend({"conversation": conversation, "who": who, "staff_id": staff_id,
                              "text": self.vault.encrypt_text(text[:LINE_LIMIT]), "at": now}
                             for who, text, staff_id in lines)
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write())

    async def flush(self) -> bool:
        """Write every queued line now (before filing an intake, and at shutdown); False if some could not be."""
        for _ in range(3):
            if self._writing is not None and not self._writing.done():
                await asyncio.shield(self._writing)
            if not self._waiting:
                return True
            self._writing = asyncio.create_task(self._write())
        return not self._waiting

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with self.engine.begin() as conn:
                    await conn.execute(insert(TranscriptLine), batch)
            except Exception:
                # the transcript is the staff's record; a failed write must never fail a resident's turn
                log.exception("transcript lines could not be written; kept for the next try")
                self._waiting[:0] = batch
                return

    @staticmethod
    async def link(conn: AsyncConnection, conversation: str, intake_id: int) -> None:
        """Within the filing transaction: the conversation's lines so far belong to this intake."""
        await conn.execute(update(TranscriptLine)
                           .where(TranscriptLine.conversation == conversation, TranscriptLine.intake_id.is_(None))
                           .values(intake_id=intake_id))

    async def lines(self, conversation: str) -> list[dict[str, Any]]:
        """Every line of a conversation, oldest first (for tests and staff tools)."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(TranscriptLine.__table__)
                                       .where(TranscriptLine.conversation == conversation)
                                       .order_by(TranscriptLine.id))).all()
        return [self.row(r, self.vault) for r in rows]

    async def recent(self, conversation: str, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` lines of a conversation, oldest first, those still in memory included
        (what a resident sees again after a reload)."""
        await self.flush()
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(TranscriptLine.__table__)
                                       .where(TranscriptLine.conversation == conversation)
                                       .order_by(TranscriptLine.id.desc()).limit(limit))).all()
        return [self.row(r, self.vault) for r in reversed(rows)]

    @staticmethod
    def row(line: Any, vault: Vault) -> dict[str, Any]:
        entry = {"who": line.who, "text": vault.decrypt_text(line.text)}
        if line.staff_id:
            entry["staff_id"] = line.staff_id
        return entry
