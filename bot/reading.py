"""Receipts read in the background: the turn that receives them answers at once, the offer follows.

The runner hands over the files of a turn at a spending question (`start`) once that turn is saved.
They are read here, outside the turn and any chat's lock, while the resident goes on answering; then
the readings go back through the runner as the event `receipts_read`, and what the engine says (the
offered total, or that a file could not be read) reaches the resident the way a caseworker's notice
does: kept in the notices table and pushed to Telegram, or left in the mailbox of the web chat and the
HTTP chat API.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from typing import Any

from bot.conversation import ConversationKey
from bot.files import FileStore
from bot.notices import NoticeOutbox
from dialogs.messages import Attachment, Inbound
from dialogs.events import ReceiptsRead
from intake.notify import BaseNotifier
from intake.receipts import Receipt, ReceiptReader

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0  # a turn that failed (the conversation's lock busy, Redis away) is tried once more after this
STOP_SECONDS = 30.0  # at shutdown, reads in progress get this long to finish and be offered


class ReceiptReading:
    """Reads received receipts in the background, one task per conversation's batch, in the order sent."""

    def __init__(self, *, files: FileStore, reader: ReceiptReader, notices: NoticeOutbox,
                 notifier: BaseNotifier) -> None:
        self.files, self.reader, self.notices, self.notifier = files, reader, notices, notifier
        self.runner: Any = None  # the runner that hands files over and takes the readings back (set by the wiring)
        self._tasks: dict[ConversationKey, asyncio.Task[None]] = {}
        self._unoffered: dict[ConversationKey, dict[str, dict[str, Any]]] = {}  # readings not offered yet

    def start(self, key: ConversationKey, attachments: tuple[Attachment, ...]) -> None:
        """Read these files of the conversation in the background, after any batch it sent earlier."""
        task = asyncio.create_task(self._read_batch(key, attachments, self._tasks.get(key)), name="receipt-reading")
        self._tasks[key] = task
        task.add_done_callback(lambda done: self._tasks.pop(key) if self._tasks.get(key) is done else None)

    def pending(self, key: ConversationKey) -> asyncio.Task[None] | None:
        """The conversation's reading in progress, if any (a channel shows "typing" while it runs)."""
        return self._tasks.get(key)

    async def settled(self, key: ConversationKey) -> None:
        """Wait until every file the conversation sent so far is read and its offer sent."""
        while (task := self._tasks.get(key)) is not None:
            await asyncio.wait([task])

    async def _read_batch(self, key: ConversationKey, attachments: tuple[Attachment, ...],
                    earlier: asyncio.Task[None] | None) -> None:
        try:
            readings = {a.file_id: await self._reading(a.file_id) for a in attachments}
            if earlier is not None:
                await asyncio.wait([earlier])  # offers arrive in the order the files were sent
            self._unoffered.setdefault(key, {}).update(readings)
            if self._tasks.get(key) is not asyncio.current_task():
                return  # more files of this conversation are being read: one offer for all, once they are
            await self._offer(key, self._unoffered.pop(key))
        except Exception:
            # the files stay kept with the application and a caseworker sees them; nothing reaches the resident
            log.exception("reading receipts failed", extra={"channel": key.channel})

    async def _reading(self, file_id: str) -> dict[str, Any]:
        """What the conversation keeps of one file: its read fields (no item lines) and its hash."""
        data = await self.files.read(file_id)
        if data is None:
            return Receipt.unreadable().as_dict()
        try:
            receipt = await self.reader.read(data)
        except Exception as error:  # noqa: BLE001 - whatever a file does to the reader, it is "not read"
            log.warning("a receipt could not be read: %s", type(error).__name__)  # never the content
            receipt = Receipt.unreadable()
        reading = {k: v for k, v in receipt.as_dict().items() if k != "items"}
        return reading | {"sha256": hashlib.sha256(data).hexdigest()}

    async def _offer(self, key: ConversationKey, readings: dict[str, dict[str, Any]]) -> None:
        inbound = Inbound(event=ReceiptsRead(readings))
        try:
            outcome = await self.runner.handle(key, inbound)
        except Exception as error:  # noqa: BLE001 - busy or away for a moment: once more, then logged above
            log.warning("offering read receipts failed, trying again: %s", type(error).__name__)
            await asyncio.sleep(RETRY_SECONDS)
            outcome = await self.runner.handle(key, inbound)
        if outcome.replies:
            await self.notices.send(channel=key.channel, user_id=key.user_id, replies=outcome.replies,
                                    notifier=self.notifier)

    async def aclose(self, timeout: float = STOP_SECONDS) -> None:
        """Let reads in progress finish and be offered; cancel those still running after `timeout` seconds (their
        files stay with the application, unread, for the caseworker)."""
        tasks = list(self._tasks.values())
        if not tasks:
            return
        _, running = await asyncio.wait(tasks, timeout=max(timeout, 0.01))
        for task in running:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
