"""The conversation-state interface."""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from bot.conversation import ConversationKey
from bot.state.journal import Journal, Line


class ConversationBusy(Exception):
    """A conversation is still busy with an earlier message, here or in another process; nothing of this
    message was taken, and sending it again is the way on. Every store raises this (or a subclass)."""


class BaseStateStore(ABC):
    """Where each conversation's engine state lives between turns."""

    # where a turn's transcript lines are committed when the state lives outside the SQL database
    journal: Journal | None = None

    @abstractmethod
    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        """The saved state, or None if there is none (or it expired)."""

    @abstractmethod
    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        """Save the state after a turn."""

    async def commit(self, key: ConversationKey, state: dict[str, Any], lines: list[Line], *,
                     intake_id: int | None = None) -> None:
        """A turn's writes: its state and its transcript lines (linked to `intake_id` when the turn filed
        one), awaited before the answer is sent; one transaction where the store allows it."""
        if lines and self.journal is not None:
            # the lines first: an answer whose state is saved always has its lines
            await self.journal.write(lines=self.journal.line_rows(key.hashed(self.journal.vault), lines,
                                                                  intake_id=intake_id))
        await self.set(key, state)

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
