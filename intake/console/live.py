"""What tells an open queue or intake page that something changed: one small mark, read from the database at
most once a second per process, however many caseworkers poll it."""
from __future__ import annotations

import asyncio
import time
import weakref
from typing import Any

MAX_AGE = 1.0  # seconds a mark read from the database is reused
_marks: weakref.WeakKeyDictionary[Any, _Mark] = weakref.WeakKeyDictionary()


class _Mark:
    def __init__(self) -> None:
        self.value, self.read_at, self.lock = "", float("-inf"), asyncio.Lock()
        self.reads = 0  # database reads, for the benchmark


async def queue_mark(store: Any) -> str:
    """The team's change mark: grows with every filing, claim, decision, release, assignment or note (and
    with the minute, so the ages shown move on)."""
    mark = _marks.setdefault(store, _Mark())
    if time.monotonic() - mark.read_at > MAX_AGE:
        async with mark.lock:
            if time.monotonic() - mark.read_at > MAX_AGE:
                numbers = await store.change_mark()
                mark.value = "-".join(str(n) for n in numbers)
                mark.read_at = time.monotonic()
                mark.reads += 1
    return f"{mark.value}-{int(time.time() // 60)}"


async def intake_mark(store: Any, intake_id: int) -> str:
    """One intake's change mark (its audit rows, assignments and notes)."""
    return "-".join(str(n) for n in await store.change_mark(intake_id))


def reads(store: Any) -> int:
    """How many times the team's mark was read from the database by this process."""
    mark = _marks.get(store)
    return mark.reads if mark else 0
