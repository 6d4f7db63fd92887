"""The resident contact over the runner and the channel notifiers."""
from __future__ import annotations

from bot.conversation import ConversationKey
from bot.runner import Runner
from dialogs.messages import Inbound, Reply
from dialogs.texts import t
from intake.contact import ResidentContact
from intake.notify import BaseNotifier
from intake.store.records import IntakeRecord


class ConversationContact(ResidentContact):
    """Decisions go out through the resident's channel notifier; a request reopens their conversation."""

    def __init__(self, runner: Runner, notifiers: BaseNotifier) -> None:
        self.runner, self.notifiers = runner, notifiers

    async def tell(self, intake: IntakeRecord, key: str, reason: str, *, final: bool = True) -> bool:
        """Render the notice in the intake's language and deliver it; True if the channel took it."""
        text = t(intake.locale, key, n=intake.id, reason=reason).strip()
        closed = []
        if final:
            # a decision ends any request for more information the resident is still answering
            closed = await self.runner.feed(ConversationKey(intake.channel, intake.user_id),
                                            Inbound(event="more_info_closed", data={"intake_id": intake.id}))
        return await self.notifiers.notify(channel=intake.channel, user_id=intake.user_id,
                                           replies=[Reply(text), *closed])

    async def reopen(self, intake: IntakeRecord, items: list[str], note: str) -> bool:
        """Feed the request to the resident's conversation, then deliver the questions it asks."""
        key = ConversationKey(intake.channel, intake.user_id)
        event = Inbound(event="reopen", data={"intake_id": intake.id, "items": list(items), "note": note})
        replies = await self.runner.feed(key, event)
        return await self.notifiers.notify(channel=intake.channel, user_id=intake.user_id, replies=replies)
