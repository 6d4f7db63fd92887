"""Scale-out: two webhook workers sharing Redis and PostgreSQL serve one resident as one worker would."""
from __future__ import annotations

import asyncio

import pytest

from intake.crypto import Vault
from intake.database import create_engine
from intake.store.sql import SqlIntakeStore
from tests import golden
from tests.conftest import REDIS_URL, fresh_postgres_database, require_service
from tests.telegram.harness import TelegramResident, check_telegram_application
from tests.telegram.workers import Worker, comparable

SECRET_KEY = "test-secret-key"
ALONE, SHARED = 710001, 710002


def worker_settings(fake, tmp_path, *, runtime, database_url, redis_prefix, webhook_url):
    return {"var_dir": tmp_path / "var", "secret_key": SECRET_KEY, "database_url": database_url,
            "redis_url": REDIS_URL, "redis_prefix": redis_prefix, "telegram_token": fake.token,
            "telegram_api_base": fake.base_url, "bot_runtime": runtime, "webhook_url": webhook_url}


async def finished_intake(database_url, chat_id):
    engine = create_engine(database_url)
    try:
        intakes = SqlIntakeStore(engine, Vault(SECRET_KEY))
        [summary] = await intakes.list_for_user("telegram", str(chat_id))
        return await intakes.get(summary.id)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_two_workers_with_interleaved_and_repeated_updates_match_one_worker(tmp_path, fake, redis_prefix,
                                                                                  runtime):
    require_service("Redis", "127.0.0.1", 6379)
    hook = "/telegram/webhook"

    # One worker alone: the reference conversation.
    async with fresh_postgres_database() as database_url:
        alone = Worker(tmp_path, "alone")
        await alone.start(worker_settings(fake, tmp_path, runtime=runtime, database_url=database_url,
                                          redis_prefix=f"{redis_prefix}:a", webhook_url=alone.url + hook))
        try:
            await TelegramResident(fake, ALONE).replay(golden.steps())
        finally:
            await alone.stop()
        reference = await finished_intake(database_url, ALONE)

    # Two workers behind one public URL; the test plays the load balancer.
    async with fresh_postgres_database() as database_url:
        first, second = Worker(tmp_path, "first"), Worker(tmp_path, "second")
        settings = worker_settings(fake, tmp_path, runtime=runtime, database_url=database_url,
                                   redis_prefix=f"{redis_prefix}:b", webhook_url=first.url + hook)
        for worker in (first, second):
            await worker.start(settings)  # one after the other: the first migrates the database
        secret = fake.webhook["secret_token"]
        repeats = 0

        async def deliver(update, index):
            nonlocal repeats
            primary, other = (first, second) if index % 2 == 0 else (second, first)
            if index % 3 == 0:
                # The same update reaches both workers at once (Telegram resending after a timeout).
                statuses = await asyncio.gather(fake.post(update, primary.url + hook, secret),
                                                fake.post(update, other.url + hook, secret))
                repeats += 1
            else:
                statuses = [await fake.post(update, primary.url + hook, secret)]
            if index % 5 == 0:
                # And once more, late, after it was processed.
                statuses.append(await fake.post(update, other.url + hook, secret))
                repeats += 1
            assert set(statuses) == {200}
            return 200

        try:
            await TelegramResident(fake, SHARED, deliver=deliver).replay(golden.steps())
        finally:
            await first.stop()
            await second.stop()
        shared = await finished_intake(database_url, SHARED)

    assert repeats > 20
    # Every repeated delivery was recognised and skipped by whichever worker got it second.
    assert first.logged("already processed") + second.logged("already processed") == repeats
    assert first.logged("Traceback") == second.logged("Traceback") == 0
    check_telegram_application(shared.application)
    assert len(shared.attachments) == 2
    assert comparable(fake.transcript(SHARED), shared.id) == comparable(fake.transcript(ALONE), reference.id)
    # Each press was answered once, by the worker that processed it.
    presses = sum(1 for kind, _ in golden.steps() if kind == "option")
    answered = [c for c in fake.calls_to("answerCallbackQuery") if c.status == 200]
    assert len(answered) == 2 * presses
