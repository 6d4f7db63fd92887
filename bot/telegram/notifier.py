"""Messages to residents outside a turn (a caseworker's decision), pushed to their Telegram chat."""
from __future__ import annotations

from bot.telegram.render import render
from bot.telegram.transport import BaseTransport
from dialogs.messages import Reply
from intake.notify import BaseNotifier


class TelegramNotifier(BaseNotifier):
    """Sends notifications through the running bot; a resident who blocked it is skipped quietly."""

    def __init__(self, transport: BaseTransport) -> None:
        self.transport = transport

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        # Outside a turn there is no question counter: buttons here answer whatever is being asked.
        return await self.transport.send(int(user_id), render(replies, asked=None)) is not None
