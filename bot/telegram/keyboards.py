"""Which sent message's buttons are live in each chat: only the open question's buttons can be pressed."""
from __future__ import annotations

from bot.telegram.render import Outgoing
from bot.telegram.transport import BaseTransport


class LiveKeyboards:
    """The message whose buttons answer the open question, per chat; older buttons are cleared when newer
    messages are sent, by a turn or a notice.

    This process's memory: after a restart, or for a notice sent by another process, an older keyboard may
    stay, and the engine answers its press as an old one.
    """

    def __init__(self, transport: BaseTransport) -> None:
        self.transport = transport
        self._live: dict[int, int] = {}

    def redrawn(self, chat_id: int, message_id: int) -> None:
        """The open question was redrawn in place: that message's buttons are the live ones."""
        self._live[chat_id] = message_id

    async def sent(self, chat_id: int, messages: list[Outgoing], sent: list[int] | None, *,
                   pressed: int | None = None, notice: bool = False) -> None:
        """After sending `messages` (their ids `sent`): the newest with buttons is live and the previous live
        one is cleared, unless it is the pressed message (the press handler rewrites it). A turn without
        buttons leaves nothing to press, so the previous buttons go too; a notice without buttons leaves the
        open question's buttons alone."""
        if not sent:
            return
        with_buttons = [message_id for message_id, message in zip(sent, messages) if message.keyboard]
        if notice and not with_buttons:
            return
        previous = self._live.pop(chat_id, None)
        if with_buttons:
            self._live[chat_id] = with_buttons[-1]
        if previous is not None and previous not in with_buttons and previous != pressed:
            await self.transport.clear_keyboard(chat_id, previous)
