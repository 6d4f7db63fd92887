"""The conversation journal: what a turn writes (its state and its transcript lines) goes out as one commit.

A turn ends with one `commit(key, state, lines)` on its conversation store, awaited before the answer
is sent: an answer the resident saw is always in the transcript, and its state is saved. The SQL
writes of every turn that ended while the previous write was in flight go to the database together,
in one transaction made of plain statements (the states' upsert, then the lines' insert): a busy
server commits far fewer transactions than turns. On the embedded default the state and the lines of
a turn are in that one transaction; with Redis state the lines are committed here first and the state
is written to Redis as the turn's lock is let go (two stores cannot share a transaction). On the embedded
default a Telegram update is marked done in its turn's transaction too (`RIDERS`).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.crypto import Vault
from intake.database import insert_new, upsert
from intake.models import ConversationRow, ProcessedUpdate, TranscriptLine, utcnow

log = logging.getLogger(__name__)
LINE_LIMIT = 1000  # characters kept per transcript line

# one line of a transcript: who said it ("resident", "staff", "bot"), the text, the staff id if staff
Line = tuple[str, str, str | None]

# update-log rows riding in the commit of the turn that the current task runs (a Telegram update being
# handled, see `bot/telegram/updates.py`): the update is marked done in the same transaction as its state
RIDERS: ContextVar[list[dict[str, Any]] | None] = ContextVar("riders", default=None)


def take_riders() -> list[dict[str, Any]]:
    """The update-log rows waiting for the current turn's commit, taken (each rides once)."""
    riders = RIDERS.get()
    if not riders:
        return []
    taken = list(riders)
    riders.clear()
    return taken


@dataclass(slots=True)
class _Group:
    """The writes of the turns waiting for the next transaction, and the future they wait on."""

    saved: asyncio.Future
    states: dict[str, tuple[dict[str, Any], bytes]] = field(default_factory=dict)  # newest per conversation
    lines: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)  # processed_updates rows


class Journal:
    """The one grouped writer of a process: conversation states and transcript lines, in one transaction.

    `settled(states, written)` is told, after each transaction, which states it carried and whether they
    were written (the SQL state store keeps its cache by it).
    """

    def __init__(self, engine: AsyncEngine, vault: Vault,
                 settled: Callable[[dict[str, tuple[dict[str, Any], bytes]], bool], None] | None = None) -> None:
        self.engine, self.vault = engine, vault
        self.settled = settled or (lambda states, written: None)
        self._group: _Group | None = None
        self._writer: asyncio.Task | None = None

    def line_rows(self, conversation: str, lines: Iterable[Line], *, intake_id: int | None = None) -> list[dict]:
        """Transcript rows of `lines` (encrypted), filed under the conversation's keyed hash."""
        now = utcnow()
        return [{"conversation": conversation, "intake_id": intake_id, "who": who, "staff_id": staff_id,
                 "text": self.vault.encrypt_text(text[:LINE_LIMIT]), "at": now} for who, text, staff_id in lines]

    def state_row(self, name: str, data: bytes) -> dict[str, Any]:
        """A conversation's row: its state (JSON, encrypted) under its keyed hash."""
        return {"key": name, "state": self.vault.encrypt(data), "updated_at": utcnow()}

    async def write(self, *, states: dict[str, bytes] | None = None, lines: list[dict[str, Any]] = (),
                    updates: list[dict[str, Any]] = ()) -> None:
        """Commit these states (by conversation hash, as JSON), transcript rows and processed updates with
        the current group; returns once they are committed, raises if that transaction failed."""
        if self._group is None:
            group = self._group = _Group(asyncio.get_running_loop().create_future())
            # retrieved here too, so a group whose turns were all cancelled leaves no unread failure behind
            group.saved.add_done_callback(lambda done: done.cancelled() or done.exception())
        group = self._group
        for name, data in (states or {}).items():
            group.states[name] = (self.state_row(name, data), data)
        group.lines.extend(lines)
        group.updates.extend(updates)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await asyncio.shield(group.saved)  # what was queued is written even if this turn is cancelled

    async def idle(self) -> None:
        """Wait until nothing is queued or being written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer})

    async def _write(self) -> None:
        group: _Group | None = None
        try:
            while self._group is not None:
                group, self._group = self._group, None
                try:
                    async with self.engine.begin() as conn:
                        if group.states:
                            await conn.execute(upsert(conn, ConversationRow, ("key", "state", "updated_at"), ("key",)),
                                               [row for row, _ in group.states.values()])
                        if group.lines:
                            await conn.execute(insert(TranscriptLine), group.lines)
                        if group.updates:  # an update handled twice is no reason to fail the group
                            await conn.execute(insert_new(conn, ProcessedUpdate), group.updates)
                except Exception as error:  # every turn of this group hears of it; the next group tries afresh
                    self.settled(group.states, False)
                    group.saved.set_exception(error)
                else:
                    self.settled(group.states, True)
                    group.saved.set_result(None)
                group = None
        finally:
            # stopped mid-way (the server shutting down): no turn may wait for a write that will not come
            for waiting in (group, self._group):
                if waiting is not None and not waiting.saved.done():
                    self.settled(waiting.states, False)
                    waiting.saved.set_exception(RuntimeError("the conversation could not be saved"))
            if self._group is not None and self._group.saved.done():
                self._group = None
