"""Delivering messages to residents outside a turn (caseworker decisions), by channel."""
from __future__ import annotations

import asyncio
import json
import logging
import time
from abc import abstractmethod
from collections import defaultdict, deque
from collections.abc import Callable

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.conversation import ConversationKey
from dialogs.messages import Reply
from intake.crypto import Vault
from intake.keys import redis_key
from intake.models import MailboxMessage, utcnow
from intake.notify import BaseNotifier

log = logging.getLogger(__name__)
MAILBOX_LIMIT = 50  # messages kept per resident; the oldest go first
# how often the SQL mailbox reads which residents have messages waiting: a turn of anyone else reads
# nothing, and a message another process wrote (a notice retried by `shanqiao worker`) shows within it
MAILBOX_RECHECK_SECONDS = 1.0
# every so many rechecks the SQL mailbox reads all waiting messages again, not only those with newer
# ids: on PostgreSQL an id is taken before its transaction commits, so a later id can be seen first
MAILBOX_FULL_READ_EVERY = 60


def dump_reply(reply: Reply) -> bytes:
    """A reply as stored JSON bytes (before encryption)."""
    return json.dumps(reply.as_data(), ensure_ascii=False).encode()


def load_reply(data: bytes) -> Reply:
    """A reply back from `dump_reply`'s bytes."""
    return Reply.from_data(json.loads(data))


def dump_replies(replies: list[Reply]) -> bytes:
    """Several replies as one stored JSON document."""
    return json.dumps([reply.as_data() for reply in replies], ensure_ascii=False).encode()


def load_replies(data: bytes) -> list[Reply]:
    """Replies back from `dump_replies`'s bytes."""
    return [Reply.from_data(body) for body in json.loads(data)]


class Mailbox(BaseNotifier):
    """For channels without push (web chat, HTTP chat API): messages wait until the client asks."""

    @abstractmethod
    async def collect(self, channel: str, user_id: str) -> list[Reply]:
        """Messages waiting for this resident, removed as they are handed over."""


class MemoryMailbox(Mailbox):
    """In-process mailbox, for tests only: nothing survives a restart."""

    def __init__(self, limit: int = MAILBOX_LIMIT) -> None:
        self._waiting: defaultdict[tuple[str, str], deque[Reply]] = defaultdict(lambda: deque(maxlen=limit))

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        self._waiting[(channel, user_id)].extend(replies)
        return True

    async def collect(self, channel: str, user_id: str) -> list[Reply]:
        return list(self._waiting.pop((channel, user_id), ()))


class SqlMailbox(Mailbox):
    """Messages kept in the SQL database (encrypted), the embedded default: a restart loses none.

    Most turns find nothing waiting, so the mailbox keeps the set of residents who have messages and
    reads rows only for them. Every `MAILBOX_RECHECK_SECONDS` it reads the messages written since
    (by another process too, e.g. a notice retried by `shanqiao worker`); the embedded default has
    one web process, the only one that hands messages over, so what it hands over it takes out itself.
    """

    def __init__(self, engine: AsyncEngine, *, vault: Vault, limit: int = MAILBOX_LIMIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.engine, self.vault, self.limit, self.clock = engine, vault, limit, clock
        self._waiting: set[str] = set()  # keys of residents with messages
        self._seen = 0  # the newest message id read so far
        self._read_at: float | None = None
        self._reading: asyncio.Task | None = None
        self._reads = 0

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        if not replies:
            return True
        key, now = ConversationKey(channel, user_id).hashed(self.vault), utcnow()
        rows = [{"key": key, "body": self.vault.encrypt(dump_reply(reply)), "created_at": now} for reply in replies]
        async with self.engine.begin() as conn:
            await conn.execute(insert(MailboxMessage), rows)
            kept = select(MailboxMessage.id).where(MailboxMessage.key == key) \
                .order_by(MailboxMessage.id.desc()).limit(self.limit).scalar_subquery()
            await conn.execute(delete(MailboxMessage).where(MailboxMessage.key == key, MailboxMessage.id.not_in(kept)))
        self._waiting.add(key)
        return True

    async def _has_waiting(self, key: str) -> bool:
        if self._read_at is None or self.clock() - self._read_at >= MAILBOX_RECHECK_SECONDS:
            if self._reading is None or self._reading.done():  # one read serves every turn that needs it
                self._reading = asyncio.create_task(self._read_new())
            await asyncio.shield(self._reading)
        return key in self._waiting

    async def _read_new(self) -> None:
        read_at, self._reads = self.clock(), self._reads + 1
        since = 0 if self._reads % MAILBOX_FULL_READ_EVERY == 0 else self._seen
        query = select(MailboxMessage.id, MailboxMessage.key).where(MailboxMessage.id > since)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        self._waiting.update(row.key for row in rows)  # added to, never replaced: nothing noted meanwhile is lost
        self._seen = max([self._seen, *(row.id for row in rows)])
        self._read_at = read_at

    async def collect(self, channel: str, user_id: str) -> list[Reply]:
        key = ConversationKey(channel, user_id).hashed(self.vault)
        if not await self._has_waiting(key):
            return []
        self._waiting.discard(key)  # before the read: a message noted while it runs keeps its mark
        query = select(MailboxMessage.id, MailboxMessage.body).where(MailboxMessage.key == key).order_by(MailboxMessage.id)
        try:
            async with self.engine.begin() as conn:
                rows = (await conn.execute(query)).all()
                if rows:
                    await conn.execute(delete(MailboxMessage).where(MailboxMessage.id.in_([r.id for r in rows])))
        except BaseException:
            self._waiting.add(key)
            raise
        return [load_reply(self.vault.decrypt(r.body)) for r in rows]


class RedisMailbox(Mailbox):
    """Messages kept in Redis (encrypted, expiring), so every worker sees them."""

    def __init__(self, redis, *, vault: Vault, prefix: str = "shanqiao", limit: int = MAILBOX_LIMIT,
                 ttl_seconds: int = 30 * 86400) -> None:
        self.redis, self.vault, self.prefix, self.limit, self.ttl = redis, vault, prefix, limit, ttl_seconds

    def _key(self, channel: str, user_id: str) -> str:
        return redis_key(self.prefix, "mailbox", ConversationKey(channel, user_id).hashed(self.vault))

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        payloads = [self.vault.encrypt(dump_reply(reply)) for reply in replies]
        if payloads:
            key = self._key(channel, user_id)
            async with self.redis.pipeline(transaction=True) as pipe:
                await pipe.rpush(key, *payloads).ltrim(key, -self.limit, -1).expire(key, self.ttl).execute()
        return True

    async def collect(self, channel: str, user_id: str) -> list[Reply]:
        raw = await self.redis.lpop(self._key(channel, user_id), self.limit)  # one command; at most `limit`
        return [load_reply(self.vault.decrypt(item)) for item in raw or ()]


class Notifiers(BaseNotifier):
    """Routes a notification to the notifier registered for the resident's channel (the mailbox otherwise)."""

    def __init__(self, fallback: Mailbox) -> None:
        self.fallback = fallback
        self._by_channel: dict[str, BaseNotifier] = {}

    def register(self, channel: str, notifier: BaseNotifier) -> None:
        self._by_channel[channel] = notifier

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        """True when the channel took the message; False when it could not be delivered (e.g. a blocked bot)."""
        notifier = self._by_channel.get(channel, self.fallback)
        try:
            return await notifier.notify(channel=channel, user_id=user_id, replies=replies)
        except Exception:
            # a resident who cannot be reached must not undo a caseworker's decision: the caller hears False
            log.exception("notification failed", extra={"channel": channel})
            return False
