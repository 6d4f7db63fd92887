"""Chat throughput: the engine alone, then HTTP chat turns against a trivial endpoint of the same server.

Run: .venv/bin/python -m tests.bench.bench_chat [--seconds 30] [--concurrency 32] [--rounds 3] [--redis-only]
The server runs in its own process (uvicorn, one worker); the load comes from this process. Beside
the trivial endpoint, the chat turn is compared with the layers DESIGN.md measures against, on the
same server (`tests/bench/reference_server.py`): one SQLite INSERT per request, and with Redis one
GET and one SET per request. Each
simulated resident does whole applications: every golden answer, both receipts uploaded, the submit
turn, and then a second application with a policy question asked after every fifth answer. Every
application is a household of its own (the golden answers with other ID numbers), as real traffic is:
one household filed hundreds of times would make each filing list all the others as duplicates.
Each client keeps its place across the alternating rounds, so applications begun in one round are
finished in a later one; the intakes filed are counted (a warning when none was) and each kind of turn
(answer, file, question, submit) gets its own p50 and p99.
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import itertools
import os
import re
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
INTAKE_ID = re.compile(rb'"intake_id":(\d+)')
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
    # SHANQIAO_BENCH_SERVER: another server module to measure the same way (e.g. one with timers added)
    module = os.environ.get("SHANQIAO_BENCH_SERVER", "tests.bench.reference_server")
    server = subprocess.Popen([sys.executable, "-m", module, str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return listening(server, port)


def listening(server: subprocess.Popen, port: int, tries: int = 900) -> subprocess.Popen:
    """`server` once it accepts connections on `port`; start-up may build the knowledge index, so a loaded machine
    gets a minute and a half."""
    for _ in range(tries):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


async def load(url: str, seconds: float, concurrency: int, make_request,
               kinds: dict[str, list[float]] | None = None) -> tuple[float, list[float], set[int]]:
    """Requests per second with `concurrency` clients for `seconds`, each request's seconds, the intakes
    filed (every intake number an answer showed); `make_request(n)` gives client n's requests, each a
    function of (aiohttp session, base url), perhaps with a `kind` whose seconds also go to `kinds`."""
    latencies: list[float] = []
    filed: set[int] = set()
    deadline = time.perf_counter() + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def client(n: int) -> None:
            requests = make_request(n)
            while time.perf_counter() < deadline:
                request = next(requests)
                sent = time.perf_counter()
                async with request(session, url) as response:
                    data = await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{response.url}: {response.status} {data[:200]!r}")
                latencies.append(took := time.perf_counter() - sent)
                if kinds is not None:
                    kinds.setdefault(getattr(request, "kind", "other"), []).append(took)
                if (shown := INTAKE_ID.search(data)) is not None:
                    filed.add(int(shown[1]))
        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(concurrency)))
        return len(latencies) / (time.perf_counter() - started), latencies, filed


def chat_requests(token: str, tag: str):
    """Client n's turns: whole applications one after another. Each client's place is kept from one call to
    the next, so an application begun in one round goes on in the next instead of being left half done."""
    headers = {"Authorization": f"Bearer {token}"}
    whole, asking = golden.steps(), with_questions(golden.steps())
    clients: dict[int, object] = {}

    def step(user: str, kind: str, value: str, last: bool):
        request = functools.partial(_post, user=user, kind=kind, value=value, headers=headers)
        request.kind = "file" if kind == "file" else "submit" if last else "question" if value in QUESTIONS \
            else "answer"
        return request

    def turns(n: int):
        for application in itertools.count():
            user = f"{tag}-{n}-{application}"
            steps = (*household(whole, next(HOUSEHOLDS)), *household(asking, next(HOUSEHOLDS)))
            for n_step, (kind, value) in enumerate(steps):
                yield step(user, kind, value, n_step in (len(whole) - 1, len(steps) - 1))

    def make(n: int):
        if n not in clients:
            clients[n] = turns(n)
        return clients[n]
    return make


def _post(session, url: str, *, user: str, kind: str, value: str, headers: dict[str, str]):
    return golden.post_step(session, f"{url}/api/chat/bench/{user}", headers, kind, value)


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
            filed: set[int] = set()
            by_kind: dict[str, list[float]] = {}
            chat_turns = chat_requests(token, "run")  # one resident per client, carried across rounds
            for round_ in range(rounds):
                for kind, requests in (*kinds.items(), ("chat", chat_turns)):
                    rate, took, done = await load(url, seconds / rounds, concurrency, requests,
                                                  by_kind if kind == "chat" else None)
                    best[kind] = max(best[kind], rate)
                    filed |= done
                    times[kind] += took
        finally:
            server.terminate()
            server.wait(10)
    chat, chat_times = best["chat"], times["chat"]
    trivial = best["trivial"]
    print(f"{label:<30} trivial GET /livez {trivial:7.0f} req/s (p99 {percentile(times['trivial'], .99) * 1000:5.1f} ms)"
          f" | chat turn {chat:7.0f} turns/s (p50 {percentile(chat_times, .5) * 1000:5.1f} ms,"
          f" p99 {percentile(chat_times, .99) * 1000:5.1f} ms) | {len(filed)} applications filed | "
          f"ratio {chat / trivial:.2f}")
    print(f"{'':<30} chat turn p50 / p99 by kind: " + ", ".join(
        f"{kind} {percentile(values, .5) * 1000:.0f} / {percentile(values, .99) * 1000:.0f} ms ({len(values)})"
        for kind, values in sorted(by_kind.items())))
    if not filed:
        print(f"{'':<30} WARNING: no application was filed: the chat turns measured never reached a submit "
              f"(give it more --seconds or less --concurrency)")
    for kind, name in (("sqlite", "one SQLite INSERT per request"), ("redis", "one Redis GET + SET per request")):
        if kind in best:
            print(f"{'':<30} reference: {name} {best[kind]:7.0f} req/s (p99 {percentile(times[kind], .99) * 1000:5.1f}"
                  f" ms), {best[kind] / trivial:.2f} of trivial; chat turn / reference {chat / best[kind]:.2f}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each is compared")
    parser.add_argument("--redis-only", action="store_true", help="only the HTTP turns with Redis state")
    args = parser.parse_args()
    if not args.redis_only:
        engine = bench_engine(args.seconds)
        print(f"{'engine alone (one core)':<34} {engine:8.0f} turns/s")
        await bench_http("HTTP, SQLite state (default)", {}, args.seconds, args.concurrency, args.rounds)
    redis_url = os.environ.get("SHANQIAO_BENCH_REDIS", "redis://127.0.0.1:6379/0")
    await bench_http("HTTP, Redis state + SQLite", {"SHANQIAO_REDIS_URL": redis_url,
                                                      "SHANQIAO_REDIS_PREFIX": f"bench{os.getpid()}"},
                     args.seconds, args.concurrency, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
