"""The real app on the embedded default, with signed-in console users and residents on the HTTP chat API."""
from __future__ import annotations

import re
from contextlib import AsyncExitStack, asynccontextmanager

import httpx

from bot.app import create_app
from tests import golden
from tests.bot.conftest import Resident, make_settings

PASSWORD = "correct horse battery"
CSRF_IN_PAGE = re.compile(r'"X-CSRF-Token": "([^"]+)"')
LOGIN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Harness:
    """One app; any number of browsers-as-clients, each with its own cookies."""

    def __init__(self, app, stack: AsyncExitStack) -> None:
        self.app, self.stack = app, stack
        self.transport = httpx.ASGITransport(app=app)
        self.token: str | None = None

    @property
    def services(self):
        return self.app.state.services

    @property
    def store(self):
        return self.services.intakes

    async def client(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=self.transport, base_url="http://shanqiao.test")
        return await self.stack.enter_async_context(client)

    async def staff(self, name: str, role: str) -> httpx.AsyncClient:
        """A client signed in through the form as a new account; its CSRF token in `.csrf`."""
        await self.store.add_user(name, role, PASSWORD)
        client = await self.client()
        page = await client.get("/console/login")
        token = LOGIN_TOKEN.search(page.text).group(1)
        response = await client.post("/console/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303, response.text
        home = await client.get("/console", follow_redirects=True)
        client.csrf = CSRF_IN_PAGE.search(home.text).group(1)
        client.name = name
        return client

    async def resident(self, user_id: str, channel: str = "partner") -> Resident:
        if self.token is None:
            self.token = await self.store.add_channel(channel)
        return Resident(await self.client(), self.token, user_id=user_id, channel=channel)

    async def submit(self, user_id: str, locale: str = "zh") -> tuple[Resident, int]:
        """A resident who sent the golden application; the intake's number."""
        resident = await self.resident(user_id)
        last = await resident.replay(golden.steps(locale))
        intake_id = last["state"]["intake_id"]
        assert intake_id, last
        return resident, intake_id


@asynccontextmanager
async def console_app(tmp_path, **overrides):
    """The app with its lifespan run (SQLite file, in-process state, SQL queue unless overridden)."""
    app = create_app(make_settings(tmp_path, **overrides))
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(app.router.lifespan_context(app))
        yield Harness(app, stack)


async def messages(resident: Resident) -> list[str]:
    """What waits for the resident outside a turn (a caseworker's notices), handed over once."""
    response = await resident.client.get(f"{resident.url}/messages", headers={"Authorization": f"Bearer {resident.token}"})
    assert response.status_code == 200, response.text
    return [reply["text"] for reply in response.json()["replies"]]
