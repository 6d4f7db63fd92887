"""Which Telegram updates were already taken, so a redelivered update is processed once."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.state.journal import RIDERS
from intake.database import insert_new
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

    @asynccontextmanager
    async def take(self, update_id: int) -> AsyncIterator[bool]:
        """Hold `update_id` while it is handled; whether it is new (claimed now, or with its turn's commit)."""
        yield await self.claim(update_id)

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
    """Update ids in the SQL database (the embedded default): a restarted bot skips what it already did.

    One process serves the embedded default, so an update being handled is held in memory, and its id is
    written with the commit of the turn it brings (`bot.state.journal.RIDERS`): the update is done exactly
    when its state is saved, in one transaction. An update that brings no turn is written on its own.
    """

    def __init__(self, engine: AsyncEngine, *, bot_id: int | str, ttl: int = UPDATE_TTL_SECONDS,
                 channel: str = "telegram") -> None:
        # `channel` and `bot_id` name whose ids these are (e.g. "wechat" and an AppID)
        self._engine, self._source, self._ttl = engine, f"{channel}:{bot_id}", timedelta(seconds=ttl)
        self._claims = 0
        self._taking: set[int] = set()

    async def claim(self, update_id: int) -> bool:
        try:
            await self._write([self._row(update_id)], strict=True)
        except IntegrityError:
            return False
        return True

    @asynccontextmanager
    async def take(self, update_id: int) -> AsyncIterator[bool]:
        if update_id in self._taking or await self._done(update_id):
            yield False
            return
        self._taking.add(update_id)
        token = RIDERS.set([self._row(update_id)])
        try:
            yield True
        finally:
            left = RIDERS.get()
            RIDERS.reset(token)
            try:
                if left:  # no turn's commit took it along
                    await self._write(left, strict=False)
            finally:
                self._taking.discard(update_id)

    def _row(self, update_id: int) -> dict[str, Any]:
        return {"source": self._source, "update_id": update_id, "at": utcnow()}

    async def _done(self, update_id: int) -> bool:
        async with self._engine.connect() as conn:
            return (await conn.execute(select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.source == self._source, ProcessedUpdate.update_id == update_id))).first() is not None

    async def _write(self, rows: list[dict[str, Any]], *, strict: bool) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(ProcessedUpdate.__table__.insert() if strict else insert_new(conn, ProcessedUpdate),
                               rows)
            self._claims += 1
            if self._claims % 1000 == 1:  # now and then, forget ids Telegram can no longer resend
                await conn.execute(delete(ProcessedUpdate).where(ProcessedUpdate.source == self._source,
                                                                 ProcessedUpdate.at < rows[0]["at"] - self._ttl))


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
