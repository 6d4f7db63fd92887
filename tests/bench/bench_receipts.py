"""Receipt reading on the drawn test set: totals, own shares and dates right, and seconds per receipt.

Run: .venv/bin/python -m tests.bench.bench_receipts [--dir var/receipts-set] [--only LAYOUT,...] [--show]
The set is drawn by tests/receipts/generator.py (reused when already drawn). Layouts kept out of the
reader's development are reported apart as the held-out check. "exact" means equal to the cent; a
receipt that prints no own share counts as right when the reader also gives none. Seconds are wall
time of one read in this process after the engine is loaded (engine load printed once).
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from intake.receipts import ocr, read_bytes
from tests.receipts.generator import build


def _share(rows: list[dict], key: str) -> str:
    right = sum(r[key] for r in rows)
    return f"{right}/{len(rows)} = {100 * right / len(rows):5.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default="var/receipts-set")
    parser.add_argument("--only", default="", help="comma-separated layouts")
    parser.add_argument("--show", action="store_true", help="print what was read where it is wrong")
    args = parser.parse_args()
    samples = build(Path(args.dir))
    if args.only:
        samples = [s for s in samples if s.truth.layout in args.only.split(",")]
    started = time.perf_counter()
    ocr.load_engine()
    load = time.perf_counter() - started
    results = []
    for sample in samples:
        data = sample.path.read_bytes()
        started = time.perf_counter()
        got = read_bytes(data)
        seconds = time.perf_counter() - started
        truth = sample.truth
        row = {"layout": truth.layout, "held_out": sample.held_out, "seconds": seconds,
               "total": got.total == truth.total,
               "self_pay": got.self_pay == (truth.self_pay if truth.self_pay is None else Decimal(truth.self_pay)),
               "date": got.date == truth.date, "issuer": got.issuer == truth.issuer,
               "payer": got.payer == truth.payer, "source": got.source,
               "items": [(i.name, i.amount) for i in got.items] == list(truth.items)}
        results.append(row)
        if args.show and not (row["total"] and row["self_pay"] and row["date"]):
            print(f"  {sample.name} [{','.join(sample.harms)}]: total {got.total} (true {truth.total}), own "
                  f"{got.self_pay} (true {truth.self_pay}), date {got.date} (true {truth.date}) {got.problem or ''}")
    by_layout = defaultdict(list)
    for row in results:
        by_layout[(row["held_out"], row["layout"])].append(row)
    print(f"receipts: {len(results)}   engine load {load:.2f} s   load average {os.getloadavg()[0]:.2f}")
    print(f"{'layout':24} {'n':>3}  {'total exact':>17}  {'own share exact':>17}  {'date right':>17}  "
          f"{'s median':>8} {'s max':>6}")
    for held_out in (False, True):
        group = [r for r in results if r["held_out"] == held_out]
        if not group:
            continue
        print("held-out layouts (not used while the reader was written)" if held_out else "development layouts")
        for (flag, layout), rows in sorted(by_layout.items()):
            if flag == held_out:
                times = [r["seconds"] for r in rows]
                print(f"  {layout:22} {len(rows):>3}  {_share(rows, 'total'):>17}  {_share(rows, 'self_pay'):>17}  "
                      f"{_share(rows, 'date'):>17}  {statistics.median(times):8.2f} {max(times):6.2f}")
        times = [r["seconds"] for r in group]
        print(f"  {'all':22} {len(group):>3}  {_share(group, 'total'):>17}  {_share(group, 'self_pay'):>17}  "
              f"{_share(group, 'date'):>17}  {statistics.median(times):8.2f} {max(times):6.2f}")
    print(f"for information, issuer exact: {_share(results, 'issuer')}, payer exact: {_share(results, 'payer')}, "
          f"every item line exact: {_share(results, 'items')}")
    times = [r["seconds"] for r in results]
    print(f"seconds per receipt over all {len(results)}: median {statistics.median(times):.2f}, max {max(times):.2f}")


if __name__ == "__main__":
    main()
