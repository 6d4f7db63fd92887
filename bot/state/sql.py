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
from datetime import datetime
from collections import OrderedDict, defaultdict
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import delete, func, select
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
        self._batch: dict[str, tuple[dict[str, Any], bytes]] = {}  # (row, JSON) waiting for the next write
        self._batch_saved: asyncio.Future | None = None  # set when that write is committed (or failed)
        self._writer: asyncio.Task | None = None
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
        self._batch[name] = ({"key": name, "state": self.vault.encrypt(data), "updated_at": utcnow()}, data)
        if self._batch_saved is None:
            self._batch_saved = asyncio.get_running_loop().create_future()
            # retrieved here too, so a group whose turns were all cancelled leaves no unread failure behind
            self._batch_saved.add_done_callback(lambda done: done.cancelled() or done.exception())
        saved = self._batch_saved
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await asyncio.shield(saved)  # the cache follows the write itself, even if this turn is cancelled

    async def _write(self) -> None:
        group: dict[str, tuple[dict[str, Any], bytes]] = {}
        saved: asyncio.Future | None = None
        try:
            while self._batch:
                group, saved = self._batch, self._batch_saved
                self._batch, self._batch_saved = {}, None
                try:
                    async with self.engine.begin() as conn:
                        await conn.execute(upsert(conn, ConversationRow, ("key", "state", "updated_at"), ("key",)),
                                           [row for row, _ in group.values()])
                except Exception as error:  # every turn of this group hears of it; the next group tries afresh
                    self._settle(group, written=False)
                    saved.set_exception(error)
                else:
                    self._settle(group, written=True)
                    saved.set_result(None)
                group, saved = {}, None
        finally:
            # stopped mid-way (the server shutting down): no turn may wait for a write that will not come
            for waiting, rows in ((saved, group), (self._batch_saved, self._batch)):
                if waiting is not None and not waiting.done():
                    self._settle(rows, written=False)
                    waiting.set_exception(RuntimeError("the conversation state could not be saved"))
            if self._batch_saved is not None and self._batch_saved.done():
                self._batch, self._batch_saved = {}, None

    def _settle(self, group: dict[str, tuple[dict[str, Any], bytes]], *, written: bool) -> None:
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
        while self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer})  # a save queued or in flight must not bring the conversation back
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
