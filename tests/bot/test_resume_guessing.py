"""Resume codes tried from outside: a made-up code answers like a real one until the digits are right,
guesses are counted per client across processes, forwarded addresses count only from trusted proxies,
and the embedded database is private to the account that runs the server."""
from __future__ import annotations

import stat
from contextlib import AsyncExitStack

import httpx
import pytest

from bot.resume import CLIENT
from tests import golden
from tests.bot.conftest import Resident, make_settings
from tests.bot.test_resume import DIGITS, code_in
from tests.conftest import REDIS_URL, fresh_postgres_database, require_service
from tests.intake.console_harness import console_app

LOCKED = "尝试次数太多"  # too many digits tried here


def refused(text: str) -> bool:
    """Told to wait: too many digits, or too many codes from here."""
    return LOCKED in text or "续办码太多了" in text


async def test_a_made_up_code_and_a_real_one_get_the_same_answers(tmp_path):
    async with console_app(tmp_path) as harness:
        owner = await harness.resident("owner")
        await owner.replay(golden.steps()[:6])
        real = code_in(owner.said())
        made_up = "ZZZZ-ZZZZ" if real != "ZZZZ-ZZZZ" else "YYYY-YYYY"
        answers = {}
        for name, code in (("real", real), ("made_up", made_up)):
            stranger = await harness.resident(f"stranger-{name}")
            answers[name] = [await stranger.text("你好"), await stranger.text(f"继续 {code}")]
            for guess in ("0000", "1111", "2222", "3333", "4444"):
                answers[name].append(await stranger.text(guess))
            answers[name].append(await stranger.text(f"继续 {code}"))
            answers[name].append(await stranger.text(DIGITS))
        # every answer, word for word and with the same state, until the right digits (which the lock refuses)
        assert answers["real"] == answers["made_up"]
        said = [reply["text"] for body in answers["real"] for reply in body["replies"]]
        assert any("后四位" in text for text in said) and any("还可以试4次" in text for text in said)
        assert LOCKED in "\n".join(said[-2:])


@pytest.fixture(params=["embedded", "postgresql+redis"])
async def two_processes(request, tmp_path, redis_prefix):
    """Two apps with their own engines, clients and counters, sharing one database (and Redis): what two
    `shanqiao serve` processes share."""
    overrides = {}
    async with AsyncExitStack() as stack:
        if request.param == "postgresql+redis":
            require_service("Redis", "127.0.0.1", 6379)
            overrides = {"database_url": await stack.enter_async_context(fresh_postgres_database()),
                         "redis_url": REDIS_URL, "redis_prefix": redis_prefix}
        first = await stack.enter_async_context(console_app(tmp_path, **overrides))
        second = await stack.enter_async_context(console_app(tmp_path, **overrides))
        yield first, second


async def test_a_hundred_guesses_from_one_client_across_two_processes_are_stopped(two_processes):
    first, second = two_processes
    owner = await first.resident("owner")
    await owner.replay(golden.steps()[:6])
    code = code_in(owner.said())
    token = first.token  # one partner app, one channel token, a new user id for every guess
    answered = []
    for n in range(100):
        harness = (first, second)[n % 2]
        guesser = Resident(await harness.client(), token, user_id=f"rotating-{n}")
        await guesser.text(f"继续 {code}")
        answered.append(not refused(guesser.said()))
    assert answered == [True] * CLIENT + [False] * (100 - CLIENT)
    # another client is not held back by this one: the owner resumes on the web chat
    web = await first.client()
    await web.post("/web/chat", json={"text": f"继续 {code}"})
    body = (await web.post("/web/chat", json={"text": DIGITS})).json()
    assert "核对成功" in body["replies"][0]["text"]


async def _web_guesses(app, *, peer: str, forwarded: list[str], code: str) -> list[bool]:
    """A browser per forwarded address (a fresh cookie each), typing the code twice; False when refused."""
    answered = []
    transport = httpx.ASGITransport(app=app, client=(peer, 50000))
    for address in forwarded:
        async with httpx.AsyncClient(transport=transport, base_url="http://shanqiao.test") as browser:
            for _ in range(2):
                response = await browser.post("/web/chat", json={"text": f"继续 {code}"},
                                              headers={"X-Forwarded-For": address})
                assert response.status_code == 200, response.text
                answered.append(not refused(response.json()["replies"][0]["text"]))
    return answered


async def test_forwarded_addresses_count_only_from_a_listed_proxy(tmp_path):
    async with console_app(tmp_path, trusted_proxies="10.0.0.5,10.9.0.0/16") as harness:
        addresses = [f"203.0.113.{n}" for n in range(20)]
        # a local caller is no proxy: its made-up X-Forwarded-For is ignored and all its guesses count together
        local = await _web_guesses(harness.app, peer="127.0.0.1", forwarded=addresses, code="ZZZZ-ZZZZ")
        assert sum(local) == CLIENT and not any(local[CLIENT:])
        # behind a listed proxy each resident is known by their own address
        for proxy in ("10.0.0.5", "10.9.3.4"):
            assert all(await _web_guesses(harness.app, peer=proxy, forwarded=addresses, code="ZZZZ-ZZZY"))


async def test_without_trusted_proxies_no_forwarded_address_is_believed(tmp_path):
    async with console_app(tmp_path) as harness:
        answered = await _web_guesses(harness.app, peer="127.0.0.1", forwarded=[f"198.51.100.{n}" for n in range(20)],
                                      code="ZZZZ-ZZZZ")
        assert sum(answered) == CLIENT


async def test_the_embedded_database_and_var_are_private_to_the_server(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)  # left open by an earlier version
    async with console_app(tmp_path) as harness:
        resident = await harness.resident("r1")
        await resident.replay(golden.steps()[:6])
        files = {path.name: stat.S_IMODE(path.stat().st_mode) for path in var.iterdir() if path.is_file()}
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert "shanqiao.db" in files and files == {name: 0o600 for name in files}  # the -wal and -shm files too
    assert stat.S_IMODE((var / "attachments").stat().st_mode) == 0o700


def test_a_generated_secret_key_is_private_too(tmp_path):
    settings = make_settings(tmp_path, secret_key=None)
    assert settings.secret
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "var" / "secret_key").stat().st_mode) == 0o600
