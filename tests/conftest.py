"""Shared fixtures: real PostgreSQL and Redis on 127.0.0.1, one private database / key space per test."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from contextlib import asynccontextmanager

import pytest

PG_ADMIN_DSN = os.environ.get("SHANQIAO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SHANQIAO_TEST_REDIS", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() == "true"


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
    async with fresh_postgres_database() as postgres_url:
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
