"""A fake WeChat server on 127.0.0.1: the API a service account calls, and the side that calls it back.

API side (what `bot/wechat/api.py` calls): the stable access token (`force_refresh` at most once per
30 s, tokens that expire, 40001/42001 for a bad or expired token), customer-service messages (43004
when the resident no longer follows, 45015 after 48 hours without an action of theirs, 45047 past
`PUSH_CAP` pushes since it, 45002 for a text over 2048 bytes), subscription notices (43101 unless
the resident accepted the template, 47003 for a field over 20 characters) and temporary media (gone
after 3 days: 40007). Every call is recorded; errors can be injected.

Callback side: `deliver` sends a message as WeChat does — signed, encrypted in safe mode, dropped
after 5 seconds and sent again (three tries in all) — and reads the passive reply as WeChat would
(checking its signature and decrypting it in safe mode). What the resident sees lands in `seen`.
The fake's clock can be moved forward (`advance`) for the 48-hour window, token expiry and media age.
"""
from __future__ import annotations

import asyncio
import itertools
import re
import secrets
import socket
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from bot.wechat.crypto import MessageCrypto, signature

APP_ID = "wx5f3c0a9b7d21e4c6"
SECRET = "fake-app-secret-0123456789abcdef"
TOKEN = "shanqiaoCallbackToken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
ACCOUNT = "gh_5a1b2c3d4e5f"
TOKEN_LIFE = 7200
PUSH_CAP = 20  # customer-service messages allowed after one action of the resident (the fake's figure)
WINDOW = 48 * 3600
MEDIA_LIFE = 3 * 86400
TIMEOUT = 5.0  # WeChat drops a callback request after this many seconds
TRIES = 3
UNAVAILABLE = "该公众号暂时无法提供服务，请稍后再试"
LINK = re.compile(r'<a href="weixin://bizmsgmenu\?msgmenucontent=([^&]*)&msgmenuid=([^"]*)">([^<]*)</a>')


@dataclass(slots=True)
class Call:
    """One API request the channel made, and the error code it got (0: success)."""

    path: str
    query: dict[str, str]
    body: Any
    at: float
    errcode: int = 0


@dataclass(slots=True)
class Seen:
    """Something the resident saw: a passive reply, a pushed message, a subscription notice, or WeChat's
    own 'cannot serve' line."""

    how: str  # passive | push | subscription | unavailable
    text: str
    at: float


@dataclass(slots=True)
class Resident:
    openid: str
    following: bool = True
    last_action: float | None = None
    pushes: int = 0
    templates: set[str] = field(default_factory=set)  # long-term subscriptions accepted
    seen: list[Seen] = field(default_factory=list)


@dataclass(slots=True)
class Delivery:
    """How one callback message went: each try's HTTP status (None: timed out), and the reply shown."""

    statuses: list[int | None]
    reply: str | None


