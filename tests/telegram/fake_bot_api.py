"""A fake Telegram Bot API server on 127.0.0.1: serves queued updates, records every call.

The real aiogram and python-telegram-bot code talks to it over HTTP. A test builds updates
(texts, commands, button presses, photos, documents, stickers, edits, albums), pushes them
(to getUpdates, or POSTed to the webhook with the secret header), and reads what the bot did.
It can be told to answer a method with 429 (retry_after) or 403 (bot blocked).
"""
from __future__ import annotations

import asyncio
import contextvars
import itertools
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

from tests.telegram.fake_updates import Entry, ResidentSide, StoredFile

TOKEN = "123456789:TEST-shanqiao_fake_token"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Values kept as strings even when they look like JSON (a resident may type "123").
STRING_FIELDS = frozenset({
    "text", "caption", "callback_query_id", "url", "secret_token", "file_id", "action", "language_code",
    "description", "short_description", "name", "parse_mode", "inline_message_id", "ip_address",
})
# The request being answered (each request runs in its own task).
_REQUEST: contextvars.ContextVar[web.Request] = contextvars.ContextVar("request")
# The Bot API refuses getFile for larger files.
BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024


@dataclass(slots=True)
class Call:
    """One request the bot made: the method as spelt, its decoded parameters, the answer's status."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    ended: float | None = None  # when the answer went out (or the client went away)

    @property
    def name(self) -> str:
        return self.method.lower()

    @property
    def chat_id(self) -> int | None:
        chat_id = self.params.get("chat_id")
        return chat_id if isinstance(chat_id, int) else None


@dataclass(slots=True)
class Fault:
    """Answer the next `times` calls of `method` (optionally only for one chat) with an error, or late."""

    method: str
    status: int
    retry_after: int | None
    times: int
    chat_id: int | None
    delay: float = 0.0


@dataclass
class FakeBotAPI(ResidentSide):
    """The server; use as `async with FakeBotAPI() as fake:`."""

    token: str = TOKEN
    username: str = "shanqiao_test_bot"
    calls: list[Call] = field(default_factory=list)
    webhook: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.split(":")[0])
        self._queue: list[dict[str, Any]] = []
        self._update_ids = itertools.count(5000)
        self._message_ids: dict[int, itertools.count] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._queries: dict[str, dict[str, Any]] = {}
        self._files: dict[str, StoredFile] = {}
        self._faults: list[Fault] = []
        self._entries: dict[int, list[Entry]] = {}
        self.delivered: set[int] = set()
        self.confirmed = 0
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None

    # -- server ----------------------------------------------------------------------------
    async def __aenter__(self) -> FakeBotAPI:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._client = ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """What SHANQIAO_TELEGRAM_API_BASE should be."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def me(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Shanqiao", "username": self.username,
                "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api(self, request: web.Request) -> web.Response:
        params = await _read_params(request)
        method = request.match_info["method"]
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        _REQUEST.set(request)
        try:
            if request.match_info["token"] != self.token:
                call.status = 401
                return _error(401, "Unauthorized")
            fault = self._take_fault(call)
            if fault is not None and fault.delay:
                await asyncio.sleep(fault.delay)
            if fault is not None and fault.status != 200:
                call.status = fault.status
                if fault.status == 429:
                    return _error(429, f"Too Many Requests: retry after {fault.retry_after}",
                                  parameters={"retry_after": fault.retry_after})
                if fault.status == 403:
                    return _error(403, "Forbidden: bot was blocked by the user")
                return _error(fault.status, "Fault injected by the test")
            handler = getattr(self, f"_m_{call.name}", None)
            if handler is None:
                call.status = 404
                return _error(404, "Not Found: method not found")
            result = await handler(params)
            if isinstance(result, web.Response):
                call.status = result.status
                return result
            return web.json_response({"ok": True, "result": result})
        finally:
            call.ended = time.monotonic()
            async with self._changed:
                self._changed.notify_all()

    def _take_fault(self, call: Call) -> Fault | None:
        for fault in self._faults:
            if fault.method == call.name and fault.times > 0 and fault.chat_id in (None, call.chat_id):
                fault.times -= 1
                return fault
        return None

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        stored = next((f for f in self._files.values() if f.path == path), None)
        if stored is None:
            return web.Response(status=404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # -- Bot API methods ------------------------------------------------------------------------
    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return self.me

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        if self.webhook is not None:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active; "
                               "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        if offset:
            # Asking from `offset` confirms every earlier update, as on Telegram.
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
            self.confirmed = max(self.confirmed, offset - 1)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        request = _REQUEST.get()
        async with self._changed:
            # a long poll ends when updates arrive, when it times out, or when the client goes away
            # (a killed process): then it no longer counts as polling
            while not (self._queue or self._closing) and time.monotonic() < deadline:
                if request.transport is None or request.transport.is_closing():
                    return []
                try:
                    await asyncio.wait_for(self._changed.wait(), min(0.1, deadline - time.monotonic()))
                except TimeoutError:
                    pass
        batch = self._queue[:limit]
        self.delivered.update(u["update_id"] for u in batch)
        return batch

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token"),
                        "allowed_updates": params.get("allowed_updates")}
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        info = {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._queue)}
        if self.webhook:
            info["url"] = self.webhook["url"]
        return info

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_deletemycommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_setmydescription(self, params: dict[str, Any]) -> Any:
        if len(params.get("description") or "") > 512:
            return _error(400, "Bad Request: description is too long")
        return True

    async def _m_setmyshortdescription(self, params: dict[str, Any]) -> Any:
        if len(params.get("short_description") or "") > 120:
            return _error(400, "Bad Request: short description is too long")
        return True

    async def _m_sendchataction(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat_id, text = params.get("chat_id"), params.get("text") or ""
        if not isinstance(chat_id, int):
            return _error(400, "Bad Request: chat not found")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        message = self._new_message(chat_id, sender=self.me, text=text)
        markup = _clean(params.get("reply_markup"))
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        labels = tuple(b["text"] for row in (markup or {}).get("inline_keyboard", []) for b in row)
        self._entries.setdefault(chat_id, []).append(Entry("bot", text, labels))
        return message

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        message = self._messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = _clean(params.get("reply_markup"))
        if message.get("text") == params.get("text") and message.get("reply_markup") == markup:
            return _error(400, "Bad Request: message is not modified")
        message["text"] = params.get("text")
        _set_markup(message, markup)
        return message

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        message = self._messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = _clean(params.get("reply_markup"))
        if message.get("reply_markup") == markup or (not markup and "reply_markup" not in message):
            return _error(400, "Bad Request: message is not modified")
        _set_markup(message, markup)
        return message

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        query = self._queries.get(str(params.get("callback_query_id")))
        if query is None or query.get("answered"):
            return _error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        query["answered"] = True
        return True

    async def _m_getfile(self, params: dict[str, Any]) -> Any:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            return _error(400, "Bad Request: invalid file_id")
        if stored.reported_size > BOT_API_DOWNLOAD_LIMIT:
            return _error(400, "Bad Request: file is too big")
        return {"file_id": params["file_id"], "file_unique_id": stored.unique_id,
                "file_size": stored.reported_size, "file_path": stored.path}

    async def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        return self._messages.pop((params.get("chat_id"), params.get("message_id")), None) is not None

    async def _m_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_logout(self, params: dict[str, Any]) -> Any:
        return True

    # -- what the test sees -------------------------------------------------------------------
    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        """Calls of one method (any spelling), optionally for one chat."""
        return [c for c in self.calls if c.name == method.lower() and (chat_id is None or c.chat_id == chat_id)]

    def overlapping(self, method: str) -> list[tuple[Call, Call]]:
        """Pairs of calls of `method` that were in progress at the same moment (e.g. two processes polling)."""
        now = time.monotonic()
        calls = sorted(self.calls_to(method), key=lambda c: c.at)
        return [(a, b) for i, a in enumerate(calls) for b in calls[i + 1:] if b.at < (a.ended or now)]

    def transcript(self, chat_id: int) -> list[Entry]:
        """The chat as the resident saw it: what they sent, what the bot sent (buttons as sent)."""
        return list(self._entries.get(chat_id, []))

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in the chat as they are now (after edits)."""
        return [m for (chat, _), m in sorted(self._messages.items()) if chat == chat_id and m["from"]["is_bot"]]

    def keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The latest bot message in the chat that still has buttons."""
        with_buttons = [m for m in self.bot_messages(chat_id) if m.get("reply_markup")]
        return with_buttons[-1] if with_buttons else None

    def message_with_button(self, chat_id: int, value: str) -> dict[str, Any]:
        """The latest bot message that offers (or offered, before its buttons were removed) option `value`."""
        for message in reversed(self.bot_messages(chat_id)):
            rows = message.get("reply_markup", {}).get("inline_keyboard") or message.get("_buttons_sent", [])
            if any(b["callback_data"].partition(":")[2] == value for row in rows for b in row):
                return message
        raise LookupError(f"no message in chat {chat_id} offered {value!r}")

    def fail(self, method: str, *, status: int = 429, retry_after: int = 1, times: int = 1,
             chat_id: int | None = None) -> None:
        """Answer the next `times` calls of `method` with 429 retry_after (or another status, e.g. 403)."""
        self._faults.append(Fault(method.lower(), status, retry_after if status == 429 else None, times, chat_id))

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` correctly, but only after `seconds`."""
        self._faults.append(Fault(method.lower(), 200, None, times, None, delay=seconds))

    # -- delivering -----------------------------------------------------------------------------
    async def push(self, update: dict[str, Any]) -> int | None:
        """Deliver as Telegram would: POST to the webhook (returns the status) or queue for getUpdates."""
        if self.webhook is not None:
            return await self.post(update, self.webhook["url"], self.webhook["secret_token"])
        self._queue.append(update)
        async with self._changed:
            self._changed.notify_all()
        return None

    async def post(self, update: dict[str, Any], url: str, secret: str | None) -> int:
        """POST an update to a webhook URL (e.g. one worker of several); returns the HTTP status."""
        assert self._client is not None
        headers = {SECRET_HEADER: secret} if secret else {}
        async with self._client.post(url, json=update, headers=headers) as response:
            await response.read()
            return response.status

    async def settle(self, chat_id: int, *, since: int, update_id: int | None = None, reply: bool = True,
                     quiet: float = 0.25, timeout: float = 20.0) -> list[Call]:
        """Wait until the bot has dealt with an update: (a reply arrived and) the chat has been quiet.

        `since` is len(fake.calls) before the update was pushed; returns the chat's calls since then.
        """
        start = time.monotonic()
        while True:
            now = time.monotonic()
            chat_calls = [c for c in self.calls[since:] if c.chat_id == chat_id]
            # a reply is a new message, or a question redrawn in place (a pick-several question)
            replied = any(c.name in ("sendmessage", "editmessagetext") and c.status == 200 for c in chat_calls)
            taken = update_id is None or update_id in self.delivered or self.webhook is not None
            last = max((c.at for c in chat_calls), default=start)
            if (replied or not reply) and taken and now - last >= quiet and now - start >= quiet:
                return chat_calls
            if now - start > timeout:
                raise TimeoutError(f"the bot did not finish with chat {chat_id} within {timeout}s")
            await asyncio.sleep(0.02)


def _error(status: int, description: str, **extra: Any) -> web.Response:
    return web.json_response({"ok": False, "error_code": status, "description": description, **extra},
                             status=status)


def _clean(value: Any) -> Any:
    """Drop null fields, which libraries may send but Telegram never echoes."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _set_markup(message: dict[str, Any], markup: dict[str, Any] | None) -> None:
    if markup and markup.get("inline_keyboard"):
        message["reply_markup"] = markup
    elif "reply_markup" in message:
        # Remember the removed buttons so a test can press a stale one.
        message["_buttons_sent"] = message.pop("reply_markup")["inline_keyboard"]


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Bot API parameters from a query string, a form (urlencoded or multipart) or a JSON body."""
    if request.content_type == "application/json":
        body = await request.json()
        return body if isinstance(body, dict) else {}
    raw: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        form = await request.post()
        raw.update({k: v for k, v in form.items() if isinstance(v, str)})
    return {key: _decode(key, value) for key, value in raw.items()}


def _decode(key: str, value: str) -> Any:
    if key in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
