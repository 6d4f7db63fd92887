"""Killing the bot process mid-application loses nothing: a new process continues at the same step."""
from __future__ import annotations

import pytest

from intake.crypto import Vault
from intake.database import create_engine
from intake.store.sql import SqlIntakeStore
from tests import golden
from tests.conftest import REDIS_URL, require_service
from tests.telegram.harness import TelegramResident, check_telegram_application, running_bot
from tests.telegram.workers import Worker, comparable

SECRET_KEY = "test-secret-key"
REFERENCE, RESTARTED = 720001, 720002
KILL_AT = 20  # the resident has answered the household questions up to here


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_a_killed_bot_continues_at_the_same_step(tmp_path, fake, redis_prefix, runtime):
    require_service("Redis", "127.0.0.1", 6379)
    steps = golden.steps()
    async with running_bot(tmp_path / "reference", fake, runtime=runtime, mode="webhook") as app:
        await TelegramResident(fake, REFERENCE).replay(steps)
        [reference] = await app.state.services.intakes.list_for_user("telegram", str(REFERENCE))
    fake.webhook = None  # the reference bot's webhook; the worker below polls

    settings = {"var_dir": tmp_path / "var", "secret_key": SECRET_KEY, "redis_url": REDIS_URL,
                "redis_prefix": redis_prefix, "telegram_token": fake.token, "telegram_api_base": fake.base_url,
                "bot_runtime": runtime}
    resident = TelegramResident(fake, RESTARTED)
    worker = Worker(tmp_path, "before")
    await worker.start(settings)
    try:
        await resident.replay(steps[:KILL_AT])
    finally:
        worker.kill()
        await worker.process.wait()

    # The resident answers while no bot is running; Telegram keeps the update.
    since = len(fake.calls)
    kind, value = steps[KILL_AT]
    waiting = fake.text(RESTARTED, value) if kind == "text" else fake.press(RESTARTED, value)
    await fake.push(waiting)

    worker = Worker(tmp_path, "after")
    await worker.start(settings)
    try:
        await fake.settle(RESTARTED, since=since, update_id=waiting["update_id"], timeout=30)
        await resident.replay(steps[KILL_AT + 1:])
    finally:
        await worker.stop()

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'shanqiao.db'}")
    try:
        intakes = SqlIntakeStore(engine, Vault(SECRET_KEY))
        [summary] = await intakes.list_for_user("telegram", str(RESTARTED))
        record = await intakes.get(summary.id)
    finally:
        await engine.dispose()
    check_telegram_application(record.application)
    assert worker.logged("Traceback") == 0
    assert comparable(fake.transcript(RESTARTED), summary.id) == comparable(fake.transcript(REFERENCE), reference.id)
