"""Delivering messages to residents outside a turn (caseworker decisions), by channel."""
from __future__ import annotations

import json
import logging
from collections import defaultdict, deque

from dialogs.messages import Option, Reply
from intake.notify import BaseNotifier

log = logging.getLogger(__name__)


class Mailbox(BaseNotifier):
    """For channels without push (web chat, HTTP chat API): messages wait until the client asks.

    Kept in Redis when configured (encrypted, expiring), so every worker sees them; in-process otherwise.
    """

    def __init__(self, redis=None, *, vault=None, prefix: str = "shanqiao", limit: int = 50,
                 ttl_seconds: int = 30 * 86400) -> None:
        self.redis, self.vault, self.prefix, self.limit, self.ttl = redis, vault, prefix, limit, ttl_seconds
        self._local: defaultdict[str, deque[Reply]] = defaultdict(lambda: deque(maxlen=limit))

    def _key(self, channel: str, user_id: str) -> str:
        return f"{self.prefix}:mailbox:{channel}:{user_id}"

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> None:
        if self.redis is None:
            self._local[self._key(channel, user_id)].extend(replies)
            return
        key = self._key(channel, user_id)
        payloads = [self.vault.encrypt(json.dumps({"text": r.text, "options": [[o.label, o.value] for o in r.options]},
                                                  ensure_ascii=False).encode()) for r in replies]
        if payloads:
            async with self.redis.pipeline(transaction=True) as pipe:
                await pipe.rpush(key, *payloads).ltrim(key, -self.limit, -1).expire(key, self.ttl).execute()

    async def collect(self, channel: str, user_id: str) -> list[Reply]:
        """Messages waiting for this resident, removed as they are handed over."""
        key = self._key(channel, user_id)
        if self.redis is None:
            waiting = self._local.pop(key, deque())
            return list(waiting)
        raw = await self.redis.lpop(key, self.limit)  # one command; the list holds at most `limit`
        out = []
        for item in raw or ():
            data = json.loads(self.vault.decrypt(item))
            out.append(Reply(data["text"], tuple(Option(label, value) for label, value in data["options"])))
        return out


class Notifiers(BaseNotifier):
    """Routes a notification to the notifier registered for the resident's channel."""

    def __init__(self, fallback: Mailbox) -> None:
        self.fallback = fallback
        self._by_channel: dict[str, BaseNotifier] = {}

    def register(self, channel: str, notifier: BaseNotifier) -> None:
        self._by_channel[channel] = notifier

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> None:
        notifier = self._by_channel.get(channel, self.fallback)
        try:
            await notifier.notify(channel=channel, user_id=user_id, replies=replies)
        except Exception:
            # a resident who cannot be reached must not undo a caseworker's decision
            log.exception("notification failed", extra={"channel": channel})
