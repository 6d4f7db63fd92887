"""The transcript as staff read it: every line of a conversation, kept apart from the conversation state.

Lines are written with each turn's state by the conversation journal (`bot/state/journal.py`), filed
under the conversation's keyed hash, and linked to the intake when the application is filed.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from intake.crypto import Vault
from intake.models import TranscriptLine


class TranscriptLog:
    """Append-only transcript lines in the SQL database (encrypted), read by staff."""

    def __init__(self, engine: AsyncEngine, vault: Vault) -> None:
        self.engine, self.vault = engine, vault

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
        """The newest `limit` lines of a conversation, oldest first (what a resident sees again after a reload)."""
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
