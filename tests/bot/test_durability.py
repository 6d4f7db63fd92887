"""Nothing lost, nothing doubled: restarts, kills, a crash between filing and saving, Redis outages."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.conversation import ConversationKey
from bot.settings import Settings
from bot.wiring import build_services
from dialogs.messages import Inbound
from dialogs.resume_codes import masked
from intake.keys import redis_key
from intake.models import ConversationRow, Intake
from tests import golden
from tests.bot.conftest import Resident, channel_token, make_settings, running
from tests.bot.test_terminal import typed_lines
from tests.conftest import seed_index

SHANQIAO = str(Path(sys.executable).with_name("shanqiao"))
STATE_LIMIT = 4096  # bytes a saved conversation may take, encrypted, for the golden application


async def stored_intake(client, intake_id: int):
    return await client.app.state.services.intakes.get(intake_id)


class Crash(BaseException):
    """Stands for the process dying at a fault point: nothing after it runs, no handler catches it."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHANQIAO_")}
    env.update(SHANQIAO_VAR_DIR=str(seed_index(tmp_path / "var")), SHANQIAO_SECRET_KEY="durable-secret")
    return env


def _serve(tmp_path: Path, port: int) -> subprocess.Popen:
    """`shanqiao serve` on the embedded default, as `make run` starts it; waits until it answers."""
    with open(tmp_path / f"serve-{port}.log", "ab") as log:  # the child keeps its own copy of the handle
        process = subprocess.Popen([SHANQIAO, "serve", "--port", str(port)], env=_env(tmp_path), cwd=tmp_path,
                                   stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/livez", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError((tmp_path / f"serve-{port}.log").read_text()[-2000:])


async def test_server_killed_mid_application_continues_at_the_same_step(tmp_path):
    token = subprocess.run([SHANQIAO, "channels", "add", "partner"], env=_env(tmp_path), cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            resident = Resident(client, token, "killed")
            await resident.replay(golden.steps()[:28])
            step, said = resident.step, resident.said()
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        server = _serve(tmp_path, port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            resident = Resident(client, token, "killed")
            await resident.text("/start")
            assert resident.step == step
            assert said.splitlines()[-1] in resident.said()  # the same question again
            last = await resident.replay(golden.steps()[28:])
            intake_id = last["state"]["intake_id"]
            assert intake_id
    finally:
        server.kill()
        server.wait(timeout=10)
    services = await build_services(Settings(_env_file=None, var_dir=tmp_path / "var", secret_key="durable-secret"))
    try:
        record = await services.intakes.get(intake_id)
        golden.check_application(record.application)
        assert len(await services.intakes.list_for_user("api:partner", "killed")) == 1
    finally:
        await services.aclose()


async def test_every_line_of_a_turn_answered_just_before_a_kill_is_in_the_transcript(tmp_path):
    """A turn's lines are committed with its state before the answer is sent. Residents talk at once;
    the server is SIGKILLed the moment one of them has the last answer: for every answer any resident
    received, what they said and every reply are in the transcript."""
    token = subprocess.run([SHANQIAO, "channels", "add", "partner"], env=_env(tmp_path), cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    port = _free_port()
    server = _serve(tmp_path, port)
    turns: dict[str, list[tuple[str, list[str]]]] = {f"cut-{n}": [] for n in range(12)}

    async def talk(client: httpx.AsyncClient, user: str) -> None:
        resident = Resident(client, token, user)
        for kind, value in golden.steps()[:9]:
            try:
                answer = await (resident.text(value) if kind == "text" else resident.option(value))
            except httpx.HTTPError:
                return  # the server is gone: this turn's answer never came
            turns[user].append((value, [masked(reply["text"]) for reply in answer["replies"]]))
        server.send_signal(signal.SIGKILL)  # the moment the first resident has their last answer

    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            await asyncio.gather(*(talk(client, user) for user in turns))
    finally:
        server.kill()
        server.wait(timeout=10)
    assert sum(map(len, turns.values())) >= 8
    services = await build_services(Settings(_env_file=None, var_dir=tmp_path / "var", secret_key="durable-secret"))
    try:
        for user, answered in turns.items():
            lines = await services.transcripts.lines(ConversationKey("api:partner", user).hashed(services.vault))
            expected = [line for said, replies in answered for line in [("resident", said), *(("bot", r) for r in replies)]]
            # a turn cut before its answer arrived may be in the transcript too, after these
            assert [(line["who"], line["text"]) for line in lines][:len(expected)] == expected, user
    finally:
        await services.aclose()


async def test_terminal_chat_resumes_where_it_stopped(tmp_path):
    for name, (_, data) in golden.RECEIPTS.items():
        (tmp_path / name).write_bytes(data)
    lines = typed_lines("zh", tmp_path)
    env = _env(tmp_path)

    def chat(part: list[str]) -> str:
        result = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--user", "t-resume"],
                                input="\n".join(part) + "\n", capture_output=True, text=True, env=env,
                                cwd=tmp_path, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    first = chat(lines[:20])
    assert "申请已提交" not in first
    second = chat(lines[20:])  # a new terminal session: the answers so far are still there
    assert "申请已提交" in second
    services = await build_services(Settings(_env_file=None, var_dir=tmp_path / "var", secret_key="durable-secret"))
    try:
        mine = await services.intakes.list_for_user("terminal", "t-resume")
        assert len(mine) == 1
        golden.check_application((await services.intakes.get(mine[0].id)).application)
    finally:
        await services.aclose()


async def _count_intakes(services) -> int:
    async with services.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(Intake))).scalar_one()


@pytest.fixture(params=["embedded", "postgresql+redis"])
async def settings(request, tmp_path, redis_prefix):
    if request.param == "embedded":
        yield make_settings(tmp_path)
        return
    from tests.conftest import REDIS_URL, fresh_postgres_database, require_service

    require_service("Redis", "127.0.0.1", 6379)
    async with fresh_postgres_database() as url:
        yield make_settings(tmp_path, database_url=url, redis_url=REDIS_URL, redis_prefix=redis_prefix)


async def test_a_crash_between_filing_and_saving_files_one_intake(settings):
    async with running(settings) as client:
        services = client.app.state.services
        resident = Resident(client, await channel_token(client), "crash")
        await resident.replay(golden.steps()[:-1])
        assert resident.step == "summary"
        confirm = golden.steps()[-1]

        def crash(point: str) -> None:
            if point == "filed":
                raise Crash

        services.runner.fault = crash
        kind, value = confirm
        with pytest.raises(Crash):
            await services.runner.handle(ConversationKey("api:partner", "crash"),
                                         Inbound(option=value) if kind == "option" else Inbound(text=value))
        assert await _count_intakes(services) == 1
        services.runner.fault = lambda point: None
        # the process came back; the resident, who never saw a number, confirms again
        await resident.text("/start")
        assert resident.step == "summary"
        last = await resident.replay([confirm])
        intake_id = last["state"]["intake_id"]
        assert intake_id and str(intake_id) in resident.said()
        assert await _count_intakes(services) == 1
        record = await stored_intake(client, intake_id)
        golden.check_application(record.application)
        # and a later, new application of the same resident is a new intake
        again = await resident.replay(golden.steps())
        assert again["state"]["intake_id"] != intake_id
        assert await _count_intakes(services) == 2


async def test_a_crash_between_returning_answers_and_saving_returns_them_once(settings):
    """Answers to a caseworker's request go through filing too: screened again, keyed, written once."""
    from intake.console.decisions import Decisions
    from intake.models import InfoRequestStatus, IntakeStatus

    async with running(settings) as client:
        services = client.app.state.services
        resident = Resident(client, await channel_token(client), "asked")
        intake_id = (await resident.replay(golden.steps()))["state"]["intake_id"]
        decisions = Decisions(client.app.state.console)
        await services.queue.relay()
        await decisions.claim(intake_id, worker="cw1")
        await decisions.request_info(intake_id, actor="cw1", items=["situation"], note="请说明近况")

        def crash(point: str) -> None:
            if point == "returned":
                raise Crash

        services.runner.fault = crash
        with pytest.raises(Crash):
            await services.runner.handle(ConversationKey("api:partner", "asked"), Inbound(text="上个月又住院了"))
        services.runner.fault = lambda point: None
        record = await stored_intake(client, intake_id)
        assert record.status is IntakeStatus.SUBMITTED and record.application["situation"] == "上个月又住院了"
        # the process came back; the resident, who never heard the answers arrived, sends them again
        await resident.text("上个月又住院了")
        assert resident.last["state"]["flow"] is None and "不需要了" not in resident.said()
        record = await stored_intake(client, intake_id)
        assert [r.status for r in record.info_requests] == [InfoRequestStatus.ANSWERED]
        assert [(a.from_status, a.to_status) for a in record.audit].count(
            (IntakeStatus.NEEDS_INFORMATION, IntakeStatus.SUBMITTED)) == 1
        assert record.prescreen["prescreen"]["programmes"] and "duplicates" in record.prescreen
        assert await _count_intakes(services) == 1


async def test_saved_state_of_the_golden_application_is_small(settings):
    async with running(settings) as client:
        services = client.app.state.services
        resident = Resident(client, await channel_token(client), "small")
        await resident.replay(golden.steps()[:-1])
        name = ConversationKey("api:partner", "small").hashed(services.vault)
        if services.redis is not None:
            raw = await services.redis.get(redis_key(settings.redis_prefix, "state", name))
        else:
            async with services.engine.connect() as conn:
                raw = (await conn.execute(select(ConversationRow.state).where(ConversationRow.key == name))).scalar()
        assert raw is not None
        assert len(raw) <= STATE_LIMIT, len(raw)


async def test_the_transcript_of_a_long_conversation_is_complete_for_staff(tmp_path):
    async with running(make_settings(tmp_path)) as client:
        resident = Resident(client, await channel_token(client), "long")
        steps = golden.steps()
        await resident.replay(steps[:11])
        questions = [f"第{n}个问题：低保标准是多少？" for n in range(100)]
        for question in questions:
            await resident.text(question)
        last = await resident.replay(steps[11:])
        record = await stored_intake(client, last["state"]["intake_id"])
        said = [line["text"] for line in record.transcript if line["who"] == "resident"]
        assert len(said) >= 120
        assert all(question in said for question in questions)
        assert said[0] == (steps[0][1] if steps[0][0] == "text" else said[0])
        assert len([line for line in record.transcript if line["who"] == "bot"]) >= len(said)


async def test_a_redis_outage_during_200_submissions_loses_and_doubles_nothing(tmp_path, redis_server, postgres_url):
    """200 residents at the summary confirm at once on PostgreSQL + Redis; Redis goes away and comes back
    midway. Each resident retries until they hold an intake number: every one gets exactly one."""
    settings = make_settings(tmp_path, database_url=postgres_url, redis_url=redis_server.url)
    residents = 200
    async with running(settings) as client:
        services = client.app.state.services
        template = Resident(client, await channel_token(client), "template")
        await template.replay(golden.steps()[:-1])
        saved = await services.states.get(ConversationKey("api:partner", "template"))
        for n in range(residents):
            await services.states.set(ConversationKey("api:partner", f"r{n}"), saved)
        kind, value = golden.steps()[-1]
        confirm = Inbound(option=value) if kind == "option" else Inbound(text=value)
        numbers: dict[int, int] = {}
        failures = 0

        async def resident(n: int) -> None:
            nonlocal failures
            key = ConversationKey("api:partner", f"r{n}")
            for _ in range(200):
                try:
                    outcome = await services.runner.handle(key, confirm)
                except Exception:  # noqa: BLE001 - Redis is down: the resident tries again a moment later
                    failures += 1
                    await asyncio.sleep(0.2)
                    continue
                if outcome.intake_id:
                    numbers[n] = outcome.intake_id
                    return
                await asyncio.sleep(0.2)  # "please try again": the answers are still there

        async def outage() -> None:
            while len(numbers) < 20:
                await asyncio.sleep(0.01)
            redis_server.stop()
            await asyncio.sleep(1.5)
            redis_server.start()

        await asyncio.gather(outage(), *(resident(n) for n in range(residents)))
        assert failures > 0  # the outage really hit submissions
        assert len(numbers) == residents
        assert len(set(numbers.values())) == residents
        assert await _count_intakes(services) == residents
        for intake_id in list(numbers.values())[:5]:
            golden.check_application((await services.intakes.get(intake_id)).application)


async def test_while_redis_is_down_residents_are_asked_to_send_again_and_lose_nothing(tmp_path, redis_server):
    settings = make_settings(tmp_path, redis_url=redis_server.url)
    async with running(settings) as client:
        resident = Resident(client, await channel_token(client), "outage")
        await resident.replay(golden.steps()[:9])
        step = resident.step
        redis_server.stop()
        response = await client.post(resident.url, json={"text": "陈美玲"},
                                     headers={"Authorization": f"Bearer {resident.token}"})
        assert response.status_code == 503
        body = response.json()
        assert body["code"] == "unavailable" and "再发一次" in body["replies"][0]["text"]
        assert response.headers["retry-after"]
        redis_server.start()
        await resident.text("/start")
        assert resident.step == step
        last = await resident.replay(golden.steps()[9:])
        golden.check_application((await stored_intake(client, last["state"]["intake_id"])).application)


async def test_files_no_answer_refers_to_are_swept_away(tmp_path):
    async with running(make_settings(tmp_path)) as client:
        services = client.app.state.services
        token = await channel_token(client)
        stray = Resident(client, token, "stray")
        await stray.text("你好")
        await stray.file(next(iter(golden.RECEIPTS)))  # a receipt sent at the menu: no answer takes it
        applicant = Resident(client, token, "applicant")
        last = await applicant.replay(golden.steps())
        attached = {a.file_id for a in (await stored_intake(client, last["state"]["intake_id"])).attachments}
        pending = Resident(client, token, "pending")
        steps = golden.steps()
        first_file = next(i for i, (kind, _) in enumerate(steps) if kind == "file")
        await pending.replay(steps[:first_file + 1])  # mid-application, one receipt given
        on_disk = {p.name for p in services.files.directory.iterdir()}
        assert len(on_disk) == len(attached) + 2
        assert await services.sweep_files(grace_seconds=3600) == 0  # nothing is taken while it is fresh
        removed = await services.sweep_files(grace_seconds=0)
        left = {p.name for p in services.files.directory.iterdir()}
        assert removed == 1
        assert attached <= left and len(left) == len(attached) + 1
