"""Conversation state in the SQL database: the embedded default, durable across restarts, encrypted at rest.

One process serves the embedded default, so turns of one conversation are kept apart by an
in-process lock; several processes share state through Redis instead.
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.conversation import ConversationKey
from bot.state.base import BaseStateStore
from intake.crypto import Vault
from intake.models import ConversationRow, utcnow
from intake.database import upsert


class SqlStateStore(BaseStateStore):
    """One row per conversation, keyed by a keyed hash of channel and user id (never the raw id)."""

    def __init__(self, engine: AsyncEngine, *, vault: Vault) -> None:
        self.engine, self.vault = engine, vault
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def _key(self, key: ConversationKey) -> str:
        return key.hashed(self.vault)

    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            data = (await conn.execute(select(ConversationRow.state).where(ConversationRow.key == self._key(key)))).scalar()
        return self.loads(self.vault.decrypt(data)) if data is not None else None

    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        row = {"key": self._key(key), "state": self.vault.encrypt(self.dumps(state)), "updated_at": utcnow()}
        async with self.engine.begin() as conn:
            await conn.execute(upsert(conn, ConversationRow, row, ("key",)))

    async def delete(self, key: ConversationKey) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(ConversationRow).where(ConversationRow.key == self._key(key)))

    async def states(self):
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(ConversationRow.state))).scalars().all()
        for data in rows:
            yield self.loads(self.vault.decrypt(data))

    @asynccontextmanager
    async def lock(self, key: ConversationKey):
        name = self._key(key)
        lock = self._locks[name]
        async with lock:
            yield
        if not lock.locked() and not lock._waiters:  # drop idle locks so the map does not grow forever
            self._locks.pop(name, None)
