"""Credentials in SQL: chat API channel tokens and console accounts with lock-out."""
from __future__ import annotations

import asyncio
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.crypto import Vault
from intake.errors import AccountLocked, DuplicateName, UnknownRole
from intake.models import ChannelToken, ConsoleUser, Role
from intake.store.records import Account


class SqlAccounts:
    """Channel tokens and console users."""

    engine: AsyncEngine
    vault: Vault
    clock: Callable[[], datetime]
    hasher: PasswordHasher
    max_failed_logins: int
    lockout: timedelta
    _dummy_hash: str | None = None

    # -- channels ------------------------------------------------------------------------
    def _token_hash(self, token: str) -> str:
        return self.vault.keyed_hash("channel-token:" + token)

    async def add_channel(self, name: str) -> str:
        """Create (or rotate) the token of a chat API channel; return the token, shown only this once."""
        if not name or len(name) > 64:
            raise ValueError("a channel name has 1 to 64 characters")
        token = secrets.token_urlsafe(32)
        async with self.engine.begin() as conn:
            await conn.execute(delete(ChannelToken).where(ChannelToken.name == name))
            await conn.execute(
                insert(ChannelToken).values(name=name, token_hash=self._token_hash(token), created_at=self.clock())
            )
        return token

    async def check_channel(self, name: str, token: str) -> bool:
        """Whether `token` is the current token of channel `name` (constant-time)."""
        async with self.engine.connect() as conn:
            stored = (await conn.execute(select(ChannelToken.token_hash).where(ChannelToken.name == name))).scalar()
        # compare even for an unknown channel, so timing does not tell which names exist
        expected = stored or "0" * 64
        return hmac.compare_digest(expected, self._token_hash(token)) and stored is not None

    # -- console users -------------------------------------------------------------------
    async def add_user(self, name: str, role: str, password: str) -> Account:
        """Create a console account; `DuplicateName` if the name is taken."""
        try:
            role = Role(role)
        except ValueError:
            raise UnknownRole(role) from None
        if not name or len(name) > 64:
            raise ValueError("an account name has 1 to 64 characters")
        if len(password) < 8:
            raise ValueError("a password has at least 8 characters")
        password_hash = await asyncio.to_thread(self.hasher.hash, password)
        async with self.engine.begin() as conn:
            if (await conn.execute(select(ConsoleUser.name).where(ConsoleUser.name == name))).first():
                raise DuplicateName("account", name)
            await conn.execute(
                insert(ConsoleUser).values(
                    name=name, role=role.value, password_hash=password_hash, failed_attempts=0,
                    locked_until=None, created_at=self.clock(),
                )
            )
        return Account(name, role)

    async def get_user(self, name: str) -> Account | None:
        """A console account by name."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(ConsoleUser.role, ConsoleUser.locked_until, ConsoleUser.failed_attempts).where(ConsoleUser.name == name)
                )
            ).first()
        return None if row is None else Account(name, Role(row.role), row.locked_until, row.failed_attempts)

    async def list_users(self) -> list[Account]:
        """Every console account, by name."""
        query = select(ConsoleUser.name, ConsoleUser.role, ConsoleUser.locked_until, ConsoleUser.failed_attempts)
        async with self.engine.connect() as conn:
            rows = await conn.execute(query.order_by(ConsoleUser.name))
            return [Account(r.name, Role(r.role), r.locked_until, r.failed_attempts) for r in rows]

    def _check_password(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify_user(self, name: str, password: str) -> Account | None:
        """The account if the password is right, else None; `AccountLocked` after repeated failures.

        The password is checked outside any transaction: argon2 takes tens of milliseconds and
        the SQLite engine has a single connection.
        """
        now = self.clock()
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(ConsoleUser.role, ConsoleUser.password_hash, ConsoleUser.locked_until).where(ConsoleUser.name == name)
                )
            ).first()
        if row is None:
            # the same work as for a real account, so timing does not tell which names exist
            if self._dummy_hash is None:
                self._dummy_hash = await asyncio.to_thread(self.hasher.hash, secrets.token_hex(16))
            await asyncio.to_thread(self._check_password, self._dummy_hash, password)
            return None
        if row.locked_until is not None and row.locked_until > now:
            raise AccountLocked(name, row.locked_until)
        if await asyncio.to_thread(self._check_password, row.password_hash, password):
            values: dict[str, object] = {"failed_attempts": 0, "locked_until": None}
            if self.hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = await asyncio.to_thread(self.hasher.hash, password)
            async with self.engine.begin() as conn:
                await conn.execute(update(ConsoleUser).where(ConsoleUser.name == name).values(**values))
            return Account(name, Role(row.role))
        async with self.engine.begin() as conn:
            # counted in SQL, so parallel guesses cannot each see the old count
            failures = (
                await conn.execute(
                    update(ConsoleUser)
                    .where(ConsoleUser.name == name)
                    .values(failed_attempts=ConsoleUser.failed_attempts + 1)
                    .returning(ConsoleUser.failed_attempts)
                )
            ).scalar_one()
            if failures >= self.max_failed_logins:
                until = now + self.lockout
                await conn.execute(
                    update(ConsoleUser).where(ConsoleUser.name == name).values(failed_attempts=0, locked_until=until)
                )
        if failures >= self.max_failed_logins:
            raise AccountLocked(name, until)
        return None
