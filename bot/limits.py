"""Limits checked before any work: request body size (413) and a per-resident rate on the public web chat (429)."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from intake.keys import redis_key
from intake.store.attempts import Attempt

JSON_BODY_LIMIT = 1024 * 1024  # a chat message is at most 100,000 characters; JSON escapes can triple that
MULTIPART_MARGIN = 64 * 1024  # form fields and part headers around the file itself

Scope = dict[str, Any]
LimitFor = Callable[[str, str], int]


class BodyTooLarge(Exception):
    """The body passed its limit while it was being received."""


def _refusal(status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> tuple[dict, dict]:
    body = json.dumps({"detail": detail}).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                         *headers]}
    return start, {"type": "http.response.body", "body": body}


class BodyLimit:
    """ASGI middleware: a declared Content-Length over the limit is refused unread; a body that grows past
    it while streaming (chunked, or a lying header) is cut off with the same 413."""

    def __init__(self, app: Any, limit_for: LimitFor) -> None:
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        limit = self.limit_for(scope["path"], content_type)
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            return await self._refuse(send, limit)
        seen = 0
        started = False

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracked(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Callable, limit: int) -> None:
        start, body = _refusal(413, f"request body too large (limit {limit} bytes)", [(b"connection", b"close")])
        await send(start)
        await send(body)


class RateLimit:
    """At most `burst` requests per `window` seconds per key; counted in Redis when given (shared by every
    process), else in this process."""

    def __init__(self, *, burst: int, window: float, redis: Any = None, prefix: str = "shanqiao:rate:") -> None:
        self.burst, self.window, self.redis, self.prefix = burst, window, redis, prefix
        self._local: dict[str, tuple[float, int]] = {}

    async def allow(self, key: str) -> bool:
        if self.redis is not None:
            name = f"{self.prefix}{key}:{int(time.time() // self.window)}"
            async with self.redis.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(name).expire(name, int(self.window) + 1).execute()
            return count <= self.burst
        now = time.monotonic()
        if len(self._local) > 50_000:  # forget finished windows so the table cannot grow without end
            self._local = {k: v for k, v in self._local.items() if now - v[0] < self.window}
        started, count = self._local.get(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        self._local[key] = (started, count + 1)
        return count + 1 <= self.burst


class RedisAttempts:
    """`intake.store.attempts.SqlAttempts` kept in Redis: a window per key from its first attempt, shared by
    every process."""

    def __init__(self, redis: Any, *, window: timedelta, prefix: str) -> None:
        self.redis, self.window, self.prefix = redis, window, prefix

    async def hit(self, key: str) -> Attempt:
        """Count one attempt under `key` (already a keyed hash)."""
        name, ms = redis_key(self.prefix, "guess", key), int(self.window.total_seconds() * 1000)
        async with self.redis.pipeline(transaction=True) as pipe:
            _, count, left = await pipe.set(name, 0, px=ms, nx=True).incr(name).pttl(name).execute()
        return Attempt(count, timedelta(milliseconds=max(left, 0)))
