"""The Redis queue through outages and data loss: nothing lost, nothing doubled."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import update

from intake.models import IntakeStatus, Outbox
from intake.queue.redis import RedisQueue
from tests.intake.conftest import urgency

LONG = timedelta(minutes=10)


async def stream_ids(client: Redis, queue: RedisQueue) -> Counter[int]:
    """How many stream entries each intake has, over both streams."""
    seen: Counter[int] = Counter()
    for urgent in (True, False):
        for _id, fields in await client.xrange(queue.keys.stream(urgent)):
            seen[int(fields[b"intake_id"])] += 1
    return seen


async def submit(store, application, n: int, urgent: bool = False) -> list[int]:
    return [await store.submit(urgency(application(), urgent), channel="web", user_id="u", locale="zh") for _ in range(n)]


async def test_intakes_submitted_while_redis_is_down_are_queued_once(redis_server, store, application, redis_prefix):
    queue = RedisQueue(store, redis_server.url, prefix=redis_prefix, lease=LONG)
    before = await submit(store, application, 5)
    assert await queue.relay() == 5

    redis_server.stop()
    during = await submit(store, application, 12) + await submit(store, application, 3, urgent=True)
    with pytest.raises((RedisConnectionError, OSError)):
        await queue.relay()
    assert sorted(item.intake_id for item in await store.pending_outbox()) == during

    redis_server.start()
    assert await queue.relay() == 15
    assert await store.pending_outbox() == []
    client = Redis.from_url(redis_server.url)
    try:
        assert await stream_ids(client, queue) == Counter(before + during)
    finally:
        await client.aclose()

    claimed = [await queue.claim_next(f"cw{i}") for i in range(21)]
    assert claimed[-1] is None
    got = [entry.intake_id for entry in claimed[:-1]]
    assert sorted(got) == sorted(before + during)
    assert set(got[:3]) == set(during[-3:])  # the urgent ones first
    await queue.close()


async def test_relay_never_publishes_a_row_twice(redis_url, redis_prefix, store, engine, application):
    client = Redis.from_url(redis_url)
    queue = RedisQueue(store, client, prefix=redis_prefix, lease=LONG)
    ids = await submit(store, application, 4)
    assert await queue.relay() == 4
    # a relay that died after publishing but before marking its rows leaves them unpublished in SQL
    async with engine.begin() as conn:
        await conn.execute(update(Outbox).values(published_at=None))
    assert await queue.relay() == 4
    assert await stream_ids(client, queue) == Counter(ids)
    await client.aclose()


async def test_a_lost_stream_is_rebuilt_from_sql(redis_url, redis_prefix, store, application):
    client = Redis.from_url(redis_url)
    queue = RedisQueue(store, client, prefix=redis_prefix, lease=LONG)
    decided, held, waiting, late = await submit(store, application, 4)
    await queue.relay()
    assert (await queue.claim_next("li")).intake_id == decided
    await store.accept(decided, actor="li")
    await queue.ack(decided)
    assert (await queue.claim_next("zhao")).intake_id == held

    # Redis restarted without its data
    await client.delete(*[key async for key in client.scan_iter(match=f"{redis_prefix}*")])
    assert await queue.claim_next("wang") is not None  # rebuilt on the spot
    assert await stream_ids(client, queue) == Counter([held, waiting, late])
    assert (await queue.claim_next("wang")) is not None
    assert await queue.claim_next("wang") is None  # the held intake stays with zhao
    assert (await store.get(held)).claimed_by == "zhao"
    assert {(await store.get(i)).claimed_by for i in (waiting, late)} == {"wang"}
    await client.aclose()


async def test_claims_fall_back_to_sql_while_redis_is_down(redis_server, store, application, redis_prefix):
    queue = RedisQueue(store, redis_server.url, prefix=redis_prefix, lease=LONG)
    first, second = await submit(store, application, 2)
    await queue.relay()

    redis_server.stop()
    entry = await queue.claim_next("li")
    assert (entry.intake_id, entry.ref) == (first, None)
    await store.accept(first, actor="li")
    assert await queue.ack(first)

    redis_server.start()
    # the first intake's entry is still in the stream: it is recognised as spent and dropped
    assert (await queue.claim_next("zhao")).intake_id == second
    assert await queue.claim_next("zhao") is None
    await store.accept(second, actor="zhao")
    assert await queue.ack(second)
    client = Redis.from_url(redis_server.url)
    try:
        assert await stream_ids(client, queue) == Counter()
    finally:
        await client.aclose()
    assert (await store.get(first)).status is IntakeStatus.ACCEPTED
    await queue.close()
