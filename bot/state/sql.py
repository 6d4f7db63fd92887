"""Conversation state in the SQL database: the embedded default, durable across restarts, encrypted at rest.

One process serves the embedded default, so turns of one conversation are kept apart by an
in-process lock, and the states it saved are kept in memory too (a bounded cache, written through):
a turn reads no row. Several processes share state through Redis instead.

A turn's state and its transcript lines are one commit of the journal (`bot/state/journal.py`), grouped
with the other turns that end meanwhile; each turn waits for its own commit before it answers.
"""
from __future__ import annotations

import asyncio
from datetime import datetime
from collections import OrderedDict, defaultdict
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.conversation import ConversationKey
from bot.state.base import BaseStateStore
from bot.state.journal import Journal, Line, take_riders
from intake.crypto import Vault
from intake.models import ConversationRow


class SqlStateStore(BaseStateStore):
    """One row per conversation, keyed by a keyed hash of channel and user id (never the raw id)."""

    def __init__(self, engine: AsyncEngine, *, vault: Vault, cached: int = 10_000) -> None:
        self.engine, self.vault = engine, vault
        self.journal = Journal(engine, vault, settled=self._settle)
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._cache: OrderedDict[str, bytes | None] = OrderedDict()  # JSON as saved; None: known absent
        self._cached = cached
        # states queued or being written, newest per conversation: what a read sees until the write ends
        self._unsaved: dict[str, bytes] = {}
        self._writes = 0  # writes ended so far: a read that overlapped one does not fill the cache

    def _remember(self, name: str, data: bytes | None) -> None:
        self._cache[name] = data
        self._cache.move_to_end(name)
        if len(self._cache) > self._cached:
            self._cache.popitem(last=False)

    def _key(self, key: ConversationKey) -> str:
        return key.hashed(self.vault)

    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        name = self._key(key)
        if name in self._unsaved:
            return self.loads(self._unsaved[name])
        if name in self._cache:
            data = self._cache[name]
            return self.loads(data) if data is not None else None
        writes = self._writes
        async with self.engine.connect() as conn:
            stored = (await conn.execute(select(ConversationRow.state).where(ConversationRow.key == name))).scalar()
        data = self.vault.decrypt(stored) if stored is not None else None
        if self._writes == writes and name not in self._unsaved:
            self._remember(name, data)
        return self.loads(data) if data is not None else None

    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        name, data = self._key(key), self.dumps(state)
        self._unsaved[name] = data
        await self.journal.write(states={name: data})

    async def commit(self, key: ConversationKey, state: dict[str, Any], lines: list[Line], *,
                     intake_id: int | None = None) -> None:
        # the state, the lines and the update that brought the turn in one transaction, grouped with the
        # other turns that end meanwhile
        name, data = self._key(key), self.dumps(state)
        self._unsaved[name] = data
        await self.journal.write(states={name: data}, lines=self.journal.line_rows(name, lines, intake_id=intake_id),
                                 updates=take_riders())

    def _settle(self, group: dict[str, tuple[dict[str, Any], bytes]], written: bool) -> None:
        """After a write: the cache holds what the database holds (or forgets what is now unknown)."""
        self._writes += 1
        for name, (_, data) in group.items():
            if written:
                self._remember(name, data)
            else:
                self._cache.pop(name, None)  # what is saved is unknown now: read it again next time
            if self._unsaved.get(name) is data:
                del self._unsaved[name]

    async def delete(self, key: ConversationKey) -> None:
        name = self._key(key)
        await self.journal.idle()  # a save queued or in flight must not bring the conversation back
        self._cache.pop(name, None)
        async with self.engine.begin() as conn:
            await conn.execute(delete(ConversationRow).where(ConversationRow.key == name))
        self._remember(name, None)

    async def expire(self, before: datetime, *, dry_run: bool = False) -> int:
        old = ConversationRow.updated_at < before
        async with self.engine.begin() as conn:
            if dry_run:
                return (await conn.execute(select(func.count()).select_from(ConversationRow).where(old))).scalar()
            names = (await conn.execute(delete(ConversationRow).where(old).returning(ConversationRow.key))).scalars().all()
        for name in names:
            if name not in self._unsaved:  # being saved again right now: that save keeps it
                self._cache.pop(name, None)
        return len(names)

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
