"""Factories for the intake store and queue contract tests: every SQL backend, every queue backend."""
from __future__ import annotations

import copy
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher

from intake.crypto import Vault
from intake.database import create_engine, migrate
from intake.store import SqlIntakeStore
from tests.conftest import migrated_postgres_database

# cheap argon2 parameters: the tests check the lock-out logic, not the hash's cost
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

APPLICATION: dict[str, Any] = {
    "consent": True,
    "applicant": {
        "name": "张三",
        "id_number": "110101199003074477",
        "phone": "+8613800138000",
        "district": "yuexiu",
        "address": "越秀区某街88号",
        "flags": ["serious_illness"],
    },
    "members": [
        {
            "relationship": "spouse",
            "name": "李四",
            "id_number": "11010119920307001X",
            "age": 34,
            "disability_grade": "none",
            "flags": ["unemployed"],
        }
    ],
    "assistance": "none",
    "income": {
        "wages": {"amount": 36000, "estimated": False},
        "business": {"amount": 0, "estimated": False},
        "pension": {"amount": 0, "estimated": False},
        "transfers": {"amount": 0, "estimated": False},
        "other": {"amount": 0, "estimated": False},
    },
    "assets": {"financial": {"amount": 20000, "estimated": True}, "homes": 1, "vehicles": 0, "business_registered": False},
    "expenses": [
        {
            "category": "medical",
            "amount": {"amount": 52000, "estimated": False},
            "note": "住院费用（医保报销后）",
            "receipts": [
                {"file_id": "f-1", "name": "张三住院发票.jpg", "content_type": "image/jpeg", "size": 12345},
                {"file_id": "f-2", "name": "r2.pdf", "content_type": "application/pdf", "size": 999},
            ],
        }
    ],
    "sudden_event": False,
    "situation": "丈夫失业，我住院。",
}


def urgency(record: dict[str, Any], urgent: bool) -> dict[str, Any]:
    """The record made urgent (a sudden event: score 12) or not (already on 低保: score 7), see `intake.urgency`."""
    return {**record, "sudden_event": True} if urgent else {**record, "assistance": "dibao"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def application():
    """A factory of application records: the contract example, with any top-level parts replaced."""

    def make(**changes: Any) -> dict[str, Any]:
        record = copy.deepcopy(APPLICATION)
        record.update(changes)
        return record

    return make


@pytest.fixture
def vault():
    return Vault("test-secret-key")


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request, tmp_path):
    """A migrated engine on every SQL backend in turn: a new SQLite file, then a PostgreSQL database at the
    newest schema with every table empty (kept migrated between tests, see `migrated_postgres_database`)."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path / 'shanqiao.db'}"
        else:
            url = await stack.enter_async_context(migrated_postgres_database())
        engine = create_engine(url)
        try:
            await migrate(engine)
            yield engine
        finally:
            await engine.dispose()


@pytest.fixture
def make_store(engine, vault):
    """A factory of stores on the same database, optionally with a hand-moved clock."""

    def make(clock: Clock | None = None, **options: Any) -> SqlIntakeStore:
        if clock is not None:
            options["clock"] = clock
        return SqlIntakeStore(engine, vault, password_hasher=FAST_HASHER, **options)

    return make


@pytest.fixture
def store(make_store):
    return make_store()
