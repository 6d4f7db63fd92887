"""The real app under uvicorn on a free port, headless Chromium, and a resident on the HTTP chat API."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from bot.app import create_app
from bot.wiring import build_services
from intake.database import migrate
from tests import golden
from tests.bot.conftest import make_settings
from tests.conftest import IN_CI

CHROMIUM = os.environ.get("SHANQIAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


PHONE = {"width": 390, "height": 844}  # a phone's viewport, for the web chat
CODE = re.compile(r"续办码：([0-9A-Z]{4}-[0-9A-Z]{4})")  # a resume code as the web chat says it


def bot_says(page, words: str) -> None:
    """Wait until the newest bot message with these words is shown."""
    from playwright.sync_api import expect

    expect(page.locator(".msg.bot", has_text=words).last).to_be_visible(timeout=10_000)


def type_in(page, text: str, then: str) -> None:
    """Type an answer in the web chat and wait for the bot's reply containing `then`."""
    page.fill("#text", text)
    page.press("#text", "Enter")
    bot_says(page, then)


def apply_until_code(browser, served):
    """A phone's browser that starts the golden application on the web chat and types up to the phone number,
    which brings the resume code; the browser context, its page and the code said."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(served.base_url + "/")
    bot_says(page, "请选择您要办理的事项")
    for typed, then in [("开始申请", "收入和财产"), ("同意并继续", "姓名"), ("陈美玲", "身份证"),
                        (golden.APPLICANT_ID, "电话"), (golden.PHONE, "续办码")]:
        type_in(page, typed, then)
    said = page.locator(".msg.bot", has_text="续办码").last.inner_text()
    return context, page, said
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """The running app's address, a channel token and a caseworker account."""

    def __init__(self, base_url: str, token: str, caseworker: str) -> None:
        self.base_url, self.token, self.caseworker = base_url, token, caseworker


@pytest.fixture
def served(tmp_path):
    """The app as `shanqiao serve` runs it (SQLite file under a fresh var/), in a background thread."""
    settings = make_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}")

    async def prepare() -> str:
        services = await build_services(settings)
        try:
            await migrate(services.engine)
            await services.intakes.add_user("wang", "caseworker", PASSWORD)
            return await services.intakes.add_channel("partner")
        finally:
            await services.aclose()

    token = asyncio.run(prepare())
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", token, "wang")
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def browser():
    """Headless Chromium from the system (never a downloaded build)."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if IN_CI:
            pytest.fail(f"Chromium is not installed at {CHROMIUM}")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class ChatResident:
    """A resident on the HTTP chat API of the running app."""

    def __init__(self, served: Served, user_id: str) -> None:
        self.url = f"{served.base_url}/api/chat/partner/{user_id}"
        self.client = httpx.Client(headers={"Authorization": f"Bearer {served.token}"}, timeout=30)
        self.last: dict = {}

    def send(self, kind: str, value: str) -> dict:
        if kind == "file":
            content_type, data = golden.RECEIPTS[value]
            response = self.client.post(self.url, files={"file": (value, data, content_type)})
        else:
            response = self.client.post(self.url, json={kind: value})
        assert response.status_code == 200, response.text
        self.last = response.json()
        return self.last

    def apply(self, locale: str = "zh") -> int:
        for kind, value in golden.steps(locale):
            self.send(kind, value)
        intake_id = self.last["state"]["intake_id"]
        assert intake_id, self.last
        return intake_id

    def messages(self) -> list[str]:
        """Messages the caseworker's decisions left for the resident, handed over once."""
        response = self.client.get(f"{self.url}/messages")
        assert response.status_code == 200, response.text
        return [reply["text"] for reply in response.json()["replies"]]

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def resident(served):
    person = ChatResident(served, "browser-resident")
    yield person
    person.close()
