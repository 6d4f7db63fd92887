"""Receipt reading on the drawn test set: totals, own shares and dates right, and seconds per receipt.

Run: .venv/bin/python -m tests.bench.bench_receipts [--dir var/receipts-set] [--only LAYOUT,...] [--show]
                                                  [--album-only]
The set is drawn by tests/receipts/generator.py (reused when already drawn). Layouts kept out of the
reader's development are reported apart as the held-out check. "exact" means equal to the cent; a
receipt that prints no own share counts as right when the reader also gives none. Seconds are wall
time of one read in this process after the engine is loaded (engine load printed once).

Then, as a resident sees it on Telegram (aiogram, polling, against the fake Bot API on 127.0.0.1): a plain
text turn, and a 3-photo album sent at the medical amount question, timed from the album's updates to the
first acknowledgement and to the offered total (reading models loaded beforehand). `--album-only` runs
only this part.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bot.telegram.channel import ALBUM_QUIET
from intake.receipts import ocr, read_bytes
from tests.receipts.generator import build, sample


def _share(rows: list[dict], key: str) -> str:
    right = sum(r[key] for r in rows)
    return f"{right}/{len(rows)} = {100 * right / len(rows):5.1f}%"


async def _first(fake, chat: int, since: int, found, timeout: float = 120.0) -> float:
    """Seconds until the bot sent the chat a message for which `found(text)` holds."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if any(c.name == "sendmessage" and c.chat_id == chat and found(c.params.get("text", ""))
               for c in fake.calls[since:]):
            return time.perf_counter() - started
        await asyncio.sleep(0.01)
    raise TimeoutError("the bot did not answer")


async def album_timings(directory: Path) -> None:
    """A plain text turn beside a 3-photo album's acknowledgement and offer, on Telegram."""
    from tests import golden
    from tests.telegram.fake_bot_api import FakeBotAPI
    from tests.telegram.harness import TelegramResident, running_bot

    chat, steps = 700900, golden.steps("zh")
    photos = [sample(directory, "gd_outpatient", n, payer="陈美玲",
                     when=(date.today() - timedelta(days=30)).isoformat()).path.read_bytes() for n in (1, 3, 4)]
    with tempfile.TemporaryDirectory() as workdir:
        async with FakeBotAPI() as fake, running_bot(Path(workdir), fake, runtime="aiogram", mode="polling") as app:
            started = time.perf_counter()
            await app.state.services.receipts.start()
            load = time.perf_counter() - started
            resident = TelegramResident(fake, chat)
            await resident.replay(steps[:steps.index(("option", "medical")) + 2])  # at the medical amount
            turns = []
            for _ in range(5):
                since = len(fake.calls)
                await fake.push(fake.text(chat, "/help"))
                turns.append(await _first(fake, chat, since, lambda text: bool(text)))
                await fake.settle(chat, since=since, quiet=0.2)
            since = len(fake.calls)
            for update in fake.album(chat, photos):
                await fake.push(update)
            ack = await _first(fake, chat, since, lambda text: text.startswith("收到，正在识别"))
            offer = await _first(fake, chat, since, lambda text: "对吗" in text)
    turn = statistics.median(turns)
    print(f"Telegram (aiogram, polling, fake Bot API): reading models loaded in {load:.2f} s beforehand, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"  plain text turn, median of 5:            {turn:6.2f} s")
    print(f"  3-photo album, first acknowledgement:    {ack:6.2f} s  ({ack / turn:.1f}x a text turn; includes the "
          f"{ALBUM_QUIET} s wait for the album's last photo)")
    print(f"  3-photo album, offered total:            {offer:6.2f} s  ({offer / turn:.0f}x a text turn)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default="var/receipts-set")
    parser.add_argument("--only", default="", help="comma-separated layouts")
    parser.add_argument("--show", action="store_true", help="print what was read where it is wrong")
    parser.add_argument("--album-only", action="store_true", help="only the Telegram album timings")
    args = parser.parse_args()
    if args.album_only:
        Path(args.dir).mkdir(parents=True, exist_ok=True)
        return asyncio.run(album_timings(Path(args.dir)))
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
    asyncio.run(album_timings(Path(args.dir)))


if __name__ == "__main__":
    main()
