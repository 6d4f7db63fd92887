"""The Telegram polling lease: one process at a time calls getUpdates for a bot.

A Redis key holds the poller's name for a few seconds and the poller renews it well before it
runs out. A poller that dies stops renewing and another process takes the key over once it
expires; one that cannot renew (Redis away, or a pause longer than the lease) stops polling.
"""
from __future__ import annotations

import os
import socket
import uuid

from redis.asyncio import Redis

from intake.keys import redis_key

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class PollingLease:
    """Who polls Telegram for bot `bot_id`; `ttl` seconds without renewal hand it to another process."""

    def __init__(self, redis: Redis, *, prefix: str, bot_id: int, ttl: float = 5.0) -> None:
        self.redis, self.ttl = redis, ttl
        self.key = redis_key(prefix, "telegram", bot_id, "poller")
        # host and pid say in Redis which process polls; the random part tells a restarted pid apart
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    @property
    def renew_every(self) -> float:
        """How often the holder renews: three chances before the lease runs out."""
        return self.ttl / 3

    async def acquire(self) -> bool:
        """Take the lease if nobody holds it."""
        return bool(await self.redis.set(self.key, self.holder, nx=True, px=int(self.ttl * 1000)))

    async def renew(self) -> bool:
        """Extend the lease; False if it is no longer ours."""
        return bool(await self._renew(keys=[self.key], args=[self.holder, int(self.ttl * 1000)]))

    async def release(self) -> None:
        """Let go at once, so another process need not wait for the lease to run out."""
        await self._release(keys=[self.key], args=[self.holder])
