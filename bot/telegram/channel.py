"""Telegram updates through the dialog runner, the same for every Telegram library."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.conversation import ConversationKey
from bot.telegram.callbacks import decode_press
from bot.telegram.content import FileOffer, read_message
from bot.telegram.keyboards import LiveKeyboards
from bot.telegram.render import Outgoing, render
from bot.telegram.transport import BaseTransport, FileTooBig
from bot.telegram.updates import BaseUpdateLog
from dialogs.events import Edited, FileRefused, Unsupported
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


_REDRAWN = object()  # marker: the turn's answer replaced the pressed message
ALBUM_QUIET = 0.8  # seconds after an album's latest photo before it is answered (its photos come together)
TYPING_EVERY = 4.0  # Telegram shows "typing" for 5 s, or until the next message: renewed while receipts are read


@dataclass(slots=True)
class Album:
    """Photos and files sent together (one media_group_id), received but not yet answered."""

    group: str
    parts: list[Inbound] = field(default_factory=list)
    timer: asyncio.Task | None = None


def pressed_label(message: Any, data: str | None) -> str | None:
    """The label of the pressed button, read from the message's keyboard (same field names in both libraries)."""
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", None) or ():
        for button in row:
            if getattr(button, "callback_data", None) == data:
                return button.text
    return None


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
        self.keyboards = LiveKeyboards(transport)  # shared with the notifier: its buttons are the open question's
        self._albums: dict[int, Album] = {}
        self._typing: dict[int, asyncio.Task[None]] = {}  # chats shown "typing" while their receipts are read
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @asynccontextmanager
    async def _working(self, chat_id: int) -> AsyncIterator[None]:
        """Counted as work in progress (see `drain`), in the chat's turn."""
        self._busy += 1
        self._idle.clear()
        try:
            async with self._sequence.hold(chat_id):
                yield
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._idle.set()

    @asynccontextmanager
    async def admit(self, update_id: int, chat_id: int) -> AsyncIterator[bool]:
        """Hold the chat's turn and say whether the update is new (False: already processed elsewhere)."""
        async with self._working(chat_id), self.updates.take(update_id) as fresh:
            yield fresh

    async def drain(self, timeout: float = 30.0) -> bool:
        """Wait for updates in progress to finish (at shutdown); False if some are still running.

        Albums still waiting for their last photo are acknowledged now: their files are kept, not lost.
        """
        for chat_id in list(self._albums):
            async with self._working(chat_id):
                await self._flush_album(chat_id)
        deadline = asyncio.get_running_loop().time() + timeout
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        finally:
            # receipts being read are offered while the bot can still send, within what is left of the time
            if self.runner.reading is not None:
                await self.runner.reading.aclose(deadline - asyncio.get_running_loop().time())
            for typing in list(self._typing.values()):
                typing.cancel()
        return True

    async def message(self, message: Any) -> None:
        """A new message from a resident."""
        chat_id = message.chat.id
        group = getattr(message, "media_group_id", None)
        await self._flush_album(chat_id, unless=group)  # an earlier album is answered before anything newer
        read = read_message(message)
        if read is None:
            return
        if isinstance(read, FileOffer):
            await self.transport.typing(chat_id)
            inbound = await self._receive(read)
            if group is not None:
                return self._collect(chat_id, group, inbound)
        else:
            if read.command == "ask":
                # Answering from the knowledge base can take a moment.
                await self.transport.typing(chat_id)
            inbound = read
        await self.turn(chat_id, inbound, locale=app_language(message))

    async def edited(self, message: Any) -> None:
        """A resident edited an earlier message; the engine explains that edits are not read."""
        await self._flush_album(message.chat.id)
        await self.turn(message.chat.id, Inbound(event=Edited()))

    async def pressed(self, *, chat_id: int, query_id: str, message_id: int, data: str | None,
                      message: Any = None) -> None:
        """A resident pressed an inline button.

        A press that leaves the question open (a pick-several question) redraws that same message; a press the
        engine took as the answer leaves the pressed message showing the chosen answer, without buttons; a
        press it refused (an old button, a choice not taken) only takes the buttons away, the question being
        asked again below; a second tap on buttons just pressed gets nothing new.
        """
        await self.transport.answer_press(query_id)  # before the turn: the spinner stops even if it is slow
        await self._flush_album(chat_id)
        press = decode_press(data)
        if press is None:
            inbound = Inbound(event=Unsupported())
        else:
            inbound = Inbound(option=press.value, data={} if press.asked is None else {"asked": press.asked})
        outcome = await self.turn(chat_id, inbound, pressed=message_id)
        if outcome is None or outcome is _REDRAWN or not outcome.replies:
            return
        answered = press is not None and not any(reply.redraw for reply in outcome.replies)
        chosen = pressed_label(message, data)
        text = getattr(message, "text", None)
        if answered and text and chosen:
            await self.transport.edit(chat_id, message_id, Outgoing(f"{text}\n✓ {chosen}"))
        else:
            await self.transport.clear_keyboard(chat_id, message_id)

    async def turn(self, chat_id: int, inbound: Inbound, *, locale: str | None = None,
                   pressed: int | None = None) -> Any:
        """Run one turn of the resident's conversation and send what the engine says; `locale` is the
        language a new conversation starts in. Returns the outcome (None when the turn failed)."""
        try:
            outcome = await self.runner.handle(ConversationKey(CHANNEL, str(chat_id)), inbound, locale=locale)
        except Exception:
            # the saved state is untouched: the resident only has to send the message again
            log.exception("a Telegram turn failed", extra={"channel": CHANNEL})
            sorry = Reply(t(self.runner.default_locale, "error.retry"))
            await self.transport.send(chat_id, render([sorry], asked=None))
            return None
        messages = render(outcome.replies, asked=outcome.asked)
        if pressed is not None and len(outcome.replies) == 1 and outcome.replies[0].redraw and len(messages) == 1:
            # the same question, still open (e.g. one more ticked of several): redraw it where it is
            await self.transport.edit(chat_id, pressed, messages[0])
            self.keyboards.redrawn(chat_id, pressed)
            return _REDRAWN
        sent = await self.transport.send(chat_id, messages)
        await self.keyboards.sent(chat_id, messages, sent, pressed=pressed)
        if chat_id not in self._typing and self.runner.reading is not None \
                and self.runner.reading.pending(ConversationKey(CHANNEL, str(chat_id))) is not None:
            self._typing[chat_id] = asyncio.create_task(self._keep_typing(chat_id))
        return outcome

    async def _keep_typing(self, chat_id: int) -> None:
        """Show "typing" while the chat's receipts are read (outside its turns: the chat goes on meanwhile)."""
        key = ConversationKey(CHANNEL, str(chat_id))
        try:
            while (reading := self.runner.reading.pending(key)) is not None:
                await self.transport.typing(chat_id)
                await asyncio.wait([reading], timeout=TYPING_EVERY)
        except Exception as error:  # noqa: BLE001 - Telegram away: the offer still comes, only without "typing"
            log.info("typing indicator stopped: %s", type(error).__name__)
        finally:
            self._typing.pop(chat_id, None)

    def _collect(self, chat_id: int, group: str, inbound: Inbound) -> None:
        """One photo or file of an album: kept until the album is complete, then answered once."""
        album = self._albums.get(chat_id)
        if album is None:
            album = self._albums[chat_id] = Album(group)
        album.parts.append(inbound)
        if album.timer is not None:
            album.timer.cancel()
        album.timer = asyncio.create_task(self._album_complete(chat_id, album))

    async def _album_complete(self, chat_id: int, album: Album) -> None:
        # Telegram delivers an album's photos as separate updates within moments of each other
        await asyncio.sleep(ALBUM_QUIET)
        async with self._working(chat_id):
            if self._albums.get(chat_id) is album:
                album.timer = None  # this task is the one finishing it: not to be cancelled
                await self._flush_album(chat_id)

    async def _flush_album(self, chat_id: int, *, unless: str | None = None) -> None:
        """Answer the chat's waiting album with one turn (files refused on the way get their own reply)."""
        album = self._albums.get(chat_id)
        if album is None or album.group == unless:
            return
        del self._albums[chat_id]
        if album.timer is not None:
            album.timer.cancel()
        attachments = tuple(a for part in album.parts for a in part.attachments)
        for refused in (part for part in album.parts if not part.attachments):
            await self.turn(chat_id, refused)
        if attachments:
            await self.turn(chat_id, Inbound(attachments=attachments))

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
        return Inbound(event=FileRefused(reason, self.files.limit_mb))
