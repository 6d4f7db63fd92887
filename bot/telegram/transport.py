"""What the channel needs from a Telegram library: send, fetch files, answer button presses."""
from __future__ import annotations

from abc import ABC, abstractmethod

from bot.telegram.render import Outgoing


class TelegramChannelError(Exception):
    """Root of the Telegram channel's errors."""


class FileTooBig(TelegramChannelError):
    """The Bot API will not hand out the file (over its download limit)."""

    def __init__(self, file_id: str) -> None:
        super().__init__("file too big to download through the Bot API")
        self.file_id = file_id


class BaseTransport(ABC):
    """One Telegram runtime's way of talking to the Bot API; rate limits are handled below this."""

    @abstractmethod
    async def send(self, chat_id: int, messages: list[Outgoing]) -> list[int] | None:
        """Send the messages in order; their message ids, or None when the resident has blocked the bot."""

    @abstractmethod
    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> bool:
        """Replace a sent message's text and buttons (no buttons: none are left); False if it cannot be edited."""

    @abstractmethod
    async def download(self, file_id: str) -> bytes:
        """The file's bytes (getFile, then the file download); FileTooBig if Telegram refuses."""

    @abstractmethod
    async def typing(self, chat_id: int) -> None:
        """Show "typing…" while something slow happens."""

    @abstractmethod
    async def answer_press(self, query_id: str) -> None:
        """Answer a callback query so the client stops its progress indicator."""

    @abstractmethod
    async def clear_keyboard(self, chat_id: int, message_id: int) -> None:
        """Remove the buttons of a sent message so they cannot be pressed twice."""
