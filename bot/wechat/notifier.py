"""Notices to WeChat residents outside a turn: customer-service messages inside the 48-hour window,
a subscription notice outside it.

Outside the window (45015) or past the pushes allowed since the resident's last action (45047) the
notice waits in the resident's mailbox, shown before the answer to their next message, and a
subscription notice (订阅通知) tells them something is waiting. Any other failure is an ordinary
failed attempt: the notices table tries it again later.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from bot.conversation import ConversationKey
from bot.wechat.api import NOT_FOLLOWING, NOT_SUBSCRIBED, OUTSIDE_WINDOW, TOO_MANY_PUSHES, WechatApiError
from bot.wechat.render import render
from bot.wechat.texts import text as wechat_text
from dialogs.messages import Reply
from intake.notify import BaseNotifier

log = logging.getLogger(__name__)
THING_CHARS = 20  # a subscription notice's `thing` field holds at most 20 characters
# the template's fields: what happened, a line of the notice, what to do (see docs/deploy.md)
FIELDS = ("thing1", "thing2", "thing3")


def thing(value: str) -> str:
    """A text as a `thing` field: one line, cut to 20 characters."""
    line = re.sub(r"\s+", " ", value).strip()
    return line if len(line) <= THING_CHARS else line[: THING_CHARS - 1] + "…"


class WechatNotifier(BaseNotifier):
    """Delivers notices through the account's API; falls back to the mailbox and a subscription notice."""

    def __init__(self, *, channel: Any, mailbox: Any, states: Any, template_id: str | None,
                 default_locale: str = "zh") -> None:
        self.channel, self.mailbox, self.states = channel, mailbox, states
        self.template_id, self.default_locale = template_id, default_locale

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        texts = render(replies, asked=None)
        api, tokens = self.channel.api, self.channel.tokens
        try:
            for text in texts:
                await tokens.call(lambda token, text=text: api.send_text(token, user_id, text))
            return True
        except WechatApiError as error:
            if error.code not in (OUTSIDE_WINDOW, TOO_MANY_PUSHES, NOT_FOLLOWING):
                log.warning("wechat: a notice was refused (%d)", error.code, extra={"channel": channel})
                return False
            refused = error.code
        if refused != NOT_FOLLOWING and self.template_id:
            state = await self.states.get(ConversationKey(channel, user_id)) or {}
            locale = state.get("locale") or self.default_locale
            first = next((reply.text for reply in replies if reply.text.strip()), "")
            data = dict(zip(FIELDS, (thing(wechat_text(locale, "notice.title")), thing(first),
                                     thing(wechat_text(locale, "notice.open")))))
            try:
                await tokens.call(lambda token: api.send_subscription(token, user_id, self.template_id, data))
            except WechatApiError as error:
                if error.code != NOT_SUBSCRIBED:
                    return False  # e.g. WeChat busy: the notices table tries again later
                log.info("wechat: the resident has no subscription notice left; the notice waits for them",
                         extra={"channel": channel})
        # the whole notice waits for the resident's next message (a part pushed before the refusal is shown
        # again there: better twice than missing)
        return await self.mailbox.notify(channel=channel, user_id=user_id, replies=replies)
