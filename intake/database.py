"""Engines for the intake database and the migrations that shape it."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 5_301_716  # any constant; PostgreSQL advisory lock held while migrating


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take BEGIN away from the sqlite3 driver (it skips it before SELECT) so every
    # transaction below is a real one; see _sqlite_begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock up front: a read-then-write transaction of another
    # process (the CLI adding a user while the server runs) waits instead of failing mid-way.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


def private_file(path: Path) -> None:
    """Create the SQLite file readable by this account only (0600); SQLite gives its -wal and -shm files the
    same mode. A file left readable by others earlier is closed up too."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def create_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`: SQLite through aiosqlite (WAL, one writer connection) or PostgreSQL through asyncpg.

    SQLite gets a pool of exactly one connection: every statement of the process goes through
    one writer in turn, which keeps tail latency low under concurrent writes (WAL readers of
    other processes are not blocked). Code must therefore never hold one connection while
    waiting for a second one.
    """
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        options = {"pool_size": 10, "max_overflow": 10, "pool_pre_ping": True} | kwargs
        return create_async_engine(url, **options)
    if _is_memory(url):
        options = kwargs
    else:
        private_file(Path(url.database).expanduser())
        options = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60} | kwargs
    engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations; no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # ConfigParser interpolation would choke on a '%' in a password
        rendered = make_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def _upgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database of `engine` to `revision` (async; use inside a running event loop)."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # several processes start at once: one migrates, the others wait and then find nothing to do
            await connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        await connection.run_sync(_upgrade_on, revision)


async def _upgrade(url: str | URL, revision: str) -> None:
    engine = create_engine(url)
    try:
        await migrate(engine, revision)
    finally:
        await engine.dispose()


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (synchronous: for `shanqiao db upgrade` and `make run`).

    It runs its own event loop, so call `migrate(engine)` instead from async code.
    """
    asyncio.run(_upgrade(url, revision))


def _insert(conn: AsyncConnection, table: Any) -> Any:
    """The dialect's INSERT, which knows what to do on a conflict."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def upsert(conn: AsyncConnection, table: Any, columns: tuple[str, ...], keys: tuple[str, ...]) -> Any:
    """An INSERT of `columns` that updates the existing row with the same `keys` (SQLite and PostgreSQL
    alike); execute it with one row or many."""
    statement = _insert(conn, table)
    changed = {name: statement.excluded[name] for name in columns if name not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changed)


def insert_new(conn: AsyncConnection, table: Any) -> Any:
    """An INSERT that leaves an existing row with the same primary key as it is (SQLite and PostgreSQL alike)."""
    return _insert(conn, table).on_conflict_do_nothing()
