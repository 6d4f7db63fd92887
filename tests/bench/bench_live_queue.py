"""The live queue under load: 20 caseworkers with the queue open (each polling every 3 s) while residents apply.

Run: .venv/bin/python -m tests.bench.bench_live_queue [--caseworkers 20] [--residents 8] [--seconds 20]
One `shanqiao serve` process on the embedded default (SQLite). Phases of equal length, the server's CPU
(user + system, from /proc) measured over each:
- residents: `--residents` concurrent residents apply over the HTTP chat API, nobody watches;
- residents + live queues: the same, with the caseworkers' queues polling the change mark (`204` while
  nothing changed, the rows when something did) and one colleague claiming an intake every 2 s; the
  queue's update delay is the time from a claim until each open queue shows it;
- live queues alone with nothing changing (each poll a `204`), and the same queues re-rendering their rows on
  every poll (no change mark), for scale.
Figures only, no assertions: the machine is shared.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests import golden
from tests.bench.bench_chat import free_port, listening, percentile

PASSWORD = "correct horse battery"
POLL = 3.0
MARK = re.compile(r'data-mark="([^"]+)"')
CLK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


async def prepare(var: str, caseworkers: int) -> str:
    """Accounts and a chat channel in a fresh database; the channel's token."""
    from bot.settings import Settings
    from bot.wiring import build_services
    from intake.database import migrate

    services = await build_services(Settings())
    try:
        await migrate(services.engine)
        for n in range(caseworkers + 1):
            await services.intakes.add_user(f"cw{n}", "caseworker", PASSWORD)
        return await services.intakes.add_channel("bench")
    finally:
        await services.aclose()


