"""Telegram updates through the dialog runner, the same for every Telegram library."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.conversation import ConversationKey
from bot.telegram.callbacks import decode_press
from bot.telegram.content import FileOffer, read_message
from bot.telegram.render import render
from bot.telegram.transport import BaseTransport, FileTooBig
from bot.telegram.updates import BaseUpdateLog
from dialogs.messages import Inbound, Reply
from dialogs.texts import t

CHANNEL = "telegram"

log = logging.getLogger(__name__)


class ChatSequence:
    """Per-chat first-come-first-served locks: one resident's updates run in arrival order here.

    The runner's lock keeps two processes apart; this one also keeps the order, which a Redis
    lock does not promise, and holds replies of one turn together before the next turn's.
    """

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        """Wait for the chat's earlier updates, then hold its turn."""
        entry = self._locks.get(chat_id)
        if entry is None:
            entry = self._locks[chat_id] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[chat_id]


def app_language(message: Any) -> str | None:
    """The language of the resident's Telegram app as a locale ("en-GB" -> "en"); None when we have no such texts."""
    sender = getattr(message, "from_user", None)
    code = (getattr(sender, "language_code", None) or "").lower()
    if code.startswith("en"):
        return "en"
    return "zh" if code.startswith("zh") else None


class TelegramChannel:
    """Translates messages, presses and edits into Inbound, runs the turn, sends the replies."""

    def __init__(
        self,
        *,
        runner: Any,
        files: Any,
        updates: BaseUpdateLog,
        transport: BaseTransport,
    ) -> None:
        self.runner = runner
        self.files = files
        self.updates = updates
        self.transport = transport
        self._sequence = ChatSequence()
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @asynccontextmanager
    async def admit(self, update_id: int, chat_id: int) -> AsyncIterator[bool]:
        """Hold the chat's turn and say whether the update is new (False: already processed elsewhere)."""
        self._busy += 1
        self._idle.clear()
        try:
            async with self._sequence.hold(chat_id):
                yield await self.updates.claim(update_id)
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._idle.set()

    async def drain(self, timeout: float = 30.0) -> bool:
        """Wait for updates in progress to finish (at shutdown); False if some are still running."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def message(self, message: Any) -> None:
        """A new message from a resident."""
        chat_id = message.chat.id
        read = read_message(message)
        if read is None:
            return
        if isinstance(read, FileOffer):
            await self.transport.typing(chat_id)
            inbound = await self._receive(read)
        else:
            if read.command == "ask":
                # Answering from the knowledge base can take a moment.
                await self.transport.typing(chat_id)
            inbound = read
        await self.turn(chat_id, inbound, locale=app_language(message))

    async def edited(self, message: Any) -> None:
        """A resident edited an earlier message; the engine explains that edits are not read."""
        await self.turn(message.chat.id, Inbound(event="edited"))

    async def pressed(self, *, chat_id: int, query_id: str, message_id: int, data: str | None) -> None:
        """A resident pressed an inline button."""
        # Both before the turn: the spinner stops and the buttons go even if the turn is slow.
        await asyncio.gather(self.transport.answer_press(query_id), self.transport.clear_keyboard(chat_id, message_id))
        press = decode_press(data)
        if press is None:
            inbound = Inbound(event="unsupported")
        else:
            inbound = Inbound(option=press.value, data={} if press.asked is None else {"asked": press.asked})
        await self.turn(chat_id, inbound)

    async def turn(self, chat_id: int, inbound: Inbound, *, locale: str | None = None) -> None:
        """Run one turn of the resident's conversation and send what the engine says; `locale` is the
        language a new conversation starts in."""
        try:
            outcome = await self.runner.handle(ConversationKey(CHANNEL, str(chat_id)), inbound, locale=locale)
        except Exception:
            # the saved state is untouched: the resident only has to send the message again
            log.exception("a Telegram turn failed", extra={"channel": CHANNEL})
            sorry = Reply(t(self.runner.default_locale, "error.retry"))
            await self.transport.send(chat_id, render([sorry], asked=None))
            return
        await self.transport.send(chat_id, render(outcome.replies, asked=outcome.asked))

    async def _receive(self, offer: FileOffer) -> Inbound:
        reason = self.files.check(offer.size or 0, offer.content_type)
        if reason is None:
            try:
                data = await self.transport.download(offer.file_id)
            except FileTooBig:
                reason = "too_large"
            else:
                # the size Telegram reports is optional and the type is only declared: judge what arrived
                return await self.files.receive(data, name=offer.name, content_type=offer.content_type)
        return Inbound(event="file_refused", data={"reason": reason, "limit_mb": self.files.limit_mb})
