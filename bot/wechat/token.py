"""The account's access token, fetched by one process at a time and read by all from the SQL database.

WeChat keeps one token per account. The stable-token API hands out the same token while it is good
and a new one in its last 5 minutes, so processes that fetch at the right time agree; a lease row in
the database makes sure only one of them asks at a time, and the others read what it wrote.
"""
from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.wechat.api import TOKEN_ERRORS, WechatApi, WechatApiError
from intake.crypto import Vault
from intake.models import WechatToken, utcnow

T = TypeVar("T")
# a token is renewed this long before it runs out: inside WeChat's own 5-minute renewal window, so the
# stable-token API then hands out the next token instead of the same one
RENEW_BEFORE = timedelta(seconds=240)
LEASE = timedelta(seconds=15)  # far longer than one fetch takes
FORCE_APART = timedelta(seconds=30)  # WeChat refuses forced refreshes closer together
WAIT = 20.0  # seconds a process waits for another's fetch before giving up on this call


class AccessTokens:
    """Hands out the current token; `call` repeats a call once with a fresh token after 40001/42001."""

    def __init__(self, engine: AsyncEngine, api: WechatApi, *, vault: Vault,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.api, self.vault, self.clock = engine, api, vault, clock
        self.holder = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._cached: tuple[str, datetime] | None = None
        self._fetching: asyncio.Lock = asyncio.Lock()  # one wait per process, however many calls need it

    def _good(self, token: str | None, expires_at: datetime | None) -> bool:
        return bool(token) and expires_at is not None and expires_at - RENEW_BEFORE > self.clock()

    async def get(self) -> str:
        """A token good for a few minutes at least."""
        if self._cached and self._good(*self._cached):
            return self._cached[0]
        async with self._fetching:
            token, expires_at, _ = await self._read()
            if not self._good(token, expires_at):
                token = await self._renew(bad=None)
            else:
                self._cached = (token, expires_at)
            return token

    async def call(self, work: Callable[[str], Awaitable[T]]) -> T:
        """Run `work(token)`; if WeChat says the token is no longer good, once more with a fresh one."""
        token = await self.get()
        try:
            return await work(token)
        except WechatApiError as error:
            if error.code not in TOKEN_ERRORS:
                raise
        async with self._fetching:
            token = await self._renew(bad=token)
        return await work(token)

    async def _read(self) -> tuple[str | None, datetime | None, datetime | None]:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(WechatToken.token, WechatToken.expires_at, WechatToken.forced_at)
                                      .where(WechatToken.app_id == self.api.app_id))).first()
        if row is None:
            return None, None, None
        return (self.vault.decrypt(row.token).decode() if row.token else None), row.expires_at, row.forced_at

    async def _take_lease(self) -> bool:
        now = self.clock()
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(WechatToken).values(app_id=self.api.app_id))
        except IntegrityError:
            pass  # the row is there already
        async with self.engine.begin() as conn:
            taken = await conn.execute(update(WechatToken).where(
                WechatToken.app_id == self.api.app_id,
                or_(WechatToken.lease_until.is_(None), WechatToken.lease_until < now),
            ).values(lease_until=now + LEASE, holder=self.holder))
        return taken.rowcount == 1

    async def _renew(self, *, bad: str | None) -> str:
        """A token other than `bad` (None: any good one): read, or fetched under the lease."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + WAIT
        while True:
            token, expires_at, forced_at = await self._read()
            if self._good(token, expires_at) and token != bad:
                self._cached = (token, expires_at)
                return token
            if await self._take_lease():
                try:
                    return await self._fetch(bad=bad, forced_at=forced_at)
                finally:
                    async with self.engine.begin() as conn:
                        await conn.execute(update(WechatToken).where(
                            WechatToken.app_id == self.api.app_id, WechatToken.holder == self.holder,
                        ).values(lease_until=None, holder=None))
            if loop.time() > give_up:
                raise TimeoutError("another process is still fetching the WeChat access token")
            await asyncio.sleep(0.2)  # another process is fetching: read what it writes

    async def _fetch(self, *, bad: str | None, forced_at: datetime | None) -> str:
        token, expires_at, forced_at = await self._read()  # written meanwhile by the lease's last holder?
        if self._good(token, expires_at) and token != bad:
            self._cached = (token, expires_at)
            return token
        now = self.clock()
        # a token WeChat called bad is replaced by force; at most once every 30 s (WeChat's own limit)
        force = bad is not None and token == bad and (forced_at is None or now - forced_at >= FORCE_APART)
        fetched = await self.api.stable_token(force=force)
        expires_at = now + timedelta(seconds=fetched.expires_in)
        values = {"token": self.vault.encrypt(fetched.value.encode()), "expires_at": expires_at}
        if force:
            values["forced_at"] = now
        async with self.engine.begin() as conn:
            await conn.execute(update(WechatToken).where(WechatToken.app_id == self.api.app_id).values(**values))
        self._cached = (fetched.value, expires_at)
        return fetched.value
