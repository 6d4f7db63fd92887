"""The conversation-state interface."""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from bot.conversation import ConversationKey


class BaseStateStore(ABC):
    """Where each conversation's engine state lives between turns."""

    @abstractmethod
    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        """The saved state, or None if there is none (or it expired)."""

    @abstractmethod
    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        """Save the state after a turn."""

    async def checkpoint(self, key: ConversationKey, state: dict[str, Any]) -> None:
        """Save now, in the middle of a turn, before a write that must not happen twice (filing)."""
        await self.set(key, state)

    @abstractmethod
    async def delete(self, key: ConversationKey) -> None:
        """Forget a conversation."""

    @abstractmethod
    async def states(self) -> AsyncIterator[dict[str, Any]]:
        """Every saved state (for statistics such as where residents stop)."""

    async def expire(self, before: datetime, *, dry_run: bool = False) -> int:
        """Forget conversations last saved before `before` (the retention sweep); how many (only counted with
        `dry_run`). Stores whose entries expire on their own (Redis, by TTL) have nothing to do."""
        return 0

    @abstractmethod
    def lock(self, key: ConversationKey) -> AbstractAsyncContextManager[None]:
        """Hold while a turn runs, so two turns of one conversation never interleave."""

    async def close(self) -> None:
        """Release connections."""

    @staticmethod
    def dumps(state: dict[str, Any]) -> bytes:
        return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @staticmethod
    def loads(data: bytes) -> dict[str, Any]:
        return json.loads(data)
