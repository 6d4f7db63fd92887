"""Load test: many simulated residents doing whole applications against the deployed topology.

`shanqiao serve --workers 2` and `shanqiao worker` on PostgreSQL and Redis, each a process of its own.
Every resident sends the golden application (with a policy question after every fifth answer and
two receipt uploads), thinking between messages; the answer must come before the next message
(a closed loop, as a person does). The same residents then call the trivial endpoint `/livez` with
the same think time, so both figures come from one run on one machine.

Printed: offered and served turns/s, p50/p95/p99 per turn, the same for `/livez`, 5xx count, lost
answers (a message never answered, even after resends), duplicate intakes and intakes a resident was
told of but the database lacks (checked in PostgreSQL at the end), and Redis memory per open
conversation. The client runs on the same machine and takes CPU from the server; the load average
is printed with the figures.

    .venv/bin/python -m tests.bench.bench_load --residents 1000 --think 6

The application phase lasts long enough for every resident to finish (`--seconds` defaults to the
steps of one application times the longest think time and an allowance for each answer, plus the
arrival spread); it ends as soon as the last resident has confirmed. A shorter `--seconds` is refused: residents cut off half way would
measure nothing about filing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import asyncpg
from redis.asyncio import Redis
from sqlalchemy import func, select

from intake.crypto import Vault
from intake.database import create_engine
from intake.models import Intake
from intake.store.sql import SqlIntakeStore
from tests import golden
from tests.bench.bench_chat import percentile, with_questions
from tests.telegram.workers import SHANQIAO, Worker

SECRET_KEY = "bench-load-secret"
PG_ADMIN = os.environ.get("SHANQIAO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SHANQIAO_BENCH_REDIS", "redis://127.0.0.1:6379/0")
ATTEMPTS = 3  # a message is sent at most this often (same message_id) before it counts as lost
ANSWER_ALLOWANCE = 2.0  # seconds a message may take to be answered, in the default length of the run


@dataclass
class Tally:
    """What the clients saw."""

    sent: int = 0
    served: list[float] = field(default_factory=list)
    errors_5xx: int = 0
    unavailable_503: int = 0
    busy_409: int = 0
    dropped: int = 0  # connection lost or timed out
    lost: int = 0  # never answered after ATTEMPTS sends
    resends: int = 0


class Resident:
    def __init__(self, session: aiohttp.ClientSession, url: str, token: str, n: int, think: float,
                 tally: Tally) -> None:
        self.session, self.url, self.think, self.tally = session, url, think, tally
        self.headers = {"Authorization": f"Bearer {token}"}
        self.user = f"load-{n}"
        self.intake_id: int | None = None
        self.steps = with_questions(golden.steps())
        self.done = 0

    async def pause(self) -> None:
        await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)

    async def send(self, index: int, kind: str, value: str) -> bool:
        message_id = f"{self.user}-{index}"
        for attempt in range(ATTEMPTS):
            if attempt:
                self.tally.resends += 1
                await asyncio.sleep(1.0)
            call = golden.post_step(self.session, f"{self.url}/api/chat/load/{self.user}", self.headers, kind, value,
                                    message_id)
            self.tally.sent += 1
            started = time.perf_counter()
            try:
                async with call as response:
                    body = await response.read()
                    if response.status == 200:
                        self.tally.served.append(time.perf_counter() - started)
                        self.intake_id = json.loads(body)["state"]["intake_id"] or self.intake_id
                        return True
                    if response.status >= 500:
                        self.tally.errors_5xx += 1
                        self.tally.unavailable_503 += response.status == 503
                    elif response.status == 409:
                        self.tally.busy_409 += 1
                    else:
                        raise RuntimeError(f"{response.status}: {body[:300]!r}")
            except (aiohttp.ClientError, asyncio.TimeoutError):
                self.tally.dropped += 1
        self.tally.lost += 1
        return False

    async def apply(self, until: float) -> None:
        await asyncio.sleep(random.uniform(0, self.think))  # residents arrive spread over one think time
        for index, (kind, value) in enumerate(self.steps):
            if time.monotonic() > until:
                return
            if not await self.send(index, kind, value):
                return  # unanswered three times: this resident gives up for now
            self.done += 1
            await self.pause()

    async def probe(self, until: float, times: list[float], failures: list[int]) -> None:
        await asyncio.sleep(random.uniform(0, self.think))
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                async with self.session.get(f"{self.url}/livez") as response:
                    await response.read()
                    if response.status == 200:
                        times.append(time.perf_counter() - started)
                    else:
                        failures[0] += 1
            except (aiohttp.ClientError, asyncio.TimeoutError):
                failures[0] += 1
            await self.pause()


async def redis_memory(redis: Redis, prefix: str) -> tuple[int, int]:
    """(bytes held by every key of this run, open conversations) from MEMORY USAGE per key."""
    total, conversations = 0, 0
    async for key in redis.scan_iter(match=f"{prefix}:*", count=1000):
        total += await redis.memory_usage(key) or 0
        conversations += key.startswith(f"{prefix}:state:".encode())
    return total, conversations


def ms(values: list[float], share: float) -> str:
    return f"{percentile(values, share) * 1000:7.1f}"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=1000)
    parser.add_argument("--think", type=float, default=6.0, help="mean seconds between an answer and the next message")
    parser.add_argument("--seconds", type=float, default=None,
                        help="longest application phase (default: long enough for every resident to finish)")
    parser.add_argument("--probe-seconds", type=float, default=60.0, help="length of the /livez phase")
    args = parser.parse_args()
    steps = len(with_questions(golden.steps()))
    # each pause is 0.5-1.5 think times and arrivals spread over one: the least a resident may need
    needed = (steps * 1.5 + 1) * args.think
    if args.seconds is None:
        # and each answer takes time too (ANSWER_ALLOWANCE a message); the phase ends when the last resident is done
        args.seconds = needed + steps * ANSWER_ALLOWANCE
    elif args.seconds < needed:
        parser.error(f"--seconds {args.seconds:g} is too short for {steps} messages at --think {args.think:g} "
                     f"(needs about {needed:.0f} s): residents would stop half way and file nothing")

    database = f"shanqiao_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'CREATE DATABASE "{database}"')
    await admin.close()
    database_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"
    prefix = f"bench-load-{uuid.uuid4().hex[:8]}"
    redis = Redis.from_url(REDIS_URL)
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        settings = {"var_dir": workdir / "var", "secret_key": SECRET_KEY, "database_url": database_url,
                    "redis_url": REDIS_URL, "redis_prefix": prefix}
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("SHANQIAO_")},
               **{f"SHANQIAO_{k.upper()}": str(v) for k, v in settings.items()}}
        subprocess.run([SHANQIAO, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=workdir)
        token = subprocess.run([SHANQIAO, "channels", "add", "load"], env=env, check=True, capture_output=True,
                               text=True, cwd=workdir).stdout.strip().splitlines()[-1]
        web = Worker(workdir, "web", command=("serve", "--workers", "2"))
        worker = Worker(workdir, "worker", command=("worker",))
        await asyncio.gather(web.start(settings, timeout=300), worker.start(settings, timeout=300))
        tally, livez, livez_failed = Tally(), [], [0]
        timeout = aiohttp.ClientTimeout(total=60)
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.residents),
                                             timeout=timeout) as session:
                residents = [Resident(session, web.url, token, n, args.think, tally) for n in range(args.residents)]
                load_before = os.getloadavg()
                started = time.monotonic()
                await asyncio.gather(*(r.apply(started + args.seconds) for r in residents))
                elapsed = time.monotonic() - started
                load_during = os.getloadavg()
                memory, conversations = await redis_memory(redis, prefix)
                probe_started = time.monotonic()
                await asyncio.gather(*(r.probe(probe_started + args.probe_seconds, livez, livez_failed)
                                       for r in residents))
                probe_elapsed = time.monotonic() - probe_started
        finally:
            await worker.stop()
            await web.stop()

        engine = create_engine(database_url)
        try:
            store = SqlIntakeStore(engine, Vault(SECRET_KEY))
            async with engine.connect() as conn:
                per_user = (await conn.execute(select(Intake.user_key, func.count()).group_by(Intake.user_key))).all()
                intakes = sum(count for _, count in per_user)
            duplicates = sum(count - 1 for _, count in per_user if count > 1)
            told = [r for r in residents if r.intake_id is not None]
            missing = 0
            for resident in told:
                mine = await store.list_for_user("api:load", resident.user)
                missing += resident.intake_id not in {m.id for m in mine}
        finally:
            await engine.dispose()
    finally:
        keys = [k async for k in redis.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await redis.delete(*keys[start:start + 1000])
        await redis.aclose()
        admin = await asyncpg.connect(PG_ADMIN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
        logs = [workdir / "web.log", workdir / "worker.log"]
        tracebacks = sum(p.read_text().count("Traceback") for p in logs if p.exists())
        unavailable = sum(p.read_text().count("unavailable") for p in logs if p.exists())
        if not tracebacks and not unavailable:
            shutil.rmtree(workdir, ignore_errors=True)

    served = len(tally.served)
    print(f"residents {args.residents}, think {args.think:.1f} s (x0.5-1.5), application phase {elapsed:.0f} s, "
          f"/livez phase {probe_elapsed:.0f} s; serve --workers 2 + worker on PostgreSQL + Redis, "
          f"{os.cpu_count()} cores")
    print(f"load average before {load_before[0]:.1f}, at the end of the application phase {load_during[0]:.1f} "
          f"(the machine is shared)")
    print(f"chat turns   offered {tally.sent / elapsed:7.1f}/s  served {served / elapsed:7.1f}/s  "
          f"p50 {ms(tally.served, .50)} ms  p95 {ms(tally.served, .95)} ms  p99 {ms(tally.served, .99)} ms")
    print(f"/livez       offered {(len(livez) + livez_failed[0]) / probe_elapsed:7.1f}/s  "
          f"served {len(livez) / probe_elapsed:7.1f}/s  p50 {ms(livez, .50)} ms  p95 {ms(livez, .95)} ms  "
          f"p99 {ms(livez, .99)} ms  failed {livez_failed[0]}")
    print(f"p99 ratio chat turn / livez: {percentile(tally.served, .99) / percentile(livez, .99):.1f}")
    print(f"5xx {tally.errors_5xx} (503 {tally.unavailable_503}), 409 busy {tally.busy_409}, "
          f"connections dropped or timed out {tally.dropped}, resends {tally.resends}, "
          f"lost answers {tally.lost}")
    print(f"applications filed {intakes} (intakes in PostgreSQL) for {args.residents} residents; "
          f"{len(told)} residents were told their intake number; messages answered "
          f"{sum(r.done for r in residents)} of {args.residents * steps}; duplicate intakes {duplicates}, "
          f"told but missing {missing}")
    if len(told) < args.residents:
        print(f"WARNING: {args.residents - len(told)} residents did not finish their application")
    print(f"server logs: {tracebacks} tracebacks, {unavailable} 'unavailable' warnings"
          + (f" (kept in {workdir})" if tracebacks or unavailable else ""))
    per = memory / conversations if conversations else float("nan")
    print(f"Redis: {memory / 1024:.0f} KiB in {conversations} open conversations' keys, "
          f"{per / 1024:.1f} KiB per conversation (MEMORY USAGE of every key of the run)")


if __name__ == "__main__":
    asyncio.run(main())
