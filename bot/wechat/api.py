"""WeChat's server API over httpx: the stable access token, customer-service messages, subscription
notices and temporary media. Every call but the token's carries the token the caller hands in."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

DEFAULT_BASE = "https://api.weixin.qq.com"
# errors that mean the token is no longer good: fetch it again (once) and repeat the call
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
OUTSIDE_WINDOW = 45015  # the resident's last action is more than 48 hours ago
TOO_MANY_PUSHES = 45047  # customer-service messages since the resident's last action are used up
NOT_FOLLOWING = 43004  # the resident no longer follows the account
NOT_SUBSCRIBED = 43101  # the resident has not accepted (or has used up) this subscription notice
BUSY = -1  # WeChat is busy: try again later


class WechatApiError(Exception):
    """WeChat answered with an error code (`errcode`, `errmsg` as WeChat wrote it)."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True, slots=True)
class Token:
    """An access token and how many seconds it is good for."""

    value: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class Media:
    """A temporary media file downloaded by MediaId."""

    data: bytes
    content_type: str
    name: str


class WechatApi:
    """One account's API calls; `base` is WeChat's address (a fake one in tests)."""

    def __init__(self, *, app_id: str, secret: str, base: str | None = None, timeout: float = 10.0,
                 max_media_bytes: int = 10 * 1024 * 1024) -> None:
        self.app_id, self.secret, self.max_media_bytes = app_id, secret, max_media_bytes
        self.client = httpx.AsyncClient(base_url=(base or DEFAULT_BASE).rstrip("/"), timeout=timeout)

    async def aclose(self) -> None:
        await self.client.aclose()

    @staticmethod
    def _checked(response: httpx.Response) -> dict[str, Any]:
        response.raise_for_status()
        body = response.json()
        if body.get("errcode"):
            raise WechatApiError(int(body["errcode"]), str(body.get("errmsg", "")))
        return body

    async def stable_token(self, *, force: bool = False) -> Token:
        """The account's stable access token (the same one while it is good, unless `force`)."""
        response = await self.client.post("/cgi-bin/stable_token", json={
            "grant_type": "client_credential", "appid": self.app_id, "secret": self.secret, "force_refresh": force})
        body = self._checked(response)
        return Token(body["access_token"], int(body.get("expires_in", 7200)))

    async def send_text(self, token: str, user: str, text: str) -> None:
        """A customer-service message (客服消息) to `user`."""
        response = await self.client.post("/cgi-bin/message/custom/send", params={"access_token": token},
                                          json={"touser": user, "msgtype": "text", "text": {"content": text}})
        self._checked(response)

    async def send_subscription(self, token: str, user: str, template_id: str, data: dict[str, str]) -> None:
        """A subscription notice (订阅通知) from the template `template_id`, its fields filled from `data`."""
        response = await self.client.post("/cgi-bin/message/subscribe/bizsend", params={"access_token": token},
                                          json={"touser": user, "template_id": template_id,
                                                "data": {key: {"value": value} for key, value in data.items()}})
        self._checked(response)

    async def media(self, token: str, media_id: str) -> Media:
        """A temporary media file (kept by WeChat for 3 days); a JSON answer is an error."""
        async with self.client.stream("GET", "/cgi-bin/media/get",
                                       params={"access_token": token, "media_id": media_id}) as response:
            response.raise_for_status()
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > self.max_media_bytes:
                    break  # the file store refuses it as too large; no need to read the rest
        if content_type in ("application/json", "text/plain"):
            body = httpx.Response(200, content=bytes(data)).json()
            raise WechatApiError(int(body.get("errcode", BUSY)), str(body.get("errmsg", "")))
        disposition = response.headers.get("content-disposition", "")
        name = disposition.partition("filename=")[2].strip('"; ') or media_id
        return Media(bytes(data), content_type or "application/octet-stream", name)
