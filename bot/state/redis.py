"""Conversation state in Redis: shared by every worker, survives restarts, encrypted at rest."""
from __future__ import annotations

import asyncio
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from bot.conversation import ConversationKey
from bot.state.base import BaseStateStore, ConversationBusy
from bot.state.journal import Journal
from intake.crypto import Vault
from intake.keys import redis_key

# Taking the lock and reading the state is one round trip; so is writing the state and letting go.
_ACQUIRE = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('get', KEYS[2])}
end
return {0, false}
"""
_SAVE_AND_RELEASE = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '1' then redis.call('set', KEYS[2], ARGV[4], 'EX', ARGV[3]) end
return redis.call('del', KEYS[1])
"""


class LockTimeout(ConversationBusy, TimeoutError):
    """Another worker held a conversation for longer than a turn should ever take."""


class LockLost(ConversationBusy, RuntimeError):
    """This worker's turn outlived its lock; what it would have saved was dropped."""


@dataclass(slots=True)
class _Held:
    token: str
    data: bytes | None
    dirty: bool = False


class RedisStateStore(BaseStateStore):
    """One Redis string per conversation (Fernet-encrypted JSON) and a lock key per conversation.

    Inside `lock`, `get` returns what was read with the lock and `set` is written when the lock is
    let go, so a whole turn costs two round trips. A turn's transcript lines go to the SQL `journal`.
    """

    def __init__(self, redis: Redis, *, vault: Vault, prefix: str = "shanqiao", ttl_seconds: int = 30 * 86400,
                 lock_timeout: float = 30.0, journal: Journal | None = None) -> None:
        self.redis, self.vault, self.prefix, self.journal = redis, vault, prefix, journal
        self.ttl, self.lock_timeout = ttl_seconds, lock_timeout
        self._acquire = redis.register_script(_ACQUIRE)
        self._release = redis.register_script(_SAVE_AND_RELEASE)
        self._held: dict[ConversationKey, _Held] = {}

    def _state_key(self, key: ConversationKey) -> str:
        return redis_key(self.prefix, "state", key.hashed(self.vault))

    def _keys(self, key: ConversationKey) -> list[str]:
        name = key.hashed(self.vault)
        return [redis_key(self.prefix, "lock", name), redis_key(self.prefix, "state", name)]

    async def get(self, key: ConversationKey) -> dict[str, Any] | None:
        held = self._held.get(key)
        data = held.data if held is not None else await self.redis.get(self._state_key(key))
        return self.loads(self.vault.decrypt(data)) if data is not None else None

    async def set(self, key: ConversationKey, state: dict[str, Any]) -> None:
        data = self.vault.encrypt(self.dumps(state))
        held = self._held.get(key)
        if held is not None:
            held.data, held.dirty = data, True
            return
        await self.redis.set(self._state_key(key), data, ex=self.ttl)

    async def checkpoint(self, key: ConversationKey, state: dict[str, Any]) -> None:
        # written at once, lock or no lock; the turn's final state still goes out when the lock is let go
        await self.redis.set(self._state_key(key), self.vault.encrypt(self.dumps(state)), ex=self.ttl)

    async def delete(self, key: ConversationKey) -> None:
        held = self._held.get(key)
        if held is not None:
            held.data, held.dirty = None, False
        await self.redis.delete(self._state_key(key))

    async def states(self):
        batch: list[bytes] = []
        async for name in self.redis.scan_iter(match=redis_key(self.prefix, "state", "*"), count=500):
            batch.append(name)
            if len(batch) == 500:
                for data in await self.redis.mget(batch):
                    if data is not None:
                        yield self.loads(self.vault.decrypt(data))
                batch = []
        if batch:
            for data in await self.redis.mget(batch):
                if data is not None:
                    yield self.loads(self.vault.decrypt(data))

    @asynccontextmanager
    async def lock(self, key: ConversationKey):
        keys, token = self._keys(key), uuid.uuid4().hex
        # the expiry frees a lock whose holder died; a turn takes milliseconds
        expiry_ms = int(self.lock_timeout * 1000)
        deadline, pause = time.monotonic() + self.lock_timeout, 0.002
        while True:
            got, data = await self._acquire(keys=keys, args=[token, expiry_ms])
            if got:
                break
            if time.monotonic() > deadline:
                raise LockTimeout(f"conversation lock busy for {self.lock_timeout}s")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)
        held = self._held[key] = _Held(token, data)
        try:
            yield
        finally:
            del self._held[key]
            kept = await self._release(keys=keys, args=[token, "1" if held.dirty else "0", self.ttl, held.data or b""])
            if not kept and held.dirty:
                # the lock expired mid-turn and another worker may have moved on: its state wins
                raise LockLost("the conversation lock expired before the turn was saved")
