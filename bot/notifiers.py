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
# how often a mailbox reads which residents have messages waiting: a turn of anyone else reads
# nothing, and a message another process wrote (a notice retried by `shanqiao worker`) shows within it
MAILBOX_RECHECK_SECONDS = 1.0
# every so many rechecks a mailbox reads every resident with messages again, not only those written
# to since (see each mailbox for what it may miss otherwise)
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
    async def collect(self, channel: str, user_id: str, *, fresh: bool = False) -> list[Reply]:
        """Messages waiting for this resident, removed as they are handed over; `fresh` asks the store
        itself, however recently it was read (a conversation moving elsewhere takes everything with it)."""


class MemoryMailbox(Mailbox):
    """In-process mailbox, for tests only: nothing survives a restart."""

    def __init__(self, limit: int = MAILBOX_LIMIT) -> None:
        self._waiting: defaultdict[tuple[str, str], deque[Reply]] = defaultdict(lambda: deque(maxlen=limit))

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        self._waiting[(channel, user_id)].extend(replies)
        return True

    async def collect(self, channel: str, user_id: str, *, fresh: bool = False) -> list[Reply]:
        return list(self._waiting.pop((channel, user_id), ()))


class PolledMailbox(Mailbox):
    """A mailbox shared by processes that keeps, in each process, the set of residents with messages.

    Most turns find nothing waiting, so a turn asks the store only for a resident in that set. Every
    `MAILBOX_RECHECK_SECONDS` one read adds the residents written to since (by any process, e.g. a
    notice retried by `shanqiao worker` or a decision taken in another web process); a message this
    process writes is in its set at once. Every `MAILBOX_FULL_READ_EVERY` reads, all of them are read.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._waiting: set[str] = set()  # conversation names (keyed hashes) with messages
        self._read_at: float | None = None
        self._reading: asyncio.Task | None = None
        self._reads = 0

    @abstractmethod
    async def _read_waiting(self, *, full: bool) -> set[str]:
        """The names written to since the last read (`full`: every name with messages)."""

    @abstractmethod
    async def _take(self, name: str) -> list[Reply]:
        """Remove and return the messages waiting under `name`."""

    def _name(self, channel: str, user_id: str) -> str:
        """The conversation's keyed hash: what the store files its messages under."""
        return ConversationKey(channel, user_id).hashed(self.vault)

    async def _has_waiting(self, name: str) -> bool:
        if self._read_at is None or self.clock() - self._read_at >= MAILBOX_RECHECK_SECONDS:
            if self._reading is None or self._reading.done():  # one read serves every turn that needs it
                self._reading = asyncio.create_task(self._read_new())
            await asyncio.shield(self._reading)
        return name in self._waiting

    async def _read_new(self) -> None:
        read_at, self._reads = self.clock(), self._reads + 1
        # added to, never replaced: nothing noted meanwhile is lost
        self._waiting.update(await self._read_waiting(full=self._reads % MAILBOX_FULL_READ_EVERY == 0))
        self._read_at = read_at

    async def collect(self, channel: str, user_id: str, *, fresh: bool = False) -> list[Reply]:
        name = self._name(channel, user_id)
        if not fresh and not await self._has_waiting(name):
            return []
        self._waiting.discard(name)  # before the read: a message noted while it runs keeps its mark
        try:
            return await self._take(name)
        except BaseException:
            self._waiting.add(name)
            raise


class SqlMailbox(PolledMailbox):
    """Messages kept in the SQL database (encrypted), the embedded default: a restart loses none."""

    def __init__(self, engine: AsyncEngine, *, vault: Vault, limit: int = MAILBOX_LIMIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(clock)
        self.engine, self.vault, self.limit = engine, vault, limit
        self._seen = 0  # the newest message id read so far

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        if not replies:
            return True
        key, now = self._name(channel, user_id), utcnow()
        rows = [{"key": key, "body": self.vault.encrypt(dump_reply(reply)), "created_at": now} for reply in replies]
        async with self.engine.begin() as conn:
            await conn.execute(insert(MailboxMessage), rows)
            kept = select(MailboxMessage.id).where(MailboxMessage.key == key) \
                .order_by(MailboxMessage.id.desc()).limit(self.limit).scalar_subquery()
            await conn.execute(delete(MailboxMessage).where(MailboxMessage.key == key, MailboxMessage.id.not_in(kept)))
        self._waiting.add(key)
        return True

    async def _read_waiting(self, *, full: bool) -> set[str]:
        # a full read now and then: on PostgreSQL an id is taken before its transaction commits, so a
        # later id can be seen first
        query = select(MailboxMessage.id, MailboxMessage.key).where(MailboxMessage.id > (0 if full else self._seen))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        self._seen = max([self._seen, *(row.id for row in rows)])
        return {row.key for row in rows}

    async def _take(self, name: str) -> list[Reply]:
        query = select(MailboxMessage.id, MailboxMessage.body).where(MailboxMessage.key == name).order_by(MailboxMessage.id)
        async with self.engine.begin() as conn:
            rows = (await conn.execute(query)).all()
            if rows:
                await conn.execute(delete(MailboxMessage).where(MailboxMessage.id.in_([r.id for r in rows])))
        return [load_reply(self.vault.decrypt(r.body)) for r in rows]


class RedisMailbox(PolledMailbox):
    """Messages kept in Redis (encrypted, expiring), so every process sees them.

    Beside each resident's list, one sorted set names the residents with messages, scored by when
    the last one was written; a process reads the names written since its last read, with a margin.
    """

    # how far back before its last read a process looks: a writer's time is taken before it waits for
    # a connection (up to `bot.wiring.REDIS_WAIT_SECONDS`), and clocks of two machines disagree a little
    MARGIN = 60.0  # seconds

    def __init__(self, redis, *, vault: Vault, prefix: str = "shanqiao", limit: int = MAILBOX_LIMIT,
                 ttl_seconds: int = 30 * 86400, clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.redis, self.vault, self.prefix, self.limit, self.ttl = redis, vault, prefix, limit, ttl_seconds
        self.wall_clock = wall_clock
        self._names = redis_key(prefix, "mailbox-waiting")
        self._since = float("-inf")  # the wall-clock time of the last read

    def _key(self, name: str) -> str:
        return redis_key(self.prefix, "mailbox", name)

    async def notify(self, *, channel: str, user_id: str, replies: list[Reply]) -> bool:
        payloads = [self.vault.encrypt(dump_reply(reply)) for reply in replies]
        if payloads:
            name, now = self._name(channel, user_id), self.wall_clock()
            key = self._key(name)
            async with self.redis.pipeline(transaction=True) as pipe:
                await (pipe.rpush(key, *payloads).ltrim(key, -self.limit, -1).expire(key, self.ttl)
                       .zadd(self._names, {name: now}).zremrangebyscore(self._names, "-inf", now - self.ttl)
                       .execute())
            self._waiting.add(name)
        return True

    async def _read_waiting(self, *, full: bool) -> set[str]:
        read_at = self.wall_clock()
        low = "-inf" if full else self._since - self.MARGIN
        names = {name.decode() for name in await self.redis.zrangebyscore(self._names, low, "+inf")}
        self._since = read_at  # only once read: after a failed read the next one looks back as far
        return names

    async def _take(self, name: str) -> list[Reply]:
        # one transaction: a message written meanwhile is either taken here or keeps its name in the set
        async with self.redis.pipeline(transaction=True) as pipe:
            raw, _ = await pipe.lpop(self._key(name), self.limit).zrem(self._names, name).execute()
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
