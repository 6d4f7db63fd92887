"""Running the app with its Telegram bot against the fake Bot API, and a resident who talks to it."""
from __future__ import annotations

import asyncio
import copy
import socket
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from bot.app import create_app
from bot.settings import Settings
from tests import golden
from tests.conftest import REDIS_URL
from tests.telegram.fake_bot_api import Call, FakeBotAPI


def telegram_settings(tmp_path, fake: FakeBotAPI, *, runtime: str, webhook_port: int | None = None,
                      **overrides: Any) -> Settings:
    """Settings for an app whose bot talks to the fake server (webhook mode when a port is given)."""
    values: dict[str, Any] = {
        "var_dir": tmp_path / "var", "secret_key": "test-secret-key", "database_url": None, "redis_url": None,
        "llm_base_url": None, "telegram_token": fake.token, "telegram_api_base": fake.base_url,
        "bot_runtime": runtime, "webhook_url": None,
    }
    if webhook_port is not None:
        values["webhook_url"] = f"http://127.0.0.1:{webhook_port}/telegram/webhook"
    values.update(overrides)
    return Settings(_env_file=None, **values)


def free_socket() -> socket.socket:
    """A listening-ready socket on 127.0.0.1 with a free port, bound now so the port is known early."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class Answering:
    """The app as uvicorn serves it, counting the HTTP requests it is still answering (a request's background
    tasks run before its call returns, so they count too)."""

    def __init__(self, app) -> None:
        self.app, self.requests = app, 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.requests += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.requests -= 1


@asynccontextmanager
async def serving(settings: Settings, sock: socket.socket | None = None):
    """The whole app (lifespan included, so the bot starts as in production) served over HTTP; how many
    requests it is answering is in `app.state.answering.requests`."""
    app = create_app(settings)
    sock = sock or free_socket()
    app.state.answering = answering = Answering(app)
    server = uvicorn.Server(uvicorn.Config(answering, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # start-up failed: raise its error here
            await asyncio.sleep(0.02)
        yield app
    finally:
        server.should_exit = True
        await task
        sock.close()


# How an update reaches the bot: (update, its index in the conversation) -> webhook status or None.
Deliver = Callable[[dict[str, Any], int], Awaitable[int | None]]


class TelegramResident:
    """A resident in a private chat with the bot, waiting for the answer to each message as a person does."""

    def __init__(self, fake: FakeBotAPI, chat_id: int, *, deliver: Deliver | None = None) -> None:
        self.fake, self.chat_id = fake, chat_id
        self.deliver = deliver or (lambda update, index: fake.push(update))
        self.sent = 0
        self.last: list[Call] = []

    async def send(self, update: dict[str, Any], *, reply: bool = True) -> list[Call]:
        """Deliver the update and wait until the bot is done with it; returns the bot's calls for this chat."""
        since = len(self.fake.calls)
        status = await self.deliver(update, self.sent)
        self.sent += 1
        assert status in (None, 200), f"webhook answered {status}"
        # In webhook mode the POST returns when the turn is done; polling needs a quiet moment.
        quiet = 0.0 if self.fake.webhook is not None else 0.15
        self.last = await self.fake.settle(self.chat_id, since=since, update_id=update["update_id"],
                                           reply=reply, quiet=quiet)
        return self.last

    async def text(self, value: str) -> list[Call]:
        return await self.send(self.fake.text(self.chat_id, value))

    async def option(self, value: str) -> list[Call]:
        return await self.send(self.fake.press(self.chat_id, value))

    async def file(self, name: str) -> list[Call]:
        """A golden receipt: a JPEG is photographed (sent as a photo), anything else sent as a file."""
        content_type, data = golden.RECEIPTS[name]
        if content_type == "image/jpeg":
            return await self.send(self.fake.photo(self.chat_id, data))
        return await self.send(self.fake.document(self.chat_id, data, name=name, mime_type=content_type))

    async def replay(self, steps: list[tuple[str, str]]) -> None:
        for kind, value in steps:
            await {"text": self.text, "option": self.option, "file": self.file}[kind](value)

    def said(self) -> str:
        """What the bot wrote in answer to the last message."""
        return "\n".join(c.params["text"] for c in self.last if c.name == "sendmessage" and c.status == 200)


def check_telegram_application(application: dict[str, Any], locale: str = "zh") -> None:
    """The golden check, after confirming the photographed receipt arrived as a Telegram photo.

    Telegram re-encodes photos and drops their file names, so the photo's stored name is ours.
    """
    application = copy.deepcopy(application)
    photo = application["spending"]["receipts"][0]
    assert photo["name"].startswith("photo-") and photo["content_type"] == "image/jpeg"
    photo["name"] = "receipt-hospital.jpg"
    golden.check_application(application, locale)


@asynccontextmanager
async def running_bot(tmp_path, fake: FakeBotAPI, *, runtime: str, mode: str, redis_prefix: str | None = None,
                      **overrides: Any):
    """The app with its bot, polling or on a webhook (state in Redis when `redis_prefix` is given)."""
    sock = free_socket()
    if redis_prefix is not None:
        overrides.update(redis_url=REDIS_URL, redis_prefix=redis_prefix)
    port = sock.getsockname()[1] if mode == "webhook" else None
    settings = telegram_settings(tmp_path, fake, runtime=runtime, webhook_port=port, **overrides)
    async with serving(settings, sock) as app:
        yield app
