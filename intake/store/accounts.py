"""Credentials in SQL: chat API channel tokens, console accounts, their sessions and sign-in throttling."""
from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from intake.crypto import Vault
from intake.errors import AccountLocked, DuplicateName, InvalidRequest, UnknownRole
from intake.models import ChannelToken, ConsoleSession, ConsoleUser, LoginThrottle, Role
from intake.store.records import Account, ChannelRecord, SessionRecord

log = logging.getLogger(__name__)

# failures from one address, whatever names it tries, before the address must wait
MAX_FAILED_PER_ADDRESS = 20
# how long a channel token that matched is trusted before the database is read again: a token
# revoked by this process stops at once, one revoked by another process (`shanqiao channels revoke`)
# within this many seconds
CHANNEL_RECHECK_SECONDS = 2.0
# a token trusted for this long is read again in the background, while it is still trusted: under load the
# database read waits behind the writer, and every request arriving once the trust had run out would wait too
CHANNEL_REFRESH_SECONDS = 0.5 * CHANNEL_RECHECK_SECONDS
# tokens that matched, with their keyed hash, kept so a client's every request does not hash its token again;
# a hash never changes (the key is fixed for the process), so this cache needs no revoking
TOKEN_HASHES_KEPT = 256


class SqlAccounts:
    """Channel tokens, console users, sessions and the sign-in throttle."""

    engine: AsyncEngine
    vault: Vault
    clock: Callable[[], datetime]
    hasher: PasswordHasher
    max_failed_logins: int
    lockout: timedelta
    _dummy_hash: str | None = None
    _channel_hashes: dict[str, tuple[datetime, str]]  # channel -> (checked at, token hash that matched)
    _channel_changes: int  # tokens added or revoked by this process
    _token_hashes: dict[str, str]  # token that matched -> its keyed hash (at most TOKEN_HASHES_KEPT)
    _refreshing: dict[str, asyncio.Task[None]]  # channel -> its background read (CHANNEL_REFRESH_SECONDS)

    # -- channels ------------------------------------------------------------------------
    def _token_hash(self, token: str) -> str:
        return self.vault.keyed_hash("channel-token:" + token)

    async def add_channel(self, name: str) -> str:
        """Create (or rotate) the token of a chat API channel; return the token, shown only this once."""
        if not name or len(name) > 64:
            raise InvalidRequest("a channel name has 1 to 64 characters")
        token = secrets.token_urlsafe(32)
        async with self.engine.begin() as conn:
            await conn.execute(delete(ChannelToken).where(ChannelToken.name == name))
            await conn.execute(
                insert(ChannelToken).values(name=name, token_hash=self._token_hash(token), created_at=self.clock())
            )
        self._channel_changed(name)
        return token

    async def check_channel(self, name: str, token: str) -> bool:
        """Whether `token` is the current token of channel `name` (constant-time).

        A token that matched is trusted for `CHANNEL_RECHECK_SECONDS` without reading the database;
        anything else is checked against the database, so a rotated token works at once.
        """
        now = self.clock()
        presented = self._token_hashes.get(token) or self._token_hash(token)
        checked_at, known = self._channel_hashes.get(name, (None, ""))
        age = (now - checked_at).total_seconds() if checked_at is not None else None
        if age is not None and age <= CHANNEL_RECHECK_SECONDS and hmac.compare_digest(known, presented):
            if age > CHANNEL_REFRESH_SECONDS and name not in self._refreshing:
                self._refreshing[name] = asyncio.create_task(self._refresh_channel(name, now))
            return True
        changes = self._channel_changes
        stored = await self._stored_token_hash(name)
        # compare even for an unknown channel, so timing does not tell which names exist
        if not (hmac.compare_digest(stored or "0" * 64, presented) and stored is not None):
            return False
        if self._channel_changes == changes:  # a token changed meanwhile in this process is not trusted
            self._channel_hashes[name] = (now, stored)
        if len(self._token_hashes) >= TOKEN_HASHES_KEPT:
            self._token_hashes.clear()  # only rotated tokens pile up here; starting over costs one hash each
        self._token_hashes[token] = presented
        return True

    async def _stored_token_hash(self, name: str) -> str | None:
        async with self.engine.connect() as conn:
            return (await conn.execute(select(ChannelToken.token_hash).where(ChannelToken.name == name))).scalar()

    async def _refresh_channel(self, name: str, started: datetime) -> None:
        """Read a trusted channel's token again; trusted from when this read began, or forgotten if gone."""
        try:
            changes = self._channel_changes
            stored = await self._stored_token_hash(name)
            if self._channel_changes == changes:
                if stored is None:
                    self._channel_hashes.pop(name, None)
                else:
                    self._channel_hashes[name] = (started, stored)
        except Exception as error:  # noqa: BLE001 - the next check after the trust runs out reads it itself
            log.warning("reading a channel token again failed: %s", type(error).__name__)
        finally:
            self._refreshing.pop(name, None)

    def _channel_changed(self, name: str) -> None:
        self._channel_hashes.pop(name, None)
        self._channel_changes += 1

    async def list_channels(self) -> list[ChannelRecord]:
        """Every channel of the chat API and when its token was made (never the token)."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(ChannelToken.name, ChannelToken.created_at).order_by(ChannelToken.name))
            return [ChannelRecord(r.name, r.created_at) for r in rows]

    async def revoke_channel(self, name: str) -> bool:
        """Remove the channel's token; its next request is refused. False if there was none."""
        async with self.engine.begin() as conn:
            revoked = (await conn.execute(delete(ChannelToken).where(ChannelToken.name == name))).rowcount == 1
        self._channel_changed(name)
        return revoked

    # -- console users -------------------------------------------------------------------
    async def add_user(self, name: str, role: str, password: str) -> Account:
        """Create a console account; `DuplicateName` if the name is taken."""
        try:
            role = Role(role)
        except ValueError:
            raise UnknownRole(role) from None
        if not name or len(name) > 64:
            raise InvalidRequest("an account name has 1 to 64 characters")
        password_hash = await self._hash_new(password)
        async with self.engine.begin() as conn:
            if (await conn.execute(select(ConsoleUser.name).where(ConsoleUser.name == name))).first():
                raise DuplicateName("account", name)
            await conn.execute(
                insert(ConsoleUser).values(
                    name=name, role=role.value, password_hash=password_hash, failed_attempts=0,
                    locked_until=None, created_at=self.clock(), disabled=False,
                )
            )
        return Account(name, role)

    async def _hash_new(self, password: str) -> str:
        if len(password) < 8:
            raise InvalidRequest("a password has at least 8 characters")
        return await asyncio.to_thread(self.hasher.hash, password)

    async def get_user(self, name: str) -> Account | None:
        """A console account by name (disabled ones too)."""
        query = select(ConsoleUser.role, ConsoleUser.disabled).where(ConsoleUser.name == name)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else Account(name, Role(row.role), disabled=row.disabled)

    async def list_users(self) -> list[Account]:
        """Every console account, by name."""
        query = select(ConsoleUser.name, ConsoleUser.role, ConsoleUser.disabled).order_by(ConsoleUser.name)
        async with self.engine.connect() as conn:
            return [Account(r.name, Role(r.role), disabled=r.disabled) for r in await conn.execute(query)]

    async def disable_user(self, name: str) -> bool:
        """Refuse the account from now on and end its sessions at once; False if there is no such account."""
        async with self.engine.begin() as conn:
            found = (await conn.execute(update(ConsoleUser).where(ConsoleUser.name == name).values(disabled=True))).rowcount
            await conn.execute(delete(ConsoleSession).where(ConsoleSession.name == name))
        return found == 1

    async def reset_password(self, name: str, password: str) -> bool:
        """Set a new password, enable the account and end its sessions; False if there is no such account."""
        password_hash = await self._hash_new(password)
        async with self.engine.begin() as conn:
            found = (
                await conn.execute(
                    update(ConsoleUser).where(ConsoleUser.name == name).values(password_hash=password_hash, disabled=False)
                )
            ).rowcount
            await conn.execute(delete(ConsoleSession).where(ConsoleSession.name == name))
        return found == 1

    # -- sessions ------------------------------------------------------------------------
    def _session_hash(self, token: str) -> str:
        return self.vault.keyed_hash("console-session:" + token)

    async def start_session(self, name: str, *, lifetime: timedelta) -> tuple[str, str]:
        """A new session for `name`: (token for the cookie or bearer header, CSRF token its forms carry)."""
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(24), self.clock()
        async with self.engine.begin() as conn:
            # sessions past their end are of no use to anyone: sweep them while writing anyway
            await conn.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
            await conn.execute(
                insert(ConsoleSession).values(
                    token_hash=self._session_hash(token), name=name, csrf=csrf, created_at=now, expires_at=now + lifetime
                )
            )
        return token, csrf

    async def find_session(self, token: str) -> SessionRecord | None:
        """The live session of `token` with its account, or None (ended, expired, or the account disabled)."""
        query = (
            select(ConsoleSession.name, ConsoleSession.csrf, ConsoleSession.expires_at, ConsoleUser.role)
            .join(ConsoleUser, ConsoleUser.name == ConsoleSession.name)
            .where(ConsoleSession.token_hash == self._session_hash(token), ConsoleUser.disabled.is_(False))
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None or row.expires_at <= self.clock():
            return None
        return SessionRecord(Account(row.name, Role(row.role)), row.csrf, row.expires_at)

    async def end_session(self, token: str) -> None:
        """Sign out: the token stops working at once, wherever a copy of it is."""
        async with self.engine.begin() as conn:
            await conn.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == self._session_hash(token)))

    async def end_sessions(self, name: str) -> int:
        """End every session of the account; return how many there were."""
        async with self.engine.begin() as conn:
            return (await conn.execute(delete(ConsoleSession).where(ConsoleSession.name == name))).rowcount

    # -- signing in ----------------------------------------------------------------------
    def _check_password(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _throttle_keys(self, name: str, address: str) -> tuple[str, str]:
        # the pair, not the name alone: someone guessing elsewhere cannot lock a caseworker out of their own desk
        return (self.vault.keyed_hash(f"login-pair:{name}\x00{address}"),
                self.vault.keyed_hash(f"login-address:{address}"))

    async def _locked_until(self, conn: AsyncConnection, keys: tuple[str, str], now: datetime) -> datetime | None:
        rows = await conn.execute(select(LoginThrottle.locked_until).where(LoginThrottle.key.in_(keys)))
        ends = [until for (until,) in rows if until is not None and until > now]
        return max(ends) if ends else None

    async def verify_user(self, name: str, password: str, *, address: str = "") -> Account | None:
        """The account if the password is right, else None; `AccountLocked` after repeated failures.

        Names that do not exist are counted and locked exactly like real ones, so neither the
        answer nor its timing tells which names exist. The password is checked outside any
        transaction: argon2 takes tens of milliseconds and the SQLite engine has a single connection.
        """
        now, keys = self.clock(), self._throttle_keys(name, address)
        async with self.engine.connect() as conn:
            until = await self._locked_until(conn, keys, now)
            row = (
                await conn.execute(
                    select(ConsoleUser.role, ConsoleUser.password_hash, ConsoleUser.disabled).where(ConsoleUser.name == name)
                )
            ).first()
        if until is not None:
            raise AccountLocked(name, until)
        if row is None and self._dummy_hash is None:
            self._dummy_hash = await asyncio.to_thread(self.hasher.hash, secrets.token_hex(16))
        # the same work for a missing account as for a real one
        stored = self._dummy_hash if row is None else row.password_hash
        right = await asyncio.to_thread(self._check_password, stored, password)
        if right and row is not None and not row.disabled:
            async with self.engine.begin() as conn:
                await conn.execute(delete(LoginThrottle).where(LoginThrottle.key == keys[0]))
                if self.hasher.check_needs_rehash(row.password_hash):
                    rehashed = await asyncio.to_thread(self.hasher.hash, password)
                    await conn.execute(update(ConsoleUser).where(ConsoleUser.name == name).values(password_hash=rehashed))
            return Account(name, Role(row.role))
        until = await self._count_failure(keys, now)
        if until is not None:
            raise AccountLocked(name, until)
        return None

    async def _count_failure(self, keys: tuple[str, str], now: datetime) -> datetime | None:
        """Count a failure against the pair and the address; the lock's end if either is now locked."""
        limits = dict(zip(keys, (self.max_failed_logins, MAX_FAILED_PER_ADDRESS), strict=True))
        locked = None
        async with self.engine.begin() as conn:
            for key, limit in limits.items():
                row = (
                    await conn.execute(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
                ).first()
                if row is None or row.window_start + self.lockout <= now:
                    # failures older than one lock-out period are forgiven
                    await conn.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
                    await conn.execute(insert(LoginThrottle).values(key=key, failures=1, window_start=now, locked_until=None))
                    failures = 1
                else:
                    failures = row.failures + 1
                    await conn.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(failures=failures))
                if failures >= limit:
                    until = now + self.lockout
                    # a fresh window: the next failures after the lock count from zero
                    await conn.execute(
                        update(LoginThrottle).where(LoginThrottle.key == key)
                        .values(failures=0, window_start=until, locked_until=until)
                    )
                    locked = until if locked is None else max(locked, until)
        return locked
