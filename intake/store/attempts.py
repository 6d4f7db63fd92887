"""Attempts counted per key in the SQL database, shared by every process: how many guesses a client made
in its current window, and how long that window still runs.

The rows live in `login_throttle` beside the console's sign-in failures (same shape: a keyed hash, a
count, the window's start); the keys say whose they are, and the caller hashes them, so no address or
user id is stored.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, case
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.models import LoginThrottle, UtcDateTime, utcnow


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt counted: how many in the current window (this one included), and the window's rest."""

    count: int
    wait: timedelta


class SqlAttempts:
    """A window per key that starts at its first attempt and lasts `window`."""

    def __init__(self, engine: AsyncEngine, *, window: timedelta, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.window, self.clock = engine, window, clock

    async def hit(self, key: str) -> Attempt:
        """Count one attempt under `key` (already a keyed hash)."""
        now = self.clock()
        at = bindparam("now", now, type_=UtcDateTime())
        expired = LoginThrottle.window_start <= bindparam("cutoff", now - self.window, type_=UtcDateTime())
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            statement = insert(LoginThrottle).values(key=key, failures=1, window_start=now, locked_until=None)
            # one statement, so two processes counting the same key at once both count
            statement = statement.on_conflict_do_update(index_elements=["key"], set_={
                "failures": case((expired, 1), else_=LoginThrottle.failures + 1),
                "window_start": case((expired, at), else_=LoginThrottle.window_start),
            }).returning(LoginThrottle.failures, LoginThrottle.window_start)
            count, start = (await conn.execute(statement)).one()
        return Attempt(count, start + self.window - now)
