"""How a caseworker's decision reaches the resident: on the channel they applied on, in their language."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable

from intake.store.records import IntakeRecord


class ResidentContact(ABC):
    """Tells residents of decisions and reopens their conversation for a request for more information."""

    @abstractmethod
    async def tell(self, intake: IntakeRecord, key: str, reason: str, *, final: bool = True) -> bool:
        """Send the resident the text `key` (e.g. "notify.accepted") about `intake`, quoting `reason`;
        True if their channel took it.

        A `final` notice (a decision) also ends a request for more information they are answering;
        news of a referral does not.
        """

    @abstractmethod
    async def reopen(self, intake: IntakeRecord, items: list[str], note: str, *,
                     kept: Callable[[int], Awaitable[None]] | None = None) -> bool:
        """Ask the resident again for exactly `items` in their conversation, with the caseworker's `note`;
        True if their channel took the questions."""


    @abstractmethod
    async def message(self, intake: IntakeRecord, text: str, *,
                      kept: Callable[[int], Awaitable[None]] | None = None) -> bool:
        """Send a caseworker's free-text message about `intake` on the resident's channel (their idle reply
        comes back to the thread); `kept` hears the notice number that carries it before the first attempt.
        True if their channel took it."""
