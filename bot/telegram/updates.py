"""Which Telegram updates were already taken, so a redelivered update is processed once."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

# Telegram keeps an unconfirmed update for 24 hours; after that it cannot come again.
UPDATE_TTL_SECONDS = 24 * 3600


class BaseUpdateLog(ABC):
    """Claims update ids; the first claim of an id wins, every later one is refused."""

    @abstractmethod
    async def claim(self, update_id: int) -> bool:
        """True for the first claim of `update_id`, False if it was already claimed."""

    async def close(self) -> None:
        """Release resources (nothing by default)."""


class MemoryUpdateLog(BaseUpdateLog):
    """The last `size` update ids of one process."""

    def __init__(self, size: int = 10_000) -> None:
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._size = size

    async def claim(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True


class RedisUpdateLog(BaseUpdateLog):
    """Update ids shared by every worker through Redis (`SET NX EX`)."""

    def __init__(self, redis: Redis, *, prefix: str, bot_id: int, ttl: int = UPDATE_TTL_SECONDS) -> None:
        self._redis = redis
        # update_id counts per bot, so two bots on one Redis must not share keys.
        self._prefix = f"{prefix}:telegram:{bot_id}:update:"
        self._ttl = ttl

    def key(self, update_id: int) -> str:
        """The Redis key recording `update_id`."""
        return f"{self._prefix}{update_id}"

    async def claim(self, update_id: int) -> bool:
        return bool(await self._redis.set(self.key(update_id), 1, nx=True, ex=self._ttl))
