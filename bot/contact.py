"""The resident contact over the runner, the channel notifiers and the notice outbox."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.conversation import ConversationKey
from bot.notices import NoticeOutbox
from bot.runner import Runner
from dialogs.events import MoreInfoClosed, MoreInfoRequested, StaffMessage
from dialogs.messages import Inbound, Reply
from dialogs.texts import t
from intake.contact import ResidentContact
from intake.notify import BaseNotifier
from intake.store.records import IntakeRecord

log = logging.getLogger(__name__)


class ConversationContact(ResidentContact):
    """Decisions go out through the resident's channel notifier; a request reopens their conversation.

    Every message is kept in the notice outbox first: one that cannot be delivered now (Redis or
    Telegram away) is tried again until it is, and is delivered once.
    """

    def __init__(self, runner: Runner, notifiers: BaseNotifier, notices: NoticeOutbox) -> None:
        self.runner, self.notifiers, self.notices = runner, notifiers, notices

    async def tell(self, intake: IntakeRecord, key: str, reason: str, *, final: bool = True) -> bool:
        """Render the notice in the intake's language and deliver it (now, or by the retry loop)."""
        text = t(intake.locale, key, n=intake.id, reason=reason).strip()
        closed = []
        if final:
            try:
                # a decision ends any request for more information the resident is still answering
                closed = await self.runner.feed(ConversationKey(intake.channel, intake.user_id),
                                                Inbound(event=MoreInfoClosed(intake.id)))
            except Exception as error:  # noqa: BLE001 - the decision itself must still reach the resident
                log.warning("could not close the request in the conversation: %s", type(error).__name__,
                            extra={"intake_id": intake.id})
        return await self._send(intake, [Reply(text), *closed])

    async def reopen(self, intake: IntakeRecord, items: list[str], note: str, *,
                     kept: Callable[[int], Awaitable[None]] | None = None) -> bool:
        """Feed the request to the resident's conversation, then deliver the questions it asks."""
        key = ConversationKey(intake.channel, intake.user_id)
        event = Inbound(event=MoreInfoRequested(intake.id, tuple(items), note))
        return await self._send(intake, await self.runner.feed(key, event), kept=kept)

    async def message(self, intake: IntakeRecord, text: str, *,
                      kept: Callable[[int], Awaitable[None]] | None = None) -> bool:
        """Through the resident's conversation (so their reply comes back to the thread), then the notice outbox."""
        key = ConversationKey(intake.channel, intake.user_id)
        event = Inbound(event=StaffMessage(intake.id, text))
        replies = await self.runner.feed(key, event)
        return await self._send(intake, replies, kept=kept)

    async def _send(self, intake: IntakeRecord, replies: list[Reply], *,
                    kept: Callable[[int], Awaitable[None]] | None = None) -> bool:
        notice = await self.notices.add(channel=intake.channel, user_id=intake.user_id, replies=replies,
                                        intake_id=intake.id)
        if kept is not None:
            await kept(notice.id)
        return await self.notices.attempt(notice, self.notifiers)
