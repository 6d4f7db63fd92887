"""Chat throughput: the engine alone, then HTTP chat turns against a trivial endpoint of the same server.

Run: .venv/bin/python -m tests.bench.bench_chat [--seconds 5] [--concurrency 32]
The server runs in its own process (uvicorn, one worker); the load comes from this process.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date

import aiohttp

from dialogs.engine import Context, handle
from dialogs.messages import Inbound
from knowledge.params import load_params
from tests import golden

# the golden answers up to the receipts: every turn is a real step (state load, engine, state save)
STEPS = [(kind, value) for kind, value in golden.steps()[:35] if kind != "file"]


def inbound(kind: str, value: str) -> Inbound:
    return Inbound(text=value) if kind == "text" else Inbound(option=value)


def bench_engine(seconds: float) -> float:
    ctx = Context(today=date.today(), districts=load_params().city_districts)
    messages = [inbound(k, v) for k, v in STEPS]
    turns, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        state = None
        for message in messages:
            state = handle(state, message, ctx).state
        turns += len(messages)
    return turns / (time.perf_counter() - started)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    cli = [sys.executable, "-m", "bot.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


async def load(url: str, seconds: float, concurrency: int, make_request) -> float:
    """Requests per second with `concurrency` clients for `seconds`."""
    done = 0
    deadline = time.perf_counter() + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def client(n: int) -> None:
            nonlocal done
            requests = make_request(n)
            while time.perf_counter() < deadline:
                method, path, body, headers = next(requests)
                async with session.request(method, url + path, json=body, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{path}: {response.status}")
                done += 1
        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(concurrency)))
        return done / (time.perf_counter() - started)


def chat_requests(token: str, tag: str):
    headers = {"Authorization": f"Bearer {token}"}

    def make(n: int):
        for round_ in itertools.count():
            user = f"{tag}-{n}-{round_}"
            for kind, value in STEPS:
                yield "POST", f"/api/chat/bench/{user}", {kind: value}, headers
    return make


def trivial_requests(n: int):
    while True:
        yield "GET", "/livez", None, None


async def bench_http(label: str, extra_env: dict[str, str], seconds: float, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "SHANQIAO_VAR_DIR": var, "SHANQIAO_SECRET_KEY": "bench-secret", **extra_env}
        env.pop("SHANQIAO_TELEGRAM_TOKEN", None)
        token = subprocess.run([sys.executable, "-m", "bot.cli", "channels", "add", "bench"], env=env, check=True,
                               capture_output=True, text=True).stdout.strip().splitlines()[-1]
        port = free_port()
        server = start_server(env, port)
        url = f"http://127.0.0.1:{port}"
        try:
            await load(url, 1.0, concurrency, trivial_requests)  # warm up
            await load(url, 1.0, concurrency, chat_requests(token, "warm"))
            trivial = await load(url, seconds, concurrency, trivial_requests)
            chat = await load(url, seconds, concurrency, chat_requests(token, "run"))
        finally:
            server.terminate()
            server.wait(10)
    print(f"{label:<34} trivial GET /livez {trivial:8.0f} req/s | chat turn {chat:8.0f} turns/s | "
          f"ratio {chat / trivial:.2f}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    engine = bench_engine(args.seconds)
    print(f"{'engine alone (one core)':<34} {engine:8.0f} turns/s")
    await bench_http("HTTP, in-process state + SQLite", {}, args.seconds, args.concurrency)
    redis_url = os.environ.get("SHANQIAO_BENCH_REDIS", "redis://127.0.0.1:6379/0")
    await bench_http("HTTP, Redis state + SQLite", {"SHANQIAO_REDIS_URL": redis_url,
                                                      "SHANQIAO_REDIS_PREFIX": f"bench{os.getpid()}"},
                     args.seconds, args.concurrency)


if __name__ == "__main__":
    asyncio.run(main())