def start(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return listening(server, port)


async def bearer(session: aiohttp.ClientSession, url: str, name: str) -> dict[str, str]:
    async with session.post(f"{url}/api/session", json={"name": name, "password": PASSWORD}) as response:
        return {"Authorization": f"Bearer {(await response.json())['token']}"}


class Phase:
    """What happened in one phase."""

    def __init__(self) -> None:
        self.filed = self.polls = self.unchanged = 0
        self.delays: list[float] = []
        self.claims: dict[int, float] = {}  # intake -> when it was claimed


async def residents(session, url: str, token: str, count: int, deadline: float, phase: Phase, tag: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    async def one(n: int) -> None:
        round_ = 0
        while time.perf_counter() < deadline:
            user = f"{tag}-{n}-{round_}"
            for kind, value in golden.steps():
                async with golden.post_step(session, f"{url}/api/chat/bench/{user}", headers, kind, value) as r:
                    data = await r.read()
                if time.perf_counter() >= deadline:
                    return
            phase.filed += b'"intake_id":' in data and b'"intake_id":null' not in data
            round_ += 1

    await asyncio.gather(*(one(n) for n in range(count)))


def claimed_row(page: str, intake_id: int) -> bool:
    start = page.find(f'data-intake="{intake_id}"')
    return start >= 0 and 'class="status claimed"' in page[start:page.find("</tr>", start)]


async def watcher(session, url: str, auth: dict[str, str], deadline: float, phase: Phase, use_mark: bool) -> None:
    """A caseworker's open queue: the page once, then the rows every 3 s (with the change mark, or without)."""
    async with session.get(f"{url}/console/queue", headers=auth) as r:
        mark = MARK.search(await r.text()).group(1)
    seen: set[int] = set()
    await asyncio.sleep(POLL * (hash(auth["Authorization"]) % 1000) / 1000)  # opened at different moments
    while time.perf_counter() < deadline:
        query = f"page=1&mark={mark}" if use_mark else "page=1"
        async with session.get(f"{url}/console/queue/rows?{query}", headers={**auth, "HX-Request": "true"}) as r:
            body = await r.text()
            at = time.perf_counter()
        phase.polls += 1
        if r.status == 204:
            phase.unchanged += 1
        else:
            mark = MARK.search(body).group(1)
            for intake_id, claimed_at in list(phase.claims.items()):
                if intake_id not in seen and claimed_row(body, intake_id):
                    seen.add(intake_id)
                    phase.delays.append(at - claimed_at)
        await asyncio.sleep(POLL)


async def claimer(session, url: str, auth: dict[str, str], deadline: float, phase: Phase) -> None:
    await asyncio.sleep(POLL)
    while time.perf_counter() < deadline - 2 * POLL:
        async with session.post(f"{url}/api/intakes/claim-next", headers=auth) as r:
            if r.status == 200:
                phase.claims[(await r.json())["intake_id"]] = time.perf_counter()
        await asyncio.sleep(2.0)


async def run_phase(session, url: str, pid: int, token: str, tokens: list[dict], args, *, residents_on: bool,
                    watchers_on: bool, use_mark: bool = True, claims_on: bool = True, tag: str) -> tuple[Phase, float, float]:
    phase = Phase()
    deadline = time.perf_counter() + args.seconds
    tasks = []
    if residents_on:
        tasks.append(residents(session, url, token, args.residents, deadline, phase, tag))
    if watchers_on:
        tasks += [watcher(session, url, auth, deadline, phase, use_mark) for auth in tokens[1:]]
        if claims_on:
            tasks.append(claimer(session, url, tokens[0], deadline, phase))
    cpu, wall = cpu_seconds(pid), time.perf_counter()
    if tasks:
        await asyncio.gather(*tasks)
    else:
        await asyncio.sleep(args.seconds)
    return phase, cpu_seconds(pid) - cpu, time.perf_counter() - wall


async def main(args) -> None:
    with tempfile.TemporaryDirectory() as var:
        os.environ.update(SHANQIAO_VAR_DIR=var, SHANQIAO_SECRET_KEY="bench-secret")
        os.environ.pop("SHANQIAO_TELEGRAM_TOKEN", None)
        token = await prepare(var, args.caseworkers)
        port = free_port()
        server = start(dict(os.environ), port)
        url = f"http://127.0.0.1:{port}"
        rows: list[tuple[str, Phase, float, float]] = []
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200)) as session:
                tokens = [await bearer(session, url, f"cw{n}") for n in range(args.caseworkers + 1)]
                await run_phase(session, url, server.pid, token, tokens, argparse.Namespace(**{**vars(args), "seconds": 5}),
                                residents_on=True, watchers_on=False, tag="warm")
                for label, on_r, on_w, use_mark in (("idle", False, False, True), ("residents", True, False, True),
                                                    ("residents + live queues", True, True, True),
                                                    ("live queues alone", False, True, True),
                                                    ("queues re-rendered every poll", False, True, False)):
                    phase, cpu, wall = await run_phase(session, url, server.pid, token, tokens, args, residents_on=on_r,
                                                       watchers_on=on_w, use_mark=use_mark, claims_on=on_r,
                                                       tag=label[:4])
                    rows.append((label, phase, cpu, wall))
        finally:
            server.terminate()
            server.wait(10)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"live queue: {args.caseworkers} caseworkers polling every {POLL:.0f} s, {args.residents} residents applying at"
          f" once, {args.seconds:.0f} s per phase, one serve process on SQLite (load average {load})")
    print(f"{'phase':32} {'server CPU':>10} {'filed':>6} {'CPU s/filed':>11} {'polls':>6} {'204s':>5} "
          f"{'CPU ms/poll':>11} {'update delay p50 / p95 / max (s)':>34}")
    by_label = {label: (phase, cpu, wall) for label, phase, cpu, wall in rows}
    idle = by_label["idle"][1] / by_label["idle"][2]  # CPU seconds per second with nobody there
    per_filed = (by_label["residents"][1] - idle * by_label["residents"][2]) / max(by_label["residents"][0].filed, 1)
    for label, phase, cpu, wall in rows:
        busy = cpu - idle * wall
        filed = f"{busy / phase.filed:11.2f}" if phase.filed else ""
        per_poll = ""
        if phase.polls:
            # the CPU the polling added, per poll: what is left once idling and the applications filed are paid for
            per_poll = f"{1000 * (busy - per_filed * phase.filed) / phase.polls:11.2f}"
        delays = (f"{percentile(phase.delays, .5):.1f} / {percentile(phase.delays, .95):.1f} / "
                  f"{max(phase.delays):.1f} (n={len(phase.delays)})") if phase.delays else "-"
        print(f"{label:32} {100 * cpu / wall:9.1f}% {phase.filed:6d} {filed:>11} {phase.polls:6d} {phase.unchanged:5d} "
              f"{per_poll:>11} {delays:>34}")
    alone, full = by_label["live queues alone"], by_label["queues re-rendered every poll"]
    poll_cpu = (alone[1] - idle * alone[2]) / max(alone[0].polls, 1)
    full_cpu = (full[1] - idle * full[2]) / max(full[0].polls, 1)
    print(f"{args.caseworkers} open live queues while nothing changes cost the server"
          f" {100 * poll_cpu * args.caseworkers / POLL:.1f}% of one core ({1000 * poll_cpu:.1f} ms CPU a poll);"
          f" re-rendering the rows on every poll would cost {full_cpu / poll_cpu if poll_cpu > 0 else float('nan'):.1f}x that")
    live = by_label["residents + live queues"][0]
    if live.delays:
        print(f"queue update delay after a claim, while residents apply: mean {statistics.mean(live.delays):.1f} s over"
              f" {len(live.delays)} sightings (poll every {POLL:.0f} s, mark reused up to 1 s)")


def parse(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caseworkers", type=int, default=20)
    parser.add_argument("--residents", type=int, default=8, help="residents applying at the same time")
    parser.add_argument("--seconds", type=float, default=20.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
