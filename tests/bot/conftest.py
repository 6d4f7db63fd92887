"""An app on real backends, a client that speaks the HTTP chat API, and helpers to replay the golden application."""
from __future__ import annotations

from contextlib import asynccontextmanager

import httpx
import pytest

from bot.app import create_app
from bot.settings import Settings
from tests import golden


def make_settings(tmp_path, **overrides) -> Settings:
    values = {"var_dir": tmp_path / "var", "secret_key": "test-secret-key", "database_url": None, "redis_url": None,
              "telegram_token": None, "llm_base_url": None}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@asynccontextmanager
async def running(settings: Settings):
    """The app with its lifespan run, and an HTTP client talking to it in-process."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shanqiao.test") as client:
            client.app = app
            yield client


class Resident:
    """One resident talking through the HTTP chat API."""

    def __init__(self, client: httpx.AsyncClient, token: str, user_id: str = "u1", channel: str = "partner") -> None:
        self.client, self.token, self.user_id, self.channel = client, token, user_id, channel
        self.last: dict = {}

    @property
    def url(self) -> str:
        return f"/api/chat/{self.channel}/{self.user_id}"

    async def post(self, **kwargs) -> httpx.Response:
        response = await self.client.post(self.url, headers={"Authorization": f"Bearer {self.token}"}, **kwargs)
        assert response.status_code < 500, response.text
        if response.status_code == 200:
            self.last = response.json()
        return response

    async def text(self, value: str) -> dict:
        response = await self.post(json={"text": value})
        assert response.status_code == 200, response.text
        return response.json()

    async def option(self, value: str) -> dict:
        response = await self.post(json={"option": value})
        assert response.status_code == 200, response.text
        return response.json()

    async def file(self, name: str) -> dict:
        content_type, data = golden.RECEIPTS[name]
        response = await self.post(files={"file": (name, data, content_type)})
        assert response.status_code == 200, response.text
        return response.json()

    async def replay(self, steps) -> dict:
        for kind, value in steps:
            await {"text": self.text, "option": self.option, "file": self.file}[kind](value)
        return self.last

    @property
    def step(self) -> str | None:
        return self.last.get("state", {}).get("step")

    def said(self) -> str:
        return "\n".join(reply["text"] for reply in self.last.get("replies", []))


async def channel_token(client: httpx.AsyncClient, name: str = "partner") -> str:
    return await client.app.state.services.intakes.add_channel(name)


@pytest.fixture
async def api(tmp_path):
    """The embedded default: SQLite file, in-process state, SQL queue."""
    async with running(make_settings(tmp_path)) as client:
        yield client