class FakeWechat:
    """The server; use as `async with FakeWechat() as fake:`; point the app's callback at `callback_url`."""

    def __init__(self, *, safe: bool = False) -> None:
        self.safe = safe
        self.crypto = MessageCrypto(app_id=APP_ID, token=TOKEN, aes_key=AES_KEY)
        self.calls: list[Call] = []
        self.residents: dict[str, Resident] = {}
        self.offset = 0.0
        self.callback_url: str | None = None
        self._tokens: dict[str, float] = {}  # token -> valid until (fake clock)
        self._current: str | None = None
        self._forced_at: float | None = None
        self._media: dict[str, tuple[bytes, str, str, float]] = {}
        self._msg_ids = itertools.count(24_000_000_000_000_000)
        self._faults: list[tuple[str, int, int]] = []
        self.media_delay = 0.0
        self.busy = 0  # API requests being answered right now
        # when the app is in view (see `tests.wechat.harness.running_app`): whether it is still answering a
        # request, the callback's pushes after its reply included
        self.app_busy: Callable[[], bool] | None = None

    # -- server -------------------------------------------------------------------------------------
    async def __aenter__(self) -> FakeWechat:
        app = web.Application(middlewares=[self._count])
        app.router.add_post("/cgi-bin/stable_token", self._stable_token)
        app.router.add_post("/cgi-bin/message/custom/send", self._custom_send)
        app.router.add_post("/cgi-bin/message/subscribe/bizsend", self._subscribe_send)
        app.router.add_get("/cgi-bin/media/get", self._media_get)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self.client = httpx.AsyncClient(timeout=TIMEOUT)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """What SHANQIAO_WECHAT_API_BASE should be."""
        return f"http://127.0.0.1:{self.port}"

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (the 48-hour window, token and media lifetimes follow it)."""
        self.offset += seconds

    def resident(self, openid: str) -> Resident:
        return self.residents.setdefault(openid, Resident(openid))

    def fail(self, path: str, errcode: int, *, times: int = 1) -> None:
        """Answer the next `times` calls to `path` with `errcode`."""
        self._faults.append((path, errcode, times))

    def calls_to(self, path: str) -> list[Call]:
        return [call for call in self.calls if call.path == path]

    def expire_token(self) -> None:
        """WeChat forgets the current token early (another fetch elsewhere, a reset): using it is 40001."""
        self._tokens.pop(self._current or "", None)

    def add_media(self, data: bytes, content_type: str, name: str = "") -> str:
        """Keep a file as WeChat keeps what a resident sends; its MediaId."""
        media_id = secrets.token_urlsafe(24)
        self._media[media_id] = (data, content_type, name, self.now())
        return media_id

    @web.middleware
    async def _count(self, request: web.Request, handler):
        self.busy += 1
        try:
            return await handler(request)
        finally:
            self.busy -= 1

    async def _record(self, request: web.Request, body: Any) -> Call:
        call = Call(request.path, dict(request.query), body, self.now())
        self.calls.append(call)
        for index, (path, errcode, times) in enumerate(self._faults):
            if path == request.path:
                call.errcode = errcode
                self._faults[index] = (path, errcode, times - 1)
                if times <= 1:
                    del self._faults[index]
                break
        return call

    def _answer(self, call: Call, errcode: int = 0, **body: Any) -> web.Response:
        if call.errcode == 0:
            call.errcode = errcode
        if call.errcode:
            return web.json_response({"errcode": call.errcode, "errmsg": "fake error"})
        return web.json_response({"errcode": 0, "errmsg": "ok", **body})

    def _token_error(self, token: str | None) -> int:
        until = self._tokens.get(token or "")
        if until is None:
            return 40001
        return 42001 if until <= self.now() else 0

    async def _stable_token(self, request: web.Request) -> web.Response:
        body = await request.json()
        call = await self._record(request, body)
        if body.get("appid") != APP_ID:
            return self._answer(call, 40013)
        if body.get("secret") != SECRET:
            return self._answer(call, 40125)
        now = self.now()
        current_until = self._tokens.get(self._current or "")
        if body.get("force_refresh"):
            if self._forced_at is not None and now - self._forced_at < 30:
                return self._answer(call, 45011)
            self._forced_at = now
            self._tokens.pop(self._current or "", None)  # a forced refresh ends the old token at once
        elif current_until is not None and current_until - now > 300:
            return self._answer(call, access_token=self._current, expires_in=int(current_until - now))
        elif current_until is not None:
            self._tokens[self._current] = min(current_until, now + 300)  # the old one overlaps 5 minutes
        self._current = secrets.token_hex(16)
        self._tokens[self._current] = now + TOKEN_LIFE
        return self._answer(call, access_token=self._current, expires_in=TOKEN_LIFE)

    async def _custom_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        call = await self._record(request, body)
        if error := self._token_error(request.query.get("access_token")):
            return self._answer(call, error)
        resident = self.resident(body.get("touser", ""))
        text = body.get("text", {}).get("content", "")
        if not resident.following:
            return self._answer(call, 43004)
        if resident.last_action is None or self.now() - resident.last_action > WINDOW:
            return self._answer(call, 45015)
        if resident.pushes >= PUSH_CAP:
            return self._answer(call, 45047)
        if len(text.encode()) > 2048:
            return self._answer(call, 45002)
        response = self._answer(call)
        if call.errcode == 0:
            resident.pushes += 1
            await self._show(resident, "push", text)
        return response

    async def _subscribe_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        call = await self._record(request, body)
        if error := self._token_error(request.query.get("access_token")):
            return self._answer(call, error)
        resident = self.resident(body.get("touser", ""))
        if body.get("template_id") not in resident.templates:
            return self._answer(call, 43101)
        data = body.get("data", {})
        if any(key.startswith("thing") and len(value.get("value", "")) > 20 for key, value in data.items()):
            return self._answer(call, 47003)
        response = self._answer(call)
        if call.errcode == 0:
            await self._show(resident, "subscription", " / ".join(v["value"] for v in data.values()))
        return response

    async def _media_get(self, request: web.Request) -> web.StreamResponse:
        call = await self._record(request, None)
        if error := self._token_error(request.query.get("access_token")):
            return self._answer(call, error)
        stored = self._media.get(request.query.get("media_id", ""))
        if stored is None or self.now() - stored[3] > MEDIA_LIFE:
            return self._answer(call, 40007)
        if call.errcode:
            return self._answer(call)
        if self.media_delay:
            await asyncio.sleep(self.media_delay)
        data, content_type, name, _ = stored
        headers = {"Content-Disposition": f'attachment; filename="{name or "media"}"'}
        return web.Response(body=data, content_type=content_type, headers=headers)

    async def _show(self, resident: Resident, how: str, text: str) -> None:
        resident.seen.append(Seen(how, text, self.now()))

    # -- callback side ----------------------------------------------------------------------------------
    def message(self, openid: str, kind: str, **fields: Any) -> dict[str, Any]:
        """The fields of a message from `openid` (MsgId given to every message but events)."""
        base = {"ToUserName": ACCOUNT, "FromUserName": openid, "CreateTime": int(self.now()), "MsgType": kind}
        if kind != "event":
            base["MsgId"] = next(self._msg_ids)
        return {**base, **fields}

    def sign(self, body: bytes) -> tuple[dict[str, str], bytes]:
        """The query and body of one try, as WeChat signs (and in safe mode encrypts) them."""
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
        query = {"signature": signature(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "openid": "ignored"}
        if not self.safe:
            return query, body
        encrypted, msg_signature = self.crypto.encrypt(body, timestamp=timestamp, nonce=nonce)
        envelope = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        return {**query, "encrypt_type": "aes", "msg_signature": msg_signature}, envelope.encode()

    async def deliver(self, fields: dict[str, Any], *, tries: int = TRIES) -> Delivery:
        """Send a message to the callback as WeChat does; what the resident saw from the reply is in `seen`."""
        resident = self.resident(fields["FromUserName"])
        if fields["MsgType"] != "event" or fields.get("Event") != "unsubscribe":
            resident.last_action, resident.pushes = self.now(), 0  # an action opens the 48-hour window again
            resident.following = True
        else:
            resident.following = False
        body = to_xml(fields)
        statuses: list[int | None] = []
        for _ in range(tries):
            query, sent = self.sign(body)
            try:
                response = await self.client.post(self.callback_url, params=query, content=sent)
            except httpx.TimeoutException:
                statuses.append(None)
                continue
            statuses.append(response.status_code)
            if response.status_code != 200:
                await self._show(resident, "unavailable", UNAVAILABLE)
                return Delivery(statuses, None)
            reply = self.read_reply(response.content, fields)
            if reply is not None:
                await self._show(resident, "passive", reply)
            return Delivery(statuses, reply)
        return Delivery(statuses, None)  # three tries timed out: WeChat gives up silently

    def read_reply(self, content: bytes, fields: dict[str, Any]) -> str | None:
        """The text of a passive reply as WeChat reads it; AssertionError for a reply WeChat could not use."""
        if content in (b"", b"success"):
            return None
        root = ElementTree.fromstring(content)
        if self.safe:
            values = {child.tag: child.text or "" for child in root}
            plain = self.crypto.decrypt(values["Encrypt"], msg_signature=values["MsgSignature"],
                                        timestamp=values["TimeStamp"], nonce=values["Nonce"])
            root = ElementTree.fromstring(plain)
        values = {child.tag: child.text or "" for child in root}
        assert values["ToUserName"] == fields["FromUserName"] and values["FromUserName"] == fields["ToUserName"]
        assert values["MsgType"] == "text" and len(values["Content"].encode()) <= 2048, values
        return values["Content"]

    async def settle(self, openid: str, *, since: int, wait_for_one: bool, timeout: float = 30.0,
                     quiet: float = 0.15) -> list[Seen]:
        """What `openid` saw from index `since` on, once nothing more came for `quiet` seconds and no API call is
        under way (waiting up to `timeout` for a first message when `wait_for_one`).

        With the app in view and its reply already here (not `wait_for_one`), the turn is over as soon as the app
        answers no request: the pushes after a reply go out while the callback's request is still being answered.
        """
        seen = self.resident(openid).seen
        give_up = asyncio.get_running_loop().time() + timeout
        if self.app_busy is not None and not wait_for_one:
            quiet = min(quiet, 0.01)
        while True:
            count = len(seen)
            await asyncio.sleep(quiet)
            idle = not self.busy and not (self.app_busy is not None and self.app_busy())
            settled = len(seen) == count and idle and (count > since or not wait_for_one)
            if settled or asyncio.get_running_loop().time() > give_up:
                return seen[since:]


def to_xml(fields: dict[str, Any]) -> bytes:
    parts = []
    for name, value in fields.items():
        if isinstance(value, int):
            parts.append(f"<{name}>{value}</{name}>")
        else:
            parts.append(f"<{name}><![CDATA[{value}]]></{name}>")
    return ("<xml>" + "".join(parts) + "</xml>").encode()


def links(text: str) -> list[tuple[str, str, str]]:
    """The tappable lines of a message: (content sent, menu id, label)."""
    return LINK.findall(text)
