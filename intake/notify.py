"""How the intake side tells a resident something on the channel they applied on."""
from __future__ import annotations

from abc import ABC, abstractmethod

from dialogs.messages import Reply


class BaseNotifier(ABC):
    """Delivers replies to a resident outside a conversation turn (decisions, requests for information)."""

    @abstractmethod
    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        """Send `replies` to `user_id` on `channel`; True if the channel took them, False if it could not."""
