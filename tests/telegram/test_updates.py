"""The update log: an update_id is taken once, by one worker, however often it is delivered."""
from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as redis

from bot.telegram.updates import MemoryUpdateLog, RedisUpdateLog
from tests.conftest import REDIS_URL, require_service

BOT_ID = 123456789


@pytest.fixture
async def redis_client(redis_url):
    client = redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture(params=["memory", "redis"])
async def make_log(request, redis_prefix):
    """A factory of logs that share one backing store (two workers on one Redis)."""
    if request.param == "memory":
        shared = MemoryUpdateLog()
        yield lambda: shared
        return
    require_service("Redis", "127.0.0.1", 6379)
    url = REDIS_URL
    clients = []

    def make():
        clients.append(redis.from_url(url))
        return RedisUpdateLog(clients[-1], prefix=redis_prefix, bot_id=BOT_ID)

    yield make
    keys = [key async for key in clients[0].scan_iter(match=f"{redis_prefix}*")]
    if keys:
        await clients[0].delete(*keys)
    for client in clients:
        await client.aclose()


class TestUpdateLog:
    async def test_first_claim_wins(self, make_log):
        log = make_log()
        assert await log.claim(1001) is True
        assert await log.claim(1001) is False
        assert await log.claim(1002) is True

    async def test_concurrent_claims_by_two_workers_let_exactly_one_through(self, make_log):
        first, second = make_log(), make_log()
        results = await asyncio.gather(*(log.claim(2000 + n % 10) for n in range(40) for log in (first, second)))
        assert sum(results) == 10


async def test_memory_log_forgets_oldest_beyond_its_size():
    log = MemoryUpdateLog(size=3)
    for update_id in (1, 2, 3, 4):
        assert await log.claim(update_id)
    assert await log.claim(1) is True  # forgotten
    assert await log.claim(4) is False


async def test_redis_keys_expire_and_are_per_bot(redis_client, redis_prefix):
    log = RedisUpdateLog(redis_client, prefix=redis_prefix, bot_id=BOT_ID, ttl=60)
    other_bot = RedisUpdateLog(redis_client, prefix=redis_prefix, bot_id=987654321, ttl=60)
    assert await log.claim(7)
    assert await other_bot.claim(7)
    ttl = await redis_client.ttl(log.key(7))
    assert 0 < ttl <= 60
    assert log.key(7).startswith(redis_prefix)
