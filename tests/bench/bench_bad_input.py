"""Bad input costs no more than a good answer: engine turns with hostile input against a plain answer at the same step.

Run: .venv/bin/python -m tests.bench.bench_bad_input [--rounds 200]
Prints, per input, the best time of a turn and its ratio to a plain answer at that step (one run, one machine).
"""
from __future__ import annotations

import argparse
import time
from datetime import date

from dialogs.engine import Context, handle
from dialogs.messages import Inbound
from knowledge.params import load_params
from tests.walk import answer, kind_of, steps_of_kind

CASES = [
    ("choice", "1", "1" * 4301), ("choice", "1", "9" * 9999), ("count", "2", "1" * 309), ("count", "2", "万万万万"),
    ("count", "2", "一" + "亿" * 9999), ("money", "3000", "1" * 4301), ("money", "3000", "万万万万"),
    ("money", "3000", "一" + "亿" * 9999), ("money", "3000", "约" * 9999), ("id_number", "440104197811052213", "4" * 9999),
]


def state_at(kind: str, ctx: Context) -> dict:
    turn = handle(None, Inbound(text="开始申请"), ctx)
    while kind_of(turn.state["step"]) != kind:
        options = [o.value for r in turn.replies for o in r.options]
        how, value = answer(turn.state["step"], options)
        turn = handle(turn.state, Inbound(text=value) if how == "text" else Inbound(option=value), ctx)
    return turn.state


def best(state: dict, text: str, ctx: Context, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        handle(state, Inbound(text=text), ctx)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    ctx = Context(today=date.today(), districts=load_params().city_districts)
    assert all(steps_of_kind(kind) for kind, _, _ in CASES), "a step kind is missing from the flow"
    print(f"{'step kind':<10} {'input':<22} {'turn (ms)':>10} {'x plain answer':>15}")
    for kind, plain, bad in CASES:
        state = state_at(kind, ctx)
        base, cost = best(state, plain, ctx, rounds), best(state, bad, ctx, rounds)
        shown = bad if len(bad) <= 12 else f"{bad[:3]}…({len(bad)} chars)"
        print(f"{kind:<10} {shown:<22} {cost * 1000:>10.3f} {cost / base:>15.2f}")


if __name__ == "__main__":
    main()
