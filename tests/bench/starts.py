"""Cold starts: how long `shanqiao ask` takes to answer, and a web process to serve /healthz, from nothing.

Run alone: .venv/bin/python -m tests.bench.starts [--before DIR] (about 30 s on a quiet machine).
Each start is a new process in a new var/ directory, so nothing of an earlier start is reused unless
the row says so (the saved index). Printed beside a trivial Python start on the same machine.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "低保边缘的收入标准是多少"
HEALTHZ_WAIT_S = 60.0


def _env(tree: Path, var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHANQIAO_")}
    env.update(PYTHONPATH=str(tree), SHANQIAO_VAR_DIR=str(var))
    return env


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process run to its end."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=env["SHANQIAO_VAR_DIR"])
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status:
        raise RuntimeError(f"{args[2:]} failed: {process.stderr.read().decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _web(tree: Path, var: Path) -> float:
    """Seconds from starting `shanqiao serve` until /healthz answers 200."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=_env(tree, var),
                               cwd=var, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < HEALTHZ_WAIT_S:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1.0).status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("/healthz did not answer")
    finally:
        process.terminate()
        process.wait(timeout=30)


def starts(tree: Path, *, saves: bool = True) -> dict[str, tuple[float, float | None]]:
    """Cold starts of one tree of the code: (wall s, CPU s or None) by what was started; a tree that
    saves no index (`saves=False`) is started once each way."""
    figures: dict[str, tuple[float, float | None]] = {}
    ask = [sys.executable, "-m", "bot.cli", "ask", QUESTION]
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as web_first:
        figures["ask, no saved index" if saves else "ask"] = _run(ask, _env(tree, Path(first)))
        if saves:
            figures["ask, saved index (median of 3)"] = sorted(_run(ask, _env(tree, Path(first))) for _ in range(3))[1]
        figures["web /healthz, no saved index" if saves else "web /healthz"] = (_web(tree, Path(web_first)), None)
        if saves:
            figures["web /healthz, saved index"] = (_web(tree, Path(web_first)), None)
    return figures


def print_starts(before: Path | None) -> None:
    """Print the cold starts of this tree (and of an earlier one) beside a trivial Python start."""
    with tempfile.TemporaryDirectory() as empty:
        trivial = sorted(_run([sys.executable, "-c", "pass"], _env(ROOT, Path(empty))) for _ in range(3))[1]
    trees = ([("before", before.resolve())] if before else []) + [("now", ROOT)]
    print(f"cold starts (load average {os.getloadavg()[0]:.1f}); trivial Python start {trivial[0] * 1000:.0f} ms "
          f"wall, {trivial[1] * 1000:.0f} ms CPU")
    print(f"{'code':7} {'start':34} {'wall s':>7} {'CPU s':>6} {'x trivial':>10}")
    for name, tree in trees:
        for what, (wall, cpu) in starts(tree, saves=name == "now").items():
            cpu_text = f"{cpu:6.2f}" if cpu is not None else f"{'':6}"
            print(f"{name:7} {what:34} {wall:7.2f} {cpu_text} {wall / trivial[0]:10.0f}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Cold starts of `shanqiao ask` and a web process.")
    parser.add_argument("--before", type=Path, help="an earlier tree of the code, started the same way")
    print_starts(parser.parse_args().before)
