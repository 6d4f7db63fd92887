"""Caseworker queue throughput: claims + decisions per second on every backend, in one run.

Run: .venv/bin/python -m tests.bench.bench_queue [--intakes 600] [--workers 1,20] [--rounds 2]
Needs PostgreSQL (SHANQIAO_TEST_PG) and Redis (SHANQIAO_TEST_REDIS) on 127.0.0.1; a backend
whose service is down is reported and skipped. One decision = claim_next (lease) + accept
(conditional update + audit row) + ack, as the console does it. For scale, the same database's
rate of bare one-row INSERT transactions is printed beside it: "txn-equivalents" says how many
of those one decision costs.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import text

from intake.crypto import Vault
from intake.database import create_engine, migrate
from intake.queue import BaseQueue, SqlQueue
from intake.queue.redis import RedisQueue
from intake.store import SqlIntakeStore
from tests.conftest import REDIS_URL, _reachable, fresh_postgres_database

APPLICATION = {"consent": True, "applicant": {"name": "王五", "id_number": "110101199003074477", "phone": "+8613800138000"}}


@asynccontextmanager
async def sqlite_url() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"


async def insert_rate(engine, seconds: float = 1.0) -> float:
    """Bare one-row INSERT transactions per second, one after another."""
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE bench_rows (v INTEGER NOT NULL)"))
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO bench_rows (v) VALUES (:v)"), {"v": done})
        done += 1
    return done / (time.perf_counter() - start)


async def decide_all(queue: BaseQueue, store: SqlIntakeStore, workers: int) -> tuple[int, float]:
    async def decide(entry) -> None:
        await store.accept(entry.intake_id, actor=entry.worker)

    start = time.perf_counter()
    totals = await asyncio.gather(*(queue.work(f"cw{i}", decide, burst=True) for i in range(workers)))
    return sum(totals), time.perf_counter() - start


async def run_backend(name: str, url: str, make_queue: Callable[[SqlIntakeStore], BaseQueue], args) -> dict[str, float]:
    engine = create_engine(url)
    await migrate(engine)
    store = SqlIntakeStore(engine, Vault("bench"))
    queue = make_queue(store)
    figures: dict[str, float] = {"insert_txn/s": await insert_rate(engine)}
    try:
        for workers in args.workers:
            # best of several rounds: the figure a quiet machine would show, not a neighbour's noise
            for _ in range(args.rounds):
                start = time.perf_counter()
                for _ in range(args.intakes):
                    await store.submit(dict(APPLICATION), channel="web", user_id="bench", locale="zh")
                submitted = args.intakes / (time.perf_counter() - start)
                figures["submit/s"] = max(figures.get("submit/s", 0.0), submitted)
                await queue.relay()
                gc.collect()
                done, elapsed = await decide_all(queue, store, workers)
                assert done == args.intakes, (name, done)
                key = f"decisions/s x{workers}"
                figures[key] = max(figures.get(key, 0.0), done / elapsed)
    finally:
        await queue.close()
        await engine.dispose()
    return figures


async def main(args) -> None:
    redis_up = _reachable("127.0.0.1", 6379)
    pg_up = _reachable("127.0.0.1", 5432)
    lease = timedelta(minutes=10)
    results: dict[str, dict[str, float]] = {}

    async with sqlite_url() as url:
        results["sql queue / SQLite"] = await run_backend("sqlite", url, lambda s: SqlQueue(s, lease=lease), args)
    if pg_up:
        async with fresh_postgres_database() as url:
            results["sql queue / PostgreSQL"] = await run_backend("pg", url, lambda s: SqlQueue(s, lease=lease), args)
    if redis_up:
        client = Redis.from_url(REDIS_URL)
        prefix = f"shanqiao-bench:{uuid.uuid4().hex[:8]}"
        try:
            targets = [("redis queue / SQLite", "sqlite", sqlite_url())]
            if pg_up:
                targets.append(("redis queue / PostgreSQL", "pg", fresh_postgres_database()))
            for label, tag, database in targets:
                async with database as url:
                    results[label] = await run_backend(
                        label, url, lambda s: RedisQueue(s, client, prefix=f"{prefix}:{tag}", lease=lease), args
                    )
        finally:
            keys = [k async for k in client.scan_iter(match=f"{prefix}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"claims + decisions ({args.intakes} intakes per run, best of {args.rounds}; claim_next + accept + ack;"
          f" load average {load})")
    base = results["sql queue / SQLite"]
    columns = [f"decisions/s x{w}" for w in args.workers]
    print(f"{'backend':28} {'insert txn/s':>13} {'submit/s':>9} " + " ".join(f"{c:>18}" for c in columns)
          + f" {'vs SQL/SQLite':>14} {'txn-equivalents':>16}")
    for label, figures in results.items():
        best = figures[columns[-1]]
        print(f"{label:28} {figures['insert_txn/s']:13.0f} {figures['submit/s']:9.0f} "
              + " ".join(f"{figures[c]:18.0f}" for c in columns)
              + f" {best / base[columns[-1]]:14.2f} {figures['insert_txn/s'] / best:16.1f}")
    if not pg_up:
        print("PostgreSQL is not running on 127.0.0.1:5432: its rows are missing")
    if not redis_up:
        print("Redis is not running on 127.0.0.1:6379: its rows are missing")


def parse(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=600)
    parser.add_argument("--workers", type=lambda s: [int(w) for w in s.split(",")], default=[1, 20])
    parser.add_argument("--rounds", type=int, default=2)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
