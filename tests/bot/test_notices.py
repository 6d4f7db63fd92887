"""Notices are kept until delivered: a failed attempt is retried with growing pauses, and each notice
reaches its resident once, even with two delivery loops at work."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.notices import BACKOFF, MAX_ATTEMPTS, NoticeOutbox
from bot.notifiers import Notifiers, RedisMailbox, SqlMailbox
from dialogs.messages import Option, Reply
from intake.crypto import Vault
from intake.database import create_engine, migrate
from intake.models import utcnow
from tests.conftest import fresh_postgres_database

VAULT = Vault("test-secret-key")
NOTICE = [Reply("您的申请（编号 7）已受理。"), Reply("还有问题吗？", (Option("查看进度", "status"),))]


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def test_a_notice_that_fails_during_a_redis_outage_is_delivered_once_afterwards(database_url, redis_url,
                                                                                    redis_prefix):
    engine = create_engine(database_url)
    await migrate(engine)
    clock = Clock()
    outbox = NoticeOutbox(engine, vault=VAULT, clock=clock)
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)  # nothing listens there
    up = Redis.from_url(redis_url)
    try:
        during_outage = Notifiers(RedisMailbox(down, vault=VAULT, prefix=redis_prefix))
        mailbox = RedisMailbox(up, vault=VAULT, prefix=redis_prefix)
        after = Notifiers(mailbox)

        assert await outbox.send(channel="api:partner", user_id="u7", replies=NOTICE, notifier=during_outage,
                                 intake_id=None) is False
        assert await outbox.waiting() == 1
        # not due before its pause is over, whatever the loop finds
        assert await outbox.deliver_due(after) == 0
        clock.advance(BACKOFF[0] - 0.5)
        assert await outbox.deliver_due(after) == 0
        clock.advance(1)
        assert await outbox.deliver_due(after) == 1
        assert await mailbox.collect("api:partner", "u7") == NOTICE
        clock.advance(3600)
        assert await outbox.deliver_due(after) == 0
        assert await mailbox.collect("api:partner", "u7") == []
        assert await outbox.waiting() == 0
    finally:
        await down.aclose()
        await up.aclose()
        await engine.dispose()


async def test_pauses_grow_and_a_notice_is_given_up_after_the_last_attempt(sqlite_url):
    engine = create_engine(sqlite_url)
    await migrate(engine)
    clock = Clock()
    outbox = NoticeOutbox(engine, vault=VAULT, clock=clock)

    class Refusing(Notifiers):
        async def notify(self, *, channel, user_id, replies):
            return False  # e.g. a resident who blocked the bot

    refusing = Refusing(SqlMailbox(engine, vault=VAULT))
    try:
        await outbox.send(channel="telegram", user_id="42", replies=NOTICE, notifier=refusing)
        expected = [*BACKOFF, *[BACKOFF[-1]] * (MAX_ATTEMPTS - 1 - len(BACKOFF))]  # the first attempt was at once
        for pause in expected:
            clock.advance(pause - 0.5)
            assert await outbox.take_due() == []
            clock.advance(1)
            [notice] = await outbox.take_due()
            await outbox.attempt(notice, refusing)
        assert notice.attempts == MAX_ATTEMPTS
        assert await outbox.waiting() == 0
        clock.advance(86400)
        assert await outbox.take_due() == []
    finally:
        await engine.dispose()


async def test_two_delivery_loops_deliver_each_notice_exactly_once():
    async with fresh_postgres_database() as url:
        engine = create_engine(url)
        await migrate(engine)
        clock = Clock()
        first, second = NoticeOutbox(engine, vault=VAULT, clock=clock), NoticeOutbox(engine, vault=VAULT, clock=clock)
        down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
        mailbox = SqlMailbox(engine, vault=VAULT)
        try:
            failing = Notifiers(RedisMailbox(down, vault=VAULT))
            for n in range(60):
                await first.send(channel="api:partner", user_id=f"r{n}", replies=[Reply(f"notice {n}")],
                                 notifier=failing)
            clock.advance(BACKOFF[0] + 1)
            delivered = await asyncio.gather(first.deliver_due(Notifiers(mailbox)),
                                             second.deliver_due(Notifiers(mailbox)))
            assert sum(delivered) == 60
            for n in range(60):
                assert await mailbox.collect("api:partner", f"r{n}") == [Reply(f"notice {n}")]
            assert await first.waiting() == 0
        finally:
            await down.aclose()
            await engine.dispose()


async def hands_over_at_once_and_from_another_process_within_a_second(web, worker, now: list[float]) -> None:
    """`web` and `worker` are two processes' mailboxes on one store; `now` is their clock."""
    assert await web.collect("web", "v1") == []  # reads who has mail
    await web.notify(channel="web", user_id="v1", replies=NOTICE[:1])
    assert await web.collect("web", "v1") == NOTICE[:1]
    assert await web.collect("web", "v1") == []
    await worker.notify(channel="web", user_id="v1", replies=NOTICE)  # e.g. a notice retried by the worker
    now[0] += 0.5
    assert await web.collect("web", "v1") == []  # not read again yet
    now[0] += 0.5
    assert await web.collect("web", "v1") == NOTICE
    assert await worker.collect("web", "v1") == []  # handed over once
    await worker.notify(channel="web", user_id="v3", replies=NOTICE[:1])
    assert await web.collect("web", "v3") == []  # not read again yet
    assert await web.collect("web", "v3", fresh=True) == NOTICE[:1]  # a conversation moving asks the store itself


async def test_the_sql_mailbox_hands_over_messages_of_this_process_at_once_and_of_another_within_a_second(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'mail.db'}")
    await migrate(engine)
    now = [100.0]
    web, worker = (SqlMailbox(engine, vault=VAULT, clock=lambda: now[0]) for _ in range(2))
    try:
        await hands_over_at_once_and_from_another_process_within_a_second(web, worker, now)
    finally:
        await engine.dispose()


async def test_the_redis_mailbox_hands_over_messages_of_this_process_at_once_and_of_another_within_a_second(
        redis_url, redis_prefix):
    now, wall = [100.0], [1_000_000.0]
    redis = Redis.from_url(redis_url)
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)  # nothing listens there
    web, worker = (RedisMailbox(redis, vault=VAULT, prefix=redis_prefix, clock=lambda: now[0],
                                wall_clock=lambda: wall[0]) for _ in range(2))
    try:
        await hands_over_at_once_and_from_another_process_within_a_second(web, worker, now)
        # another machine's clock a few seconds behind: its message is still found
        wall[0] -= 5
        await worker.notify(channel="web", user_id="v2", replies=NOTICE[:1])
        now[0] += 1
        assert await web.collect("web", "v2") == NOTICE[:1]
        # a quiet minute and then a read that fails: what was written early in that minute is still found
        await worker.notify(channel="web", user_id="v4", replies=NOTICE[:1])
        wall[0] += 100
        now[0] += 100
        web.redis, up = down, web.redis
        with pytest.raises((RedisConnectionError, OSError)):
            await web.collect("web", "v4")
        web.redis = up
        wall[0] += 1
        assert await web.collect("web", "v4") == NOTICE[:1]
        assert await redis.zcard(f"{redis_prefix}:mailbox-waiting") == 0  # nothing is left named as waiting
    finally:
        await redis.aclose()
        await down.aclose()
