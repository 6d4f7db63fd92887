"""Two `shanqiao worker` processes: only the lease holder polls Telegram, and killing it hands polling over."""
from __future__ import annotations

import asyncio
import subprocess
import time

from redis.asyncio import Redis

from intake.keys import redis_key
from tests.conftest import REDIS_URL, fresh_postgres_database, require_service, seed_index
from tests.telegram.workers import SHANQIAO, Worker

SECRET_KEY = "test-secret-key"
CHAT = 730001
HANDOVER_SECONDS = 10


async def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.1)


async def test_two_workers_never_poll_at_once_and_a_killed_leader_hands_over(tmp_path, fake, redis_prefix):
    require_service("Redis", "127.0.0.1", 6379)
    redis = Redis.from_url(REDIS_URL)
    lease_key = redis_key(redis_prefix, "telegram", fake.bot_id, "poller")
    async with fresh_postgres_database() as database_url:
        settings = {"var_dir": seed_index(tmp_path / "var"), "secret_key": SECRET_KEY, "database_url": database_url,
                    "redis_url": REDIS_URL, "redis_prefix": redis_prefix, "telegram_token": fake.token,
                    "telegram_api_base": fake.base_url}
        env = {f"SHANQIAO_{k.upper()}": str(v) for k, v in settings.items()}
        subprocess.run([SHANQIAO, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=tmp_path)
        workers = {name: Worker(tmp_path, name, command=("worker",)) for name in ("one", "two")}
        try:
            await asyncio.gather(*(w.start(settings) for w in workers.values()))

            async def answered(count: int):
                async def check() -> bool:
                    return sum(e.who == "bot" for e in fake.transcript(CHAT)) >= count
                return check

            await fake.push(fake.text(CHAT, "你好"))
            await wait_for(await answered(1), 60, "nobody answered the first message")
            # both processes run for a while: several long polls, each by the lease holder alone
            await asyncio.sleep(6)
            holder = (await redis.get(lease_key)).decode()
            leader_pid = int(holder.split(":")[1])
            [leader] = [w for w in workers.values() if w.process.pid == leader_pid]
            [follower] = [w for w in workers.values() if w is not leader]
            before = len(fake.calls_to("getUpdates"))

            killed_at = time.monotonic()
            leader.kill()
            await leader.process.wait()

            async def polled_again() -> bool:
                return any(c.at > killed_at for c in fake.calls_to("getUpdates"))

            await wait_for(polled_again, 30, "nobody polls after the leader died")
            handover = min(c.at for c in fake.calls_to("getUpdates") if c.at > killed_at) - killed_at
            assert (await redis.get(lease_key)).decode().split(":")[1] == str(follower.process.pid)

            shown = sum(e.who == "bot" for e in fake.transcript(CHAT))
            await fake.push(fake.text(CHAT, "What is rigid spending?"))
            await wait_for(await answered(shown + 1), 60, "the new leader did not answer")

            # a graceful stop lets the lease go at once
            await follower.stop()
            assert follower.process.returncode == 0
            assert await redis.get(lease_key) is None
        finally:
            for worker in workers.values():
                await worker.stop()
            await redis.aclose()

    assert before >= 2
    assert handover < HANDOVER_SECONDS, f"polling resumed {handover:.1f}s after the leader died"
    assert fake.overlapping("getUpdates") == []
    assert follower.logged("Traceback") == 0
