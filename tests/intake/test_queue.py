"""Contract tests of the caseworker queue: SQL-backed and Redis Streams, each over SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from intake.errors import AlreadyClaimed, LeaseLost
from intake.models import AuditEntry, Intake, IntakeStatus
from intake.queue import EntryStatus, SqlQueue
from intake.queue.redis import RedisQueue
from tests.conftest import REDIS_URL, require_service
from tests.intake.conftest import urgency

S = IntakeStatus
LONG = timedelta(minutes=10)


@pytest.fixture(params=["sql", "redis"])
async def make_queue(request, store, redis_prefix):
    """A factory of queues on the backend under test, all sharing one store (and one key prefix)."""
    client = None
    if request.param == "redis":
        require_service("Redis", "127.0.0.1", 6379)
        client = Redis.from_url(REDIS_URL)
    made = []

    def make(lease: timedelta = LONG):
        queue = SqlQueue(store, lease=lease) if client is None else RedisQueue(store, client, prefix=redis_prefix, lease=lease)
        made.append(queue)
        return queue

    yield make
    for queue in made:
        await queue.close()
    if client is not None:
        keys = [key async for key in client.scan_iter(match=f"{redis_prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def submit(store, application, n: int = 1, urgent: bool = False):
    ids = []
    for _ in range(n):
        ids.append(await store.submit(urgency(application(), urgent), channel="web", user_id="u", locale="zh"))
    return ids


class TestQueue:
    async def test_urgent_first_then_oldest(self, make_queue, store, application):
        queue = make_queue()
        a = (await submit(store, application))[0]
        b = (await submit(store, application, urgent=True))[0]
        c = (await submit(store, application))[0]
        d = (await submit(store, application, urgent=True))[0]
        assert await queue.relay() == 4
        assert await queue.relay() == 0
        order = [(await queue.claim_next(f"cw{i}")).intake_id for i in range(4)]
        assert order == [b, d, a, c]
        assert await queue.claim_next("cw9") is None

    async def test_a_chosen_intake_is_claimed_and_skipped_by_claim_next(self, make_queue, store, application):
        queue = make_queue()
        first, second = await submit(store, application, 2)
        await queue.relay()
        chosen = await queue.claim(second, worker="li")
        assert (chosen.intake_id, chosen.worker) == (second, "li")
        with pytest.raises(AlreadyClaimed):
            await queue.claim(second, worker="zhao")
        assert (await queue.claim_next("zhao")).intake_id == first
        assert await queue.claim_next("wang") is None  # the chosen one is held, whatever its queue message
        await store.accept(second, actor="li")
        assert await queue.ack(second)
        assert await queue.claim_next("wang") is None
        # a decided intake is held to follow it up, never handed out as queue work
        held = await queue.claim(second, worker="wang")
        assert held.intake_id == second and (await store.get(second)).status is S.ACCEPTED
        await store.close_intake(second, actor="wang", reason="已办结")
        assert await queue.claim_next("wang") is None

    async def test_lease_expiry_returns_the_intake(self, make_queue, store, application):
        queue = make_queue(lease=timedelta(milliseconds=300))
        [intake_id] = await submit(store, application)
        await queue.relay()
        first = await queue.claim_next("li")
        assert (first.intake_id, first.attempts, first.status) == (intake_id, 1, EntryStatus.LEASED)
        assert await queue.claim_next("zhao") is None
        await asyncio.sleep(0.45)
        second = await queue.claim_next("zhao")
        assert (second.intake_id, second.worker, second.attempts) == (intake_id, "zhao", 2)
        with pytest.raises(AlreadyClaimed):
            await store.accept(intake_id, actor="li")
        with pytest.raises(LeaseLost):
            await queue.extend(intake_id, worker="li")
        await store.accept(intake_id, actor="zhao")
        assert await queue.ack(intake_id)

    async def test_release_returns_it_in_its_old_place(self, make_queue, store, application):
        queue = make_queue()
        older, newer = await submit(store, application, 2)
        await queue.relay()
        assert (await queue.claim_next("li")).intake_id == older
        await queue.release(older, worker="li", reason="需要组长意见")
        again = await queue.claim_next("zhao")
        assert (again.intake_id, again.attempts) == (older, 2)
        assert (await queue.claim_next("wang")).intake_id == newer
        audit = (await store.get(older)).audit
        assert [(a.actor, a.to_status, a.reason) for a in audit][-2:] == [("li", S.SUBMITTED, "需要组长意见"), ("zhao", S.CLAIMED, None)]

    async def test_extending_keeps_the_lease(self, make_queue, store, application):
        queue = make_queue(lease=timedelta(milliseconds=500))
        [intake_id] = await submit(store, application)
        await queue.relay()
        entry = await queue.claim_next("li")
        await asyncio.sleep(0.3)
        deadline = await queue.extend(intake_id, worker="li")
        assert deadline > entry.lease_until
        await asyncio.sleep(0.3)  # past the first deadline, within the second
        assert await queue.claim_next("zhao") is None
        await asyncio.sleep(0.4)
        assert (await queue.claim_next("zhao")).intake_id == intake_id

    async def test_a_decided_intake_is_not_handed_out_again(self, make_queue, store, application):
        queue = make_queue(lease=timedelta(milliseconds=200))
        [intake_id] = await submit(store, application)
        await queue.relay()
        await queue.claim_next("li")
        assert not await queue.ack(intake_id)  # still held: nothing dropped
        await store.request_more_info(intake_id, ["income.wages"], actor="li", message="请补充工资收入")
        assert await queue.ack(intake_id)
        await asyncio.sleep(0.3)
        assert await queue.claim_next("zhao") is None
        await store.return_more_info(intake_id, {"income.wages": {"amount": 30000, "estimated": False}})
        await queue.relay()
        back = await queue.claim_next("zhao")
        assert (back.intake_id, back.attempts) == (intake_id, 2)

    async def test_burst_worker_handles_everything_once(self, make_queue, store, application):
        queue = make_queue()
        ids = await submit(store, application, 5)
        await queue.relay()
        seen = []

        async def decide(entry):
            seen.append(entry.intake_id)
            await store.accept(entry.intake_id, actor=entry.worker)

        assert await queue.work("li", decide, burst=True) == 5
        assert sorted(seen) == ids
        assert await queue.depth() == 0
        assert {(await store.get(i)).status for i in ids} == {S.ACCEPTED}

    async def test_worker_releases_what_it_fails_on(self, make_queue, store, application):
        queue = make_queue(lease=timedelta(milliseconds=300))
        [intake_id] = await submit(store, application)
        await queue.relay()

        async def fail(entry):
            raise RuntimeError("console crashed")

        with pytest.raises(RuntimeError):
            await queue.work("li", fail, burst=True)
        assert (await store.get(intake_id)).status is S.SUBMITTED

        async def hold(entry):
            return None  # e.g. waiting for the resident to pick up the phone

        assert await queue.work("zhao", hold, burst=True) == 0
        record = await store.get(intake_id)
        assert (record.status, record.claimed_by, record.attempts) == (S.CLAIMED, "zhao", 2)
        await asyncio.sleep(0.45)
        assert (await queue.claim_next("wang")).intake_id == intake_id

    async def test_fifty_workers_over_500_intakes(self, make_queue, store, engine, application):
        # fifty workers race for every claim from the first to the last: ten intakes each is contention
        # enough (the queue's throughput is measured in tests/bench/bench_queue.py)
        queue = make_queue()
        small = {"consent": True, "applicant": {"name": "王五", "id_number": "110101199003074477"}}

        async def add(n: int) -> None:
            for _ in range(n):
                await store.submit(dict(small), channel="web", user_id="u", locale="zh")

        await asyncio.gather(*(add(25) for _ in range(20)))
        assert await queue.relay() == 500
        handled: Counter[int] = Counter()
        by_worker: Counter[str] = Counter()

        async def decide(entry):
            handled[entry.intake_id] += 1
            by_worker[entry.worker] += 1
            await store.accept(entry.intake_id, actor=entry.worker)

        totals = await asyncio.gather(*(queue.work(f"cw{i:02d}", decide, burst=True) for i in range(50)))
        assert sum(totals) == 500
        assert len(handled) == 500 and set(handled.values()) == {1}
        assert len(by_worker) > 1  # the work was actually shared
        async with engine.connect() as conn:
            claims = (await conn.execute(select(func.count()).where(AuditEntry.to_status == "claimed"))).scalar_one()
            accepted = (await conn.execute(select(func.count()).where(Intake.status == "accepted"))).scalar_one()
        assert (claims, accepted) == (500, 500)

