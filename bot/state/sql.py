"""Conversation state in the SQL database: the embedded default, durable across restarts, encrypted at rest.

One process serves the embedded default, so turns of one conversation are kept apart by an
in-process lock, and the states it saved are kept in memory too (a bounded cache, written through):
a turn reads no row. Several processes share state through Redis instead.

Saves are committed in groups: the states of every turn that finished while the previous write was
in flight go in one transaction, and each turn waits for its own commit before it answers. A busy
server thus commits far fewer transactions than turns, and no answer is sent for a state not saved.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict, defaultdict
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

    def __init__(self, engine: AsyncEngine, *, vault: Vault, cached: int = 10_000) -> None:
        self.engine, self.vault = engine, vault
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._cache: OrderedDict[str, bytes | None] = OrderedDict()  # JSON as saved; None: known absent
        self._cached = cached
        self._batch: dict[str, dict[str, Any]] = {}  # rows waiting for the next write, by conversation
        self._batch_saved: asyncio.Future | None = None  # set when that write is committed (or failed)
        self._writer: asyncio.Task | None = None

    def _remember(self, name: str, data: bytes | None) -> None:
        self._cache[name] = data
        self._cache.move_to_end(name)
        if len(self._cache) > self._cached:
            self._cache.popitem(last=False)

    def _key(self, key: ConversationKey) -> str:
        return key.hashed(self.vault)

    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        name = self._key(key)
        if name in self._cache:
            data = self._cache[name]
            return self.loads(data) if data is not None else None
        async with self.engine.connect() as conn:
            stored = (await conn.execute(select(ConversationRow.state).where(ConversationRow.key == name))).scalar()
        data = self.vault.decrypt(stored) if stored is not None else None
        self._remember(name, data)
        return self.loads(data) if data is not None else None

    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        name, data = self._key(key), self.dumps(state)
        self._batch[name] = {"key": name, "state": self.vault.encrypt(data), "updated_at": utcnow()}
        if self._batch_saved is None:
            self._batch_saved = asyncio.get_running_loop().create_future()
        saved = self._batch_saved
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        try:
            await asyncio.shield(saved)
        except BaseException:
            self._cache.pop(name, None)  # what is saved is unknown now: read it again next time
            raise
        self._remember(name, data)

    async def _write(self) -> None:
        while self._batch:
            rows, saved = list(self._batch.values()), self._batch_saved
            self._batch, self._batch_saved = {}, None
            try:
                async with self.engine.begin() as conn:
                    await conn.execute(upsert(conn, ConversationRow, ("key", "state", "updated_at"), ("key",)), rows)
            except Exception as error:  # every turn of this group hears of it; the next group tries afresh
                saved.set_exception(error)
            else:
                saved.set_result(None)

    async def delete(self, key: ConversationKey) -> None:
        name = self._key(key)
        self._cache.pop(name, None)
        async with self.engine.begin() as conn:
            await conn.execute(delete(ConversationRow).where(ConversationRow.key == name))
        self._remember(name, None)

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
