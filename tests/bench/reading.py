"""Reading load: how many characters a resident reads through the whole golden application, before and now.

Run alone: .venv/bin/python -m tests.bench.reading [--before COMMIT] (about 20 s).
The golden household (tests/golden.py of each tree, in Mandarin) goes through the HTTP chat API in-process,
on SQLite under a new temporary directory; everything the resident is shown is counted: each reply's text
and the labels of its buttons, and the messages waiting for them (receipts read in the background). Spaces
and line breaks are not counted. "Before" is the code as it was just before 长辈版 and short answers landed
(the parent of the commit that added bot/web/care.js), exported with `git archive` into a temporary
directory and run by this same file with that tree first on the path.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the commit that brought 长辈版 (bot/web/care.js); its parent is "before"
ELDER_COMMIT = "80cbc84"


def _shown(reply: dict) -> str:
    """What one reply shows: its text and the labels of its buttons."""
    labels = [o["label"] if isinstance(o, dict) else o[0] for o in reply.get("options") or ()]
    return "".join(reply["text"].split()) + "".join("".join(label.split()) for label in labels)


async def count() -> dict:
    """Characters and messages shown to the resident over the golden application, in the tree on the path."""
    from tests import golden
    from tests.bot.conftest import Resident, channel_token, make_settings, running

    shown: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(Path(tmp), database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'reading.db'}")
        async with running(settings) as client:
            resident = Resident(client, await channel_token(client), "reader")

            async def waiting() -> None:
                response = await client.get(resident.url + "/messages",
                                            headers={"Authorization": f"Bearer {resident.token}"})
                if response.status_code == 200:
                    shown.extend(_shown(r) for r in response.json().get("replies", []))

            for kind, value in golden.steps():
                last = await resident.replay([(kind, value)])
                shown.extend(_shown(r) for r in last.get("replies", []))
                await waiting()
            assert last["state"].get("intake_id"), "the golden application was not filed"
            for _ in range(20):  # readings still under way when the application was filed
                await asyncio.sleep(0.1)
                await waiting()
    longest = sorted(shown, key=len, reverse=True)[:3]
    return {"characters": sum(map(len, shown)), "messages": len(shown), "steps": len(golden.steps()),
            "longest": [f"{len(text)} {text[:12]}…" for text in longest]}


def _before(commit: str) -> dict:
    """`count()` run on the code of `commit`, in its own process."""
    with tempfile.TemporaryDirectory() as tree:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHANQIAO_")}
        env["PYTHONPATH"] = tree
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--count"], env=env, cwd=tree,
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=f"{ELDER_COMMIT}~1", help="the commit to compare with")
    parser.add_argument("--count", action="store_true", help="only count, in the tree on the path (JSON)")
    args = parser.parse_args()
    if args.count:
        print(json.dumps(asyncio.run(count())))
        return
    before = _before(args.before)
    now = asyncio.run(count())
    print(f"{'':8}{'characters':>12}{'messages':>10}{'steps':>7}  longest messages")
    for name, row in (("before", before), ("now", now)):
        print(f"{name:8}{row['characters']:>12,}{row['messages']:>10}{row['steps']:>7}  {' | '.join(row['longest'])}")
    print(f"now / before: {now['characters'] / before['characters']:.2f} of the characters; "
          f"per step {now['characters'] / now['steps'] / (before['characters'] / before['steps']):.2f}")


if __name__ == "__main__":
    main()
