"""Messages to residents outside a turn (a caseworker's decision), pushed to their Telegram chat."""
from __future__ import annotations

from bot.telegram.keyboards import LiveKeyboards
from bot.telegram.render import render
from bot.telegram.transport import BaseTransport
from dialogs.messages import Reply
from intake.notify import BaseNotifier


class TelegramNotifier(BaseNotifier):
    """Sends notifications through the running bot; a resident who blocked it is skipped quietly."""

    def __init__(self, transport: BaseTransport, keyboards: LiveKeyboards | None = None) -> None:
        self.transport = transport
        self.keyboards = keyboards  # the bot's, when this process takes updates: a notice's buttons are the live ones

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        # Outside a turn there is no question counter: buttons here answer whatever is being asked.
        chat_id, messages = int(user_id), render(replies, asked=None)
        sent = await self.transport.send(chat_id, messages)
        if self.keyboards is not None:
            await self.keyboards.sent(chat_id, messages, sent, notice=True)
        return sent is not None
