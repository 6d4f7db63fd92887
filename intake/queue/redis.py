"""The production queue: Redis Streams with one consumer group; SQL still decides who holds an intake."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from intake.errors import AlreadyClaimed, IntakeNotFound, InvalidTransition
from intake.keys import redis_key
from intake.models import IntakeStatus
from intake.queue.base import DEFAULT_LEASE, BaseQueue, QueueEntry
from intake.store.sql import SqlIntakeStore

log = logging.getLogger(__name__)

GROUP = "caseworkers"
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Publish an outbox row at most once: the marker key and the stream entry are written together,
# so a relay that crashes before marking the row in SQL cannot add it a second time.
PUBLISH = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) then
  return redis.call('XADD', KEYS[2], '*', 'intake_id', ARGV[1], 'outbox_id', ARGV[2])
end
return false
"""


@dataclass(frozen=True, slots=True)
class StreamKeys:
    """Every Redis key of one queue, under one prefix."""

    prefix: str

    def stream(self, urgent: bool) -> str:
        """The stream of urgent or of ordinary intakes."""
        return redis_key(self.prefix, "queue", "urgent" if urgent else "normal")

    def published(self, outbox_id: int) -> str:
        """The marker that an outbox row is already in a stream."""
        return redis_key(self.prefix, "published", outbox_id)

    def ref(self, urgent: bool, message_id: str) -> str:
        """A message's reference as kept in SQL: stream kind and entry id."""
        return f"{'u' if urgent else 'n'}:{message_id}"

    def parse(self, ref: str) -> tuple[str, str]:
        """(stream key, entry id) of a reference made by `ref`."""
        kind, message_id = ref.split(":", 1)
        return self.stream(kind == "u"), message_id


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisQueue(BaseQueue):
    """Intakes flow from the SQL outbox into two streams (urgent, ordinary); a lease is a pending entry.

    A worker who goes silent loses the entry to XAUTOCLAIM once it has been idle for the lease;
    the SQL claim is still a conditional update, so two workers never both hold an intake. While
    Redis is unreachable, claims fall back to SQL and the outbox waits for the relay.
    """

    def __init__(
        self,
        store: SqlIntakeStore,
        redis: Redis | str,
        *,
        prefix: str = "shanqiao",
        lease: timedelta = DEFAULT_LEASE,
        published_ttl: timedelta = timedelta(days=7),
    ) -> None:
        super().__init__(store, lease=lease)
        self._owns_client = isinstance(redis, str)
        if isinstance(redis, str):
            # fail fast while Redis is down: the SQL fallback and the outbox cover the gap
            retry = Retry(ExponentialBackoff(cap=0.2, base=0.02), retries=1)
            redis = Redis.from_url(redis, socket_connect_timeout=2, socket_timeout=5, retry=retry)
        self.redis = redis
        self.keys = StreamKeys(prefix)
        self._publish = self.redis.register_script(PUBLISH)
        self._published_ttl = int(published_ttl.total_seconds())

    @property
    def _lease_ms(self) -> int:
        return max(1, int(self.lease.total_seconds() * 1000))

    async def close(self) -> None:
        """Close the Redis client if the queue made it."""
        if self._owns_client:
            await self.redis.aclose()

    # -- recovery --------------------------------------------------------------------------
    async def _recover(self) -> None:
        """Create missing streams and groups; if Redis had lost them, requeue every waiting intake."""
        created = False
        for urgent in (True, False):
            try:
                await self.redis.xgroup_create(self.keys.stream(urgent), GROUP, id="0", mkstream=True)
                created = True
            except ResponseError as error:
                if "BUSYGROUP" not in str(error):
                    raise
        if created:
            count = await self.store.requeue_waiting()
            # a first start finds nothing to requeue; anything else means Redis lost its data
            log.log(logging.WARNING if count else logging.INFO, "queue streams created; requeued %d waiting intakes", count)

    # -- relay -------------------------------------------------------------------------------
    async def relay(self, *, limit: int = 500) -> int:
        """Publish unpublished outbox rows to the streams; safe to repeat, each row lands once."""
        if await self.redis.exists(self.keys.stream(True), self.keys.stream(False)) != 2:
            await self._recover()
        total = 0
        while items := await self.store.pending_outbox(limit=limit):
            async with self.redis.pipeline(transaction=False) as pipe:  # reset even when Redis goes away
                for item in items:
                    await self._publish(
                        keys=[self.keys.published(item.id), self.keys.stream(item.urgent)],
                        args=[item.intake_id, item.id, self._published_ttl],
                        client=pipe,
                    )
                await pipe.execute()
            # only now: a crash before this line is repaired by the markers on the next run
            await self.store.mark_published(item.id for item in items)
            total += len(items)
        return total

    # -- claims ------------------------------------------------------------------------------
    async def claim_next(self, worker: str) -> QueueEntry | None:
        """Hand `worker` the next intake: expired leases first, then new entries; urgent stream first."""
        try:
            try:
                return await self._claim_from_streams(worker)
            except ResponseError as error:
                if "NOGROUP" not in str(error):
                    raise
                await self._recover()
                await self.relay()
                return await self._claim_from_streams(worker)
        except UNREACHABLE as error:
            log.warning("redis unreachable (%s); claiming from SQL", type(error).__name__)
            claim = await self.store.claim(worker, lease=self.lease)
            return None if claim is None else QueueEntry.from_claim(claim)

    async def _claim_from_streams(self, worker: str) -> QueueEntry | None:
        for urgent in (True, False):
            entry = await self._reclaim(urgent, worker) or await self._read_new(urgent, worker)
            if entry is not None:
                return entry
        return None

    async def _reclaim(self, urgent: bool, worker: str) -> QueueEntry | None:
        stream, start = self.keys.stream(urgent), "0-0"
        while True:
            # one at a time: whatever is claimed here but not taken would sit idle for a whole lease
            start, messages, *_ = await self.redis.xautoclaim(stream, GROUP, worker, self._lease_ms, start_id=start, count=1)
            for message_id, fields in messages:
                if (entry := await self._take(urgent, _text(message_id), fields, worker)) is not None:
                    return entry
            if _text(start) == "0-0":
                return None

    async def _read_new(self, urgent: bool, worker: str) -> QueueEntry | None:
        stream = self.keys.stream(urgent)
        while response := await self.redis.xreadgroup(GROUP, worker, {stream: ">"}, count=1):
            for _stream, messages in response:
                for message_id, fields in messages:
                    if (entry := await self._take(urgent, _text(message_id), fields, worker)) is not None:
                        return entry
        return None

    async def _take(self, urgent: bool, message_id: str, fields: dict[Any, Any], worker: str) -> QueueEntry | None:
        """Claim the message's intake in SQL; put the message where it belongs if that is not possible."""
        stream = self.keys.stream(urgent)
        fields = {_text(k): _text(v) for k, v in fields.items()}
        try:
            claim = await self.store.claim(
                worker, lease=self.lease, intake_id=int(fields["intake_id"]), queue_ref=self.keys.ref(urgent, message_id)
            )
        except AlreadyClaimed as held:
            # SQL's lease still runs (it was extended, or this is a second message for the intake):
            # give the entry back to the holder, due again exactly when that lease ends
            remaining = 0 if held.until is None else (held.until - self.store.clock()).total_seconds() * 1000
            idle = max(0, self._lease_ms - int(remaining))
            await self.redis.xclaim(stream, GROUP, held.by or worker, 0, [message_id], idle=idle, justid=True)
            return None
        except (InvalidTransition, IntakeNotFound):
            # decided, waiting for the resident, or gone: the message is spent
            await self._drop(stream, message_id)
            return None
        return QueueEntry.from_claim(claim)

    async def _drop(self, stream: str, message_id: str) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.xack(stream, GROUP, message_id)
            pipe.xdel(stream, message_id)
            await pipe.execute()

    # -- after a claim -----------------------------------------------------------------------
    async def release(self, intake_id: int, *, worker: str, reason: str | None = None) -> None:
        """Give a held intake back; its entry becomes claimable at once, in its old place."""
        await self.store.transition(intake_id, IntakeStatus.SUBMITTED, actor=worker, reason=reason)
        _status, ref = await self.store.queue_ref(intake_id)
        if ref is None:
            return  # claimed from SQL while Redis was away: its message is still waiting in a stream
        stream, message_id = self.keys.parse(ref)
        try:
            await self.redis.xclaim(stream, GROUP, worker, 0, [message_id], idle=self._lease_ms + 1000, justid=True)
        except UNREACHABLE:
            log.warning("redis unreachable; released intake returns to the queue when its lease would have ended")

    async def extend(self, intake_id: int, *, worker: str) -> datetime:
        """Renew the holder's lease in SQL and reset the entry's idle time in Redis."""
        claim = await self.store.extend_lease(intake_id, worker=worker, lease=self.lease)
        if claim.queue_ref is not None:
            stream, message_id = self.keys.parse(claim.queue_ref)
            try:
                await self.redis.xclaim(stream, GROUP, worker, 0, [message_id], idle=0, justid=True)
            except UNREACHABLE:
                # if Redis hands the entry out meanwhile, SQL refuses the claim and gives it back
                log.warning("redis unreachable; lease extended in SQL only")
        return claim.lease_until

    async def ack(self, intake_id: int) -> bool:
        """Drop the entry of a decided intake; False while the intake is still held."""
        status, ref = await self.store.queue_ref(intake_id)
        if status is IntakeStatus.CLAIMED:
            return False
        if ref is not None:
            try:
                await self._drop(*self.keys.parse(ref))
            except UNREACHABLE:
                log.warning("redis unreachable; a spent entry is dropped when next handed out")
        return True
