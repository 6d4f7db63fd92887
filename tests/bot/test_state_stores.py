"""One contract for conversation state, run in-process, on SQLite and PostgreSQL, and on Redis."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis
from sqlalchemy import event

from bot.conversation import ConversationKey
from bot.state.journal import Journal
from bot.state.memory import MemoryStateStore
from bot.state.redis import RedisStateStore
from bot.state.sql import SqlStateStore
from intake.crypto import Vault
from intake.database import create_engine, migrate
from intake.keys import redis_key
from intake.store.transcripts import TranscriptLog
from tests.conftest import REDIS_URL, fresh_postgres_database, require_service


@asynccontextmanager
async def sql_store(url: str):
    engine = create_engine(url)
    await migrate(engine)
    try:
        yield SqlStateStore(engine, vault=Vault("test-secret"))
    finally:
        await engine.dispose()


@pytest.fixture(params=["memory", "sqlite", "postgresql", "redis"])
async def store(request, redis_prefix, tmp_path):
    if request.param == "memory":
        yield MemoryStateStore()
        return
    if request.param == "sqlite":
        async with sql_store(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}") as sql:
            yield sql
        return
    if request.param == "postgresql":
        async with fresh_postgres_database() as url, sql_store(url) as sql:
            yield sql
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


@pytest.fixture(params=["sqlite", "postgresql", "redis+sqlite"])
async def journaled(request, redis_prefix, tmp_path):
    """A conversation store whose turns write through the journal, and the SQL engine the lines go to."""
    if request.param == "sqlite":
        async with sql_store(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}") as sql:
            yield sql, sql.engine
        return
    if request.param == "postgresql":
        async with fresh_postgres_database() as url, sql_store(url) as sql:
            yield sql, sql.engine
        return
    require_service("Redis", "127.0.0.1", 6379)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'lines.db'}")
    await migrate(engine)
    client = Redis.from_url(REDIS_URL)
    vault = Vault("test-secret")
    yield RedisStateStore(client, vault=vault, prefix=redis_prefix, ttl_seconds=60,
                          journal=Journal(engine, vault)), engine
    keys = [k async for k in client.scan_iter(match=f"{redis_prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()
    await engine.dispose()


def _lines(store, engine, key=KEY):
    return TranscriptLog(engine, store.vault).lines(key.hashed(store.vault))


class TestJournal:
    """A turn's one write: its state and its transcript lines, committed before the turn ends."""

    async def test_a_turn_commits_its_state_and_every_line(self, journaled):
        store, engine = journaled
        async with store.lock(KEY):
            await store.commit(KEY, {"step": "a"}, [("resident", "你好", None), ("bot", "您好", None)])
            # committed already, before the turn lets go: the answer may be sent now
            assert [line["text"] for line in await _lines(store, engine)] == ["你好", "您好"]
        assert (await store.get(KEY))["step"] == "a"
        async with store.lock(KEY):
            await store.commit(KEY, {"step": "b"}, [("staff", "代填", "wang")])
        assert (await _lines(store, engine))[-1] == {"who": "staff", "text": "代填", "staff_id": "wang"}
        assert (await store.get(KEY))["step"] == "b"

    async def test_turns_that_end_together_share_transactions(self, journaled):
        store, engine = journaled
        commits = []
        event.listen(engine.sync_engine, "commit", lambda conn: commits.append(1))
        keys = [ConversationKey("web", str(n)) for n in range(30)]

        async def turn(n: int, key: ConversationKey) -> None:
            async with store.lock(key):
                await store.commit(key, {"step": f"s{n}"}, [("resident", f"第{n}句", None), ("bot", "好", None)])

        await asyncio.gather(*(turn(n, key) for n, key in enumerate(keys)))
        assert 1 <= len(commits) < 30  # fewer transactions than turns
        for n, key in enumerate(keys):
            assert (await store.get(key))["step"] == f"s{n}"
            assert [line["text"] for line in await _lines(store, engine, key)] == [f"第{n}句", "好"]

    async def test_a_failed_commit_keeps_neither_the_state_nor_the_lines(self, journaled):
        store, engine = journaled
        async with store.lock(KEY):
            await store.commit(KEY, {"step": "before"}, [("resident", "一", None)])

        def fail(conn, cursor, statement, parameters, context, executemany):
            if "INSERT INTO transcript_lines" in statement:
                raise RuntimeError("disk full")

        event.listen(engine.sync_engine, "before_cursor_execute", fail)
        with pytest.raises(Exception):
            async with store.lock(KEY):
                await store.commit(KEY, {"step": "lost"}, [("resident", "二", None)])
        event.remove(engine.sync_engine, "before_cursor_execute", fail)
        assert (await store.get(KEY))["step"] == "before"
        assert [line["text"] for line in await _lines(store, engine)] == ["一"]
        async with store.lock(KEY):
            await store.commit(KEY, {"step": "after"}, [("resident", "三", None)])
        assert (await store.get(KEY))["step"] == "after"
        assert [line["text"] for line in await _lines(store, engine)] == ["一", "三"]


