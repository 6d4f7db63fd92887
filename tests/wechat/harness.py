"""Running the app with its WeChat channel against the fake WeChat, and a resident who talks to it."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any

import httpx

from bot.settings import Settings
from tests import golden
from tests.telegram.harness import free_socket, serving
from tests.wechat.fake_wechat import AES_KEY, APP_ID, SECRET, TOKEN, FakeWechat, Seen, links, to_xml

TEMPLATE = "notice-template-1"


def wechat_settings(tmp_path, fake: FakeWechat, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "var_dir": tmp_path / "var", "secret_key": "test-secret-key", "database_url": None, "redis_url": None,
        "llm_base_url": None, "telegram_token": None, "wechat_appid": APP_ID, "wechat_secret": SECRET,
        "wechat_token": TOKEN, "wechat_aes_key": AES_KEY if fake.safe else None,
        "wechat_api_base": fake.base_url, "wechat_notice_template": TEMPLATE,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@asynccontextmanager
async def running_app(tmp_path, fake: FakeWechat, **overrides: Any):
    """The app with its WeChat channel, the fake's callback pointed at it."""
    sock = free_socket()
    settings = wechat_settings(tmp_path, fake, **overrides)
    async with serving(settings, sock) as app:
        fake.callback_url = f"http://127.0.0.1:{sock.getsockname()[1]}/wechat/callback"
        fake.app_busy = lambda: app.state.answering.requests > 0
        try:
            yield app
        finally:
            fake.app_busy = None


class WechatResident:
    """A resident following the account, waiting for the answer to each message as a person does."""

    def __init__(self, fake: FakeWechat, openid: str) -> None:
        self.fake, self.openid = fake, openid
        self.last: list[Seen] = []

    async def send(self, fields: dict[str, Any]) -> list[Seen]:
        """Deliver the message; what the resident saw in answer (the passive reply, pushes after it)."""
        since = len(self.fake.resident(self.openid).seen)
        delivery = await self.fake.deliver(fields)
        assert all(status in (None, 200) for status in delivery.statuses), delivery.statuses
        self.last = await self.fake.settle(self.openid, since=since, wait_for_one=delivery.reply is None
                                           and fields.get("Event") != "unsubscribe")
        if delivery.reply is not None and len(delivery.reply.encode()) > 1024 and self.fake.app_busy is None:
            # a long answer may go on in pushes right after the reply: give them a moment to start (with the
            # app in view they are already here: the callback's request was answered only after them)
            self.last += await self.fake.settle(self.openid, since=since + len(self.last), wait_for_one=True,
                                                timeout=2.0)
        return self.last

    async def text(self, value: str) -> list[Seen]:
        return await self.send(self.fake.message(self.openid, "text", Content=value))

    def shown_links(self) -> list[tuple[str, str, str]]:
        """The tappable lines in what the resident saw last (newest message last)."""
        return [link for seen in self.last for link in links(seen.text)]

    async def tap(self, value: str) -> list[Seen]:
        """Tap the shown line whose option value is `value`."""
        for content, menu_id, _ in reversed(self.shown_links()):
            if menu_id.partition(":")[2] == value or menu_id == value:
                return await self.send(self.fake.message(self.openid, "text", Content=content, bizmsgmenuid=menu_id))
        raise AssertionError(f"no line to tap for {value!r} in {self.said()!r}")

    async def file(self, name: str) -> list[Seen]:
        """A golden receipt: a JPEG is sent as a photo, anything else as a file with its name."""
        content_type, data = golden.RECEIPTS[name]
        if content_type == "image/jpeg":
            media_id = self.fake.add_media(data, content_type)
            return await self.send(self.fake.message(self.openid, "image", MediaId=media_id,
                                                     PicUrl="http://mmbiz.example/pic"))
        media_id = self.fake.add_media(data, content_type, name)
        return await self.send(self.fake.message(self.openid, "file", MediaId=media_id, Title=name))

    async def event(self, event: str, key: str = "") -> list[Seen]:
        fields = {"Event": event} if not key else {"Event": event, "EventKey": key}
        return await self.send(self.fake.message(self.openid, "event", **fields))

    async def replay(self, steps: list[tuple[str, str]]) -> None:
        for kind, value in steps:
            await {"text": self.text, "option": self.tap, "file": self.file}[kind](value)

    def said(self) -> str:
        return "\n".join(seen.text for seen in self.last)


async def check_retries_answered_once(fake: FakeWechat, openid: str) -> None:
    """The same message delivered four times at once (WeChat trying again while a slow network holds the
    first): one passive reply, the other deliveries `success`, the conversation one step further."""
    fields = fake.message(openid, "text", Content="/status")
    async with httpx.AsyncClient(timeout=10) as client:
        signed = [fake.sign(to_xml(fields)) for _ in range(4)]
        answers = await asyncio.gather(*(client.post(fake.callback_url, params=query, content=body)
                                         for query, body in signed))
    replies = [fake.read_reply(answer.content, fields) for answer in answers]
    assert all(answer.status_code == 200 for answer in answers)
    assert len([reply for reply in replies if reply]) == 1, replies
