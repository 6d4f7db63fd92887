"""How the intake side tells a resident something on the channel they applied on."""
from __future__ import annotations

from abc import ABC, abstractmethod

from dialogs.messages import Reply


class BaseNotifier(ABC):
    """Delivers replies to a resident outside a conversation turn (decisions, requests for information)."""

    @abstractmethod
    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> None:
        """Send `replies` to `user_id` on `channel`."""


class NullNotifier(BaseNotifier):
    """Delivers nothing: for set-ups without a push channel, where residents see news when they next write."""

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> None:
        """Drop the replies."""


class ChannelNotifier(BaseNotifier):
    """Routes each notification to the notifier of its channel; channels without one go to `default`."""

    def __init__(self, routes: dict[str, BaseNotifier], default: BaseNotifier | None = None) -> None:
        self.routes = dict(routes)
        self.default = default or NullNotifier()

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> None:
        """Send through the channel's notifier."""
        await self.routes.get(channel, self.default).notify(channel=channel, user_id=user_id, replies=replies)
