"""Which Telegram updates were already taken, so a redelivered update is processed once."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from intake.keys import redis_key
from intake.models import ProcessedUpdate, utcnow

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncEngine

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


class SqlUpdateLog(BaseUpdateLog):
    """Update ids in the SQL database (the embedded default): a restarted bot skips what it already did."""

    def __init__(self, engine: AsyncEngine, *, bot_id: int | str, ttl: int = UPDATE_TTL_SECONDS,
                 channel: str = "telegram") -> None:
        # `channel` and `bot_id` name whose ids these are (e.g. "wechat" and an AppID)
        self._engine, self._source, self._ttl = engine, f"{channel}:{bot_id}", timedelta(seconds=ttl)
        self._claims = 0

    async def claim(self, update_id: int) -> bool:
        now = utcnow()
        try:
            async with self._engine.begin() as conn:
                await conn.execute(ProcessedUpdate.__table__.insert().values(
                    source=self._source, update_id=update_id, at=now))
                self._claims += 1
                if self._claims % 1000 == 1:  # now and then, forget ids Telegram can no longer resend
                    await conn.execute(delete(ProcessedUpdate).where(ProcessedUpdate.source == self._source,
                                                                     ProcessedUpdate.at < now - self._ttl))
        except IntegrityError:
            return False
        return True


class RedisUpdateLog(BaseUpdateLog):
    """Update ids shared by every worker through Redis (`SET NX EX`)."""

    def __init__(self, redis: Redis, *, prefix: str, bot_id: int | str, ttl: int = UPDATE_TTL_SECONDS,
                 channel: str = "telegram") -> None:
        self._redis = redis
        # update_id counts per bot, so two bots on one Redis must not share keys.
        self._prefix, self._bot_id, self._channel = prefix, bot_id, channel
        self._ttl = ttl

    def key(self, update_id: int) -> str:
        """The Redis key recording `update_id`."""
        return redis_key(self._prefix, self._channel, self._bot_id, "update", update_id)

    async def claim(self, update_id: int) -> bool:
        return bool(await self._redis.set(self.key(update_id), 1, nx=True, ex=self._ttl))
