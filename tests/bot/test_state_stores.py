"""One contract for conversation state, run in-process and on Redis."""
from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from bot.conversation import ConversationKey
from bot.state.memory import MemoryStateStore
from bot.state.redis import RedisStateStore
from intake.crypto import Vault
from tests.conftest import REDIS_URL, require_service


@pytest.fixture(params=["memory", "redis"])
async def store(request, redis_prefix):
    if request.param == "memory":
        yield MemoryStateStore()
        return
    require_service("Redis", "127.0.0.1", 6379)
    client = Redis.from_url(REDIS_URL)
    yield RedisStateStore(client, vault=Vault("test-secret"), prefix=redis_prefix, ttl_seconds=60)
    keys = [k async for k in client.scan_iter(match=f"{redis_prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


KEY = ConversationKey("telegram", "1001")


class TestStateStore:
    async def test_missing_is_none(self, store):
        assert await store.get(ConversationKey("web", "nobody")) is None

    async def test_round_trip_and_copy(self, store):
        state = {"flow": "hardship", "step": "income.wages", "answers": {"applicant": {"name": "陈美玲"}}, "asked": 3}
        await store.set(KEY, state)
        loaded = await store.get(KEY)
        assert loaded == state
        loaded["answers"]["applicant"]["name"] = "changed"
        assert (await store.get(KEY))["answers"]["applicant"]["name"] == "陈美玲"

    async def test_keys_are_separate_per_channel(self, store):
        await store.set(ConversationKey("telegram", "1"), {"step": "a"})
        await store.set(ConversationKey("web", "1"), {"step": "b"})
        assert (await store.get(ConversationKey("telegram", "1")))["step"] == "a"
        assert (await store.get(ConversationKey("web", "1")))["step"] == "b"

    async def test_delete(self, store):
        await store.set(KEY, {"step": "x"})
        await store.delete(KEY)
        assert await store.get(KEY) is None

    async def test_lock_serialises_turns_of_one_conversation(self, store):
        events = []

        async def turn(name):
            async with store.lock(KEY):
                events.append(f"{name}-in")
                await asyncio.sleep(0.05)
                events.append(f"{name}-out")

        await asyncio.gather(turn("a"), turn("b"))
        assert events in (["a-in", "a-out", "b-in", "b-out"], ["b-in", "b-out", "a-in", "a-out"])


async def test_redis_state_is_encrypted_at_rest(redis_url, redis_prefix):
    client = Redis.from_url(redis_url)
    store = RedisStateStore(client, vault=Vault("test-secret"), prefix=redis_prefix)
    await store.set(KEY, {"answers": {"applicant": {"id_number": "440106198805120037"}}})
    raw = await client.get(KEY.storage_key(redis_prefix))
    assert raw and b"440106198805120037" not in raw
    assert (await store.get(KEY))["answers"]["applicant"]["id_number"] == "440106198805120037"
    await client.aclose()


async def test_states_lists_every_saved_conversation(store):
    await store.set(ConversationKey("web", "a"), {"flow": "hardship", "step": "income.wages"})
    await store.set(ConversationKey("web", "b"), {"flow": None, "step": None})
    steps = sorted([s["step"] or "-" async for s in store.states()])
    assert steps == ["-", "income.wages"]


async def test_runner_reports_where_residents_stop(api):
    from tests.bot.conftest import Resident, channel_token
    from tests import golden

    token = await channel_token(api)
    await Resident(api, token, "one").replay(golden.steps()[:5])      # stops in part 1
    await Resident(api, token, "two").replay(golden.steps()[:26])     # stops in part 4
    assert await api.app.state.services.runner.stops() == {1: 1, 4: 1}
