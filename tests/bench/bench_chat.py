"""Chat throughput: the engine alone, then HTTP chat turns against a trivial endpoint of the same server.

Run: .venv/bin/python -m tests.bench.bench_chat [--seconds 30] [--concurrency 32] [--rounds 3]
The server runs in its own process (uvicorn, one worker); the load comes from this process. Beside
the trivial endpoint, the chat turn is compared with the layers DESIGN.md measures against, on the
same server (`tests/bench/reference_server.py`): one SQLite INSERT per request, and with Redis one
GET and one SET per request. Each
simulated resident does whole applications: every golden answer, both receipts uploaded, the submit
turn, and then a second application with a policy question asked after every fifth answer. Every
application is a household of its own (the golden answers with other ID numbers), as real traffic is:
one household filed hundreds of times would make each filing list all the others as duplicates.
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
from stdnum.cn import ric

from dialogs.engine import Context, handle
from dialogs.messages import Inbound
from knowledge.params import load_params
from tests import golden

# the engine alone: the golden answers up to the receipts
STEPS = [(kind, value) for kind, value in golden.steps()[:38] if kind != "file"]
HOUSEHOLDS = itertools.count()  # every application of a run, warm-up included, is a household of its own
QUESTIONS = ["低保标准是多少", "看病花的钱怎么算", "审核要多久", "需要带什么材料", "有车能不能申请", "what counts as rigid spending"]


def with_questions(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The same application with a policy question after every fifth answer."""
    out: list[tuple[str, str]] = []
    for n, step in enumerate(steps, 1):
        out.append(step)
        if n % 5 == 0:
            out.append(("text", QUESTIONS[(n // 5) % len(QUESTIONS)]))
    return out


def household(steps: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """The same answers for household `n`: each ID number gets another birth day and sequence number
    (same place, birth month and sex), so no two of the first 2,800 households share a person."""
    day, sequence = 1 + n // 100 % 28, n % 100

    def other(number: str) -> str:
        body = f"{number[:12]}{day:02d}{sequence:02d}{number[16]}"
        return body + ric.calc_check_digit(body + "0")  # the last character is not read
    numbers = {golden.APPLICANT_ID, golden.SPOUSE_ID, golden.CHILD_ID}
    return [(kind, other(value) if value in numbers else value) for kind, value in steps]


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
    subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "tests.bench.reference_server", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):  # start-up builds the knowledge index: allow a loaded machine a minute
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


async def load(url: str, seconds: float, concurrency: int, make_request) -> tuple[float, list[float], int]:
    """Requests per second with `concurrency` clients for `seconds`, each request's seconds, applications
    filed; `make_request(n)` gives client n's requests, each a function of (aiohttp session, base url)."""
    latencies: list[float] = []
    filed = 0
    deadline = time.perf_counter() + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def client(n: int) -> None:
            nonlocal filed
            requests = make_request(n)
            while time.perf_counter() < deadline:
                request = next(requests)
                sent = time.perf_counter()
                async with request(session, url) as response:
                    data = await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{response.url}: {response.status} {data[:200]!r}")
                latencies.append(time.perf_counter() - sent)
                if b'"intake_id":' in data and b'"intake_id":null' not in data:
                    filed += 1
        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(concurrency)))
        return len(latencies) / (time.perf_counter() - started), latencies, filed


def chat_requests(token: str, tag: str):
    headers = {"Authorization": f"Bearer {token}"}
    whole, asking = golden.steps(), with_questions(golden.steps())

    def make(n: int):
        for round_ in itertools.count():
            user = f"{tag}-{n}-{round_}"
            steps = (*household(whole, next(HOUSEHOLDS)), *household(asking, next(HOUSEHOLDS)))
            for kind, value in steps:
                yield lambda session, url, kind=kind, value=value, user=user: golden.post_step(
                    session, f"{url}/api/chat/bench/{user}", headers, kind, value)
    return make


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def trivial_requests(n: int):
    while True:
        yield lambda session, url: session.get(url + "/livez")


def reference_requests(path: str):
    def make(n: int):
        while True:
            yield lambda session, url: session.post(url + path, data=b"x" * 200, headers={"x-client": str(n)})
    return make


async def bench_http(label: str, extra_env: dict[str, str], seconds: float, concurrency: int, rounds: int) -> None:
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
            # alternate short rounds of each, so a busy moment of the machine weighs on both alike
            kinds = {"trivial": trivial_requests, "sqlite": reference_requests("/bench/sqlite-insert")}
            if "SHANQIAO_REDIS_URL" in extra_env:
                kinds["redis"] = reference_requests("/bench/redis-get-set")
            best = dict.fromkeys([*kinds, "chat"], 0.0)
            times: dict[str, list[float]] = {kind: [] for kind in best}
            filed = 0
            for round_ in range(rounds):
                for kind, requests in (*kinds.items(), ("chat", chat_requests(token, f"run{round_}"))):
                    rate, took, done = await load(url, seconds / rounds, concurrency, requests)
                    best[kind], filed = max(best[kind], rate), filed + done
                    times[kind] += took
        finally:
            server.terminate()
            server.wait(10)
    chat, chat_times = best["chat"], times["chat"]
    trivial = best["trivial"]
    print(f"{label:<30} trivial GET /livez {trivial:7.0f} req/s (p99 {percentile(times['trivial'], .99) * 1000:5.1f} ms)"
          f" | chat turn {chat:7.0f} turns/s (p50 {percentile(chat_times, .5) * 1000:5.1f} ms,"
          f" p99 {percentile(chat_times, .99) * 1000:5.1f} ms) | {filed} applications filed | "
          f"ratio {chat / trivial:.2f}")
    for kind, name in (("sqlite", "one SQLite INSERT per request"), ("redis", "one Redis GET + SET per request")):
        if kind in best:
            print(f"{'':<30} reference: {name} {best[kind]:7.0f} req/s (p99 {percentile(times[kind], .99) * 1000:5.1f}"
                  f" ms), {best[kind] / trivial:.2f} of trivial; chat turn / reference {chat / best[kind]:.2f}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each is compared")
    args = parser.parse_args()
    engine = bench_engine(args.seconds)
    print(f"{'engine alone (one core)':<34} {engine:8.0f} turns/s")
    await bench_http("HTTP, SQLite state (default)", {}, args.seconds, args.concurrency, args.rounds)
    redis_url = os.environ.get("SHANQIAO_BENCH_REDIS", "redis://127.0.0.1:6379/0")
    await bench_http("HTTP, Redis state + SQLite", {"SHANQIAO_REDIS_URL": redis_url,
                                                      "SHANQIAO_REDIS_PREFIX": f"bench{os.getpid()}"},
                     args.seconds, args.concurrency, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
