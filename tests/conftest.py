"""Shared fixtures: real PostgreSQL and Redis on 127.0.0.1, one private database / key space per test."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

PG_ADMIN_DSN = os.environ.get("SHANQIAO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SHANQIAO_TEST_REDIS", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[1]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip locally when a service is down; under CI=true a missing service is a failure."""
    if _reachable(host, port):
        return
    if IN_CI:
        pytest.fail(f"{name} is not running on {host}:{port}")
    pytest.skip(f"{name} is not running on {host}:{port}")


@asynccontextmanager
async def fresh_postgres_database():
    """Create a uniquely named PostgreSQL database; yield its asyncpg SQLAlchemy URL; drop it."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    import asyncpg

    name = f"shanqiao_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


# Migrated PostgreSQL databases of this process that no test holds: a test that needs the schema takes one
# (creating and migrating costs about a second, emptying a few milliseconds) and gives it back emptied.
_MIGRATED_FREE: list[str] = []
_MIGRATED_ALL: list[str] = []
_MIGRATED_HEAD: list[str] = []  # the alembic revision a returned database must still be at


def _admin_dsn(name: str) -> str:
    return PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"


async def _give_back(name: str) -> bool:
    """Empty a borrowed database for the next test (every table but alembic_version, sequences restarted);
    False when it cannot be trusted again (its schema moved, or it could not be emptied). The rows are
    deleted in one transaction with foreign keys unchecked: on tables this small that is far cheaper than
    TRUNCATE, which writes new files for every table."""
    import asyncpg

    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:  # connections the test left open would hold locks against the emptying
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = $1 AND pid <> pg_backend_pid()", name)
    finally:
        await admin.close()
    connection = await asyncpg.connect(_admin_dsn(name))
    try:
        await connection.execute("SET lock_timeout = '5s'")
        tables = [row["tablename"] for row in await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        if "alembic_version" not in tables:
            return False
        version = await connection.fetchval("SELECT string_agg(version_num, ',') FROM alembic_version")
        if version != _MIGRATED_HEAD[0]:
            return False
        sequences = [row["relname"] for row in await connection.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = 'public'")]
        emptying = [f'DELETE FROM "{table}";' for table in tables if table != "alembic_version"]
        emptying += [f"""SELECT setval('"{sequence}"', 1, false);""" for sequence in sequences]
        await connection.execute("SET session_replication_role = replica; SET synchronous_commit = off; BEGIN; "
                                 + " ".join(emptying) + " COMMIT;")
        return True
    except (asyncpg.PostgresError, OSError):
        return False
    finally:
        await connection.close()


async def _drop(name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def migrated_postgres_database():
    """An asyncpg SQLAlchemy URL to a PostgreSQL database at the newest schema with every table empty, as a
    fresh migrated database would be; emptied and kept for the next test afterwards (dropped at exit)."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    if _MIGRATED_FREE:
        name = _MIGRATED_FREE.pop()
    else:
        import asyncpg

        from intake.database import create_engine, migrate

        name = f"shanqiao_test_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        _MIGRATED_ALL.append(name)
        engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}")
        try:
            await migrate(engine)
        finally:
            await engine.dispose()
        if not _MIGRATED_HEAD:
            connection = await asyncpg.connect(_admin_dsn(name))
            try:
                _MIGRATED_HEAD.append(await connection.fetchval(
                    "SELECT string_agg(version_num, ',') FROM alembic_version"))
            finally:
                await connection.close()
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        if await _give_back(name):
            _MIGRATED_FREE.append(name)
        else:
            _MIGRATED_ALL.remove(name)
            await _drop(name)


# The knowledge indexes of the packaged corpus as `shanqiao` saves them, built once per test run for the
# processes the tests start (each would otherwise build them again: seconds per start).
_SHARED_INDEX: list[Path] = []


def seed_index(var_dir) -> Path:
    """Put the saved knowledge indexes of the packaged corpus into `var_dir`/knowledge, where `shanqiao` looks for
    them, as a server finds them on its second start; returns `var_dir`. They are hard links to one copy built
    once per test run (a process that needs another corpus or parameter file still builds and saves its own)."""
    if not _SHARED_INDEX:
        shared = Path(tempfile.mkdtemp(prefix="shanqiao-test-index-"))
        subprocess.run([sys.executable, "-c", "import sys; from knowledge.answerer import build_answerer; "
                        "build_answerer(cache_dir=sys.argv[1])", str(shared)], cwd=ROOT, check=True)
        _SHARED_INDEX.append(shared)
    target = Path(var_dir) / "knowledge"
    target.mkdir(parents=True, exist_ok=True)
    for saved in _SHARED_INDEX[0].glob("*.pickle"):
        if not (target / saved.name).exists():
            try:
                os.link(saved, target / saved.name)
            except OSError:
                shutil.copy2(saved, target / saved.name)
    return Path(var_dir)


def pytest_sessionfinish(session, exitstatus):
    """Drop the migrated databases this process kept; remove the shared knowledge indexes."""
    for shared in _SHARED_INDEX:
        shutil.rmtree(shared, ignore_errors=True)
    _SHARED_INDEX.clear()
    if not _MIGRATED_ALL:
        return
    import asyncio

    async def drop_all() -> None:
        for name in _MIGRATED_ALL:
            await _drop(name)

    asyncio.run(drop_all())
    _MIGRATED_ALL.clear()
    _MIGRATED_FREE.clear()


@pytest.fixture
async def migrated_postgres_url():
    """An asyncpg SQLAlchemy URL to a database at the newest schema, every table empty (kept between tests)."""
    async with migrated_postgres_database() as url:
        yield url


@pytest.fixture
async def postgres_url():
    """An asyncpg SQLAlchemy URL to a fresh, empty database, dropped afterwards."""
    async with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    """An aiosqlite SQLAlchemy URL to a new database file."""
    return f"sqlite+aiosqlite:///{tmp_path / 'shanqiao.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path):
    """Every SQL backend in turn: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'shanqiao.db'}"
        return
    async with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def redis_prefix():
    """A unique key prefix so tests never see each other's keys."""
    return f"shanqiao-test:{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def redis_url(redis_prefix):
    """The Redis URL, after checking the server answers; keys under `redis_prefix` are removed afterwards."""
    require_service("Redis", "127.0.0.1", 6379)
    yield REDIS_URL
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        keys = [k async for k in client.scan_iter(match=f"{redis_prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(params=["embedded", "postgresql+redis"])
async def any_backend(request, tmp_path, redis_prefix):
    """The console app on the embedded default, then on PostgreSQL with conversations, mailboxes and the
    queue in Redis."""
    from tests.intake.console_harness import console_app

    if request.param == "embedded":
        async with console_app(tmp_path) as harness:
            yield harness
        return
    require_service("Redis", "127.0.0.1", 6379)
    async with migrated_postgres_database() as postgres_url:
        async with console_app(tmp_path, database_url=postgres_url, redis_url=REDIS_URL,
                               redis_prefix=redis_prefix) as harness:
            yield harness


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own on a spare port, with an append-only file so a restart keeps the data."""

    def __init__(self, directory) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--appendonly", "yes", "--save", "", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: redis flushes the append-only file and exits
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