async def test_redis_state_is_encrypted_at_rest(redis_url, redis_prefix):
    client = Redis.from_url(redis_url)
    store = RedisStateStore(client, vault=Vault("test-secret"), prefix=redis_prefix)
    await store.set(KEY, {"answers": {"applicant": {"id_number": "440106198805120037"}}})
    raw = await client.get(redis_key(redis_prefix, "state", KEY.hashed(store.vault)))
    assert raw and b"440106198805120037" not in raw
    assert (await store.get(KEY))["answers"]["applicant"]["id_number"] == "440106198805120037"
    # a channel's user id may be a phone number: no key names it
    assert not [k async for k in client.scan_iter(match=f"{redis_prefix}*1001*")]
    await client.aclose()


async def test_sql_state_is_encrypted_at_rest(tmp_path):
    path = tmp_path / "state.db"
    async with sql_store(f"sqlite+aiosqlite:///{path}") as store:
        await store.set(ConversationKey("api:sms", "13800138000"),
                        {"answers": {"applicant": {"id_number": "440106198805120037"}}})
        assert (await store.get(ConversationKey("api:sms", "13800138000")))["answers"]["applicant"]
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("state.db*"))
    assert b"440106198805120037" not in raw and b"13800138000" not in raw


async def test_sql_saves_of_concurrent_turns_are_grouped_and_each_is_durable(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'state.db'}"
    commits = []
    async with sql_store(url) as store:
        event.listen(store.engine.sync_engine, "commit", lambda conn: commits.append(1))
        keys = [ConversationKey("web", str(n)) for n in range(40)]
        await asyncio.gather(*(store.set(key, {"step": f"s{n}"}) for n, key in enumerate(keys)))
        assert 1 <= len(commits) < 40  # fewer transactions than turns
    async with sql_store(url) as reopened:  # nothing of it lived only in memory
        assert [(await reopened.get(key))["step"] for key in keys] == [f"s{n}" for n in range(40)]


async def test_a_failed_group_save_fails_each_turn_of_it_and_the_next_save_works(tmp_path):
    async with sql_store(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}") as store:
        await store.set(KEY, {"step": "before"})
        async with store.engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TRIGGER no_saves BEFORE UPDATE ON conversations "
                                       "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        results = await asyncio.gather(store.set(KEY, {"step": "lost"}),
                                       store.set(ConversationKey("web", "2"), {"step": "new"}),
                                       return_exceptions=True)
        assert all(isinstance(result, Exception) for result in results)  # one transaction: both turns failed
        assert (await store.get(KEY))["step"] == "before"  # read again from the database, not the failed write
        assert await store.get(ConversationKey("web", "2")) is None
        async with store.engine.begin() as conn:
            await conn.exec_driver_sql("DROP TRIGGER no_saves")
        await store.set(KEY, {"step": "after"})
        assert (await store.get(KEY))["step"] == "after"


async def test_a_turn_cancelled_while_its_save_is_written_leaves_cache_and_database_alike(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'state.db'}"
    async with sql_store(url) as store:
        await store.set(KEY, {"step": "s0"})
        saving = asyncio.create_task(store.set(KEY, {"step": "s1"}))
        await asyncio.sleep(0)  # the save is queued
        saving.cancel()
        assert (await store.get(KEY))["step"] == "s1"  # what is being written is what a read sees
        await store.journal.idle()
        assert (await store.get(KEY))["step"] == "s1"
    async with sql_store(url) as reopened:
        assert (await reopened.get(KEY))["step"] == "s1"


async def test_a_deleted_conversation_is_not_brought_back_by_a_save_still_queued(tmp_path):
    async with sql_store(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}") as store:
        saving = asyncio.create_task(store.set(KEY, {"step": "queued"}))
        await asyncio.sleep(0)
        await store.delete(KEY)
        await saving
        store._cache.clear()
        assert await store.get(KEY) is None


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
    await Resident(api, token, "two").replay(golden.steps()[:29])     # stops in part 4
    assert await api.app.state.services.runner.stops() == {1: 1, 4: 1}


async def test_the_sql_store_expires_old_conversations_from_its_cache_too(tmp_path):
    from datetime import timedelta

    from intake.models import utcnow

    async with sql_store(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}") as store:
        await store.set(KEY, {"step": "old"})
        assert (await store.get(KEY))["step"] == "old"  # now in the cache
        assert await store.expire(utcnow() - timedelta(days=1)) == 0
        assert await store.expire(utcnow() + timedelta(seconds=1), dry_run=True) == 1
        assert (await store.get(KEY))["step"] == "old"  # a dry run only counts
        assert await store.expire(utcnow() + timedelta(seconds=1)) == 1
        assert await store.get(KEY) is None  # not served from the cache afterwards
