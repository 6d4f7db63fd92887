"""Conversation state in Redis: shared by every worker, survives restarts, encrypted at rest."""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from bot.conversation import ConversationKey
from bot.state.base import BaseStateStore
from intake.crypto import Vault


class RedisStateStore(BaseStateStore):
    """One Redis string per conversation (Fernet-encrypted JSON) and a Redis lock per conversation."""

    def __init__(self, redis: Redis, *, vault: Vault, prefix: str = "shanqiao", ttl_seconds: int = 30 * 86400,
                 lock_timeout: float = 30.0) -> None:
        self.redis, self.vault, self.prefix = redis, vault, prefix
        self.ttl, self.lock_timeout = ttl_seconds, lock_timeout

    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        data = await self.redis.get(key.storage_key(self.prefix))
        return self.loads(self.vault.decrypt(data)) if data is not None else None

    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        await self.redis.set(key.storage_key(self.prefix), self.vault.encrypt(self.dumps(state)), ex=self.ttl)

    async def delete(self, key: ConversationKey) -> None:
        await self.redis.delete(key.storage_key(self.prefix))

    @asynccontextmanager
    async def lock(self, key: ConversationKey):
        # the timeout frees a lock whose holder died; a turn takes milliseconds
        async with self.redis.lock(key.storage_key(self.prefix, "lock"), timeout=self.lock_timeout,
                                   blocking_timeout=self.lock_timeout):
            yield
