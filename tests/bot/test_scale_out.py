"""`serve --workers 2` and `shanqiao worker` on PostgreSQL and Redis: 50 residents apply at once, one web
process is killed with SIGKILL midway and the worker is killed and started again; every application is
filed once, and every decision notice reaches its resident once."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from intake.crypto import Vault
from intake.database import create_engine
from intake.models import Notice
from intake.store.sql import SqlIntakeStore
from tests import golden
from tests.conftest import REDIS_URL, fresh_postgres_database, require_service, seed_index
from tests.telegram.workers import SHANQIAO, Worker

SECRET_KEY = "test-secret-key"
RESIDENTS = 50
PASSWORD = "scale-out-password-1"


def web_children(parent_pid: int) -> list[int]:
    """The uvicorn worker processes under `serve --workers N` (not multiprocessing's resource tracker)."""
    children = []
    for task in Path(f"/proc/{parent_pid}/task").iterdir():
        for pid in (task / "children").read_text().split():
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                children.append(int(pid))
    return children


class Resident:
    """One resident on the HTTP chat API who sends each message again, with its id, until it is answered."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str, n: int) -> None:
        self.session, self.url, self.n = session, url, n
        self.headers = {"Authorization": f"Bearer {token}"}
        self.user = f"resident-{n}"
        self.retries = 0
        self.last: dict = {}
        self.notices: list[str] = []

    async def send(self, index: int, kind: str, value: str) -> None:
        message_id = f"{self.user}-{index}"
        while True:
            call = golden.post_step(self.session, f"{self.url}/api/chat/partner/{self.user}", self.headers, kind, value,
                                    message_id)
            try:
                async with call as response:
                    if response.status == 200:
                        self.last = await response.json()
                        self.notices += [r["text"] for r in self.last["replies"] if "已受理" in r["text"]]  # never mid-application
                        return
                    # a polite 503 (a backing service away) or 409 (an earlier message still running): send again
                    assert response.status in (503, 409), (response.status, await response.text())
            except aiohttp.ClientError:
                pass  # the web process died with the request: the answer is lost, the message id makes it safe
            self.retries += 1
            await asyncio.sleep(0.3)

    async def apply(self, progress: list[int]) -> None:
        for index, (kind, value) in enumerate(golden.steps()):
            await self.send(index, kind, value)
            progress[0] += 1

    async def collect(self) -> None:
        """Messages waiting outside a turn (decision notices)."""
        while True:
            try:
                async with self.session.get(f"{self.url}/api/chat/partner/{self.user}/messages",
                                            headers=self.headers) as response:
                    if response.status == 200:
                        self.notices += [r["text"] for r in (await response.json())["replies"]]
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)


async def test_fifty_residents_two_web_processes_one_killed_and_a_restarted_worker(tmp_path, redis_prefix):
    require_service("Redis", "127.0.0.1", 6379)
    async with fresh_postgres_database() as database_url:
        settings = {"var_dir": seed_index(tmp_path / "var"), "secret_key": SECRET_KEY, "database_url": database_url,
                    "redis_url": REDIS_URL, "redis_prefix": redis_prefix}
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("SHANQIAO_")},
               **{f"SHANQIAO_{k.upper()}": str(v) for k, v in settings.items()}}

        def cli(*args: str) -> str:
            done = subprocess.run([SHANQIAO, *args], env=env, check=True, capture_output=True, text=True, cwd=tmp_path)
            return done.stdout.strip().splitlines()[-1]

        cli("db", "upgrade")
        token = cli("channels", "add", "partner")
        cli("users", "add", "cw1", "--role", "caseworker", "--password", PASSWORD)
        web = Worker(tmp_path, "web", command=("serve", "--workers", "2"))
        worker = Worker(tmp_path, "worker", command=("worker",))
        await asyncio.gather(web.start(settings), worker.start(settings))
        steps = len(golden.steps())
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=RESIDENTS)) as session:
                residents = [Resident(session, web.url, token, n) for n in range(RESIDENTS)]
                progress = [0]

                async def havoc() -> int:
                    while progress[0] < RESIDENTS * steps // 2:
                        await asyncio.sleep(0.05)
                    [victim, _other] = web_children(web.process.pid)
                    os.kill(victim, signal.SIGKILL)  # mid-application, with turns in flight
                    worker.kill()
                    await worker.process.wait()
                    await worker.start(settings)
                    return victim

                victim, *_ = await asyncio.gather(havoc(), *(r.apply(progress) for r in residents))

                # every resident finished with an intake number
                filed = [r.last["state"]["intake_id"] for r in residents]
                assert all(isinstance(n, int) for n in filed)
                assert len(set(filed)) == RESIDENTS

                async with session.post(f"{web.url}/api/session", json={"name": "cw1", "password": PASSWORD}) as r:
                    staff = {"Authorization": f"Bearer {(await r.json())['token']}"}
                decided = []
                while len(decided) < RESIDENTS:  # the relay (in the restarted worker) feeds the queue
                    async with session.post(f"{web.url}/api/intakes/claim-next", headers=staff) as r:
                        if r.status == 204:
                            await asyncio.sleep(0.2)
                            continue
                        assert r.status == 200, await r.text()
                        intake_id = (await r.json())["intake_id"]
                    async with session.post(f"{web.url}/api/intakes/{intake_id}/accept", headers=staff, json={}) as r:
                        assert r.status == 200, await r.text()
                    decided.append(intake_id)
                assert sorted(decided) == sorted(filed)

                for _ in range(20):  # notices delivered at once or by the worker's retries; then nothing more
                    await asyncio.gather(*(r.collect() for r in residents))
                    if all(r.notices for r in residents):
                        break
                    await asyncio.sleep(0.5)
                await asyncio.gather(*(r.collect() for r in residents))
        finally:
            await worker.stop()
            await web.stop()

        engine = create_engine(database_url)
        try:
            store = SqlIntakeStore(engine, Vault(SECRET_KEY))
            for resident, intake_id in zip(residents, filed, strict=True):
                [summary] = await store.list_for_user("api:partner", resident.user)
                assert summary.id == intake_id
                golden.check_application((await store.get(intake_id)).application)
                assert resident.notices == [n for n in resident.notices if f"{intake_id}" in n]
                assert len(resident.notices) == 1, (resident.user, resident.notices)
            async with engine.connect() as conn:
                undelivered = (await conn.execute(select(func.count()).select_from(Notice)
                                                  .where(Notice.delivered_at.is_(None)))).scalar_one()
            assert undelivered == 0
        finally:
            await engine.dispose()

    # the kill happened mid-run (the process is gone, or a zombie with no command line); the residents'
    # answers lost with it were resent. The supervisor's own log line is not relied on: a supervisor
    # stopped under load may not flush it.
    proc = Path(f"/proc/{victim}")
    assert not proc.exists() or (proc / "cmdline").read_bytes() == b""
    print(f"resends after lost answers or 503/409: {sum(r.retries for r in residents)}")
    assert worker.logged("Traceback") == 0
