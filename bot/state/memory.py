"""In-process conversation state: the embedded default (one process, nothing survives a restart)."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from contextlib import asynccontextmanager
from typing import Any

from bot.conversation import ConversationKey
from bot.state.base import BaseStateStore
from bot.state.journal import Journal


class MemoryStateStore(BaseStateStore):
    """States kept as JSON bytes, so what comes back is a copy and always JSON-safe."""

    def __init__(self, journal: Journal | None = None) -> None:
        self.journal = journal
        self._data: dict[ConversationKey, bytes] = {}
        self._locks: defaultdict[ConversationKey, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        data = self._data.get(key)
        return self.loads(data) if data is not None else None

    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        self._data[key] = self.dumps(state)

    async def delete(self, key: ConversationKey) -> None:
        self._data.pop(key, None)

    async def states(self):
        for data in list(self._data.values()):
            yield self.loads(data)

    @asynccontextmanager
    async def lock(self, key: ConversationKey):
        lock = self._locks[key]
        async with lock:
            yield
        if not lock.locked() and not lock._waiters:  # drop idle locks so the map does not grow forever
            self._locks.pop(key, None)
