"""The webhook route Telegram posts updates to, guarded by Telegram's secret-token header."""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, HTTPException, Request, Response

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
# What Telegram accepts as a secret_token.
_SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")

Feed = Callable[[dict[str, Any]], Awaitable[None]]


def webhook_secret(*, configured: str | None, secret_key: str) -> str:
    """The secret Telegram sends back with every update: configured, or derived from the secret key."""
    if not configured:
        return hmac.new(secret_key.encode(), b"shanqiao telegram webhook", hashlib.sha256).hexdigest()
    if not _SECRET_FORMAT.fullmatch(configured):
        raise ValueError("SHANQIAO_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, up to 256 characters")
    return configured


def webhook_endpoint(url: str) -> tuple[str, str]:
    """(the URL to give Telegram, the path to serve): a bare host gets the default path."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path:
        path = DEFAULT_PATH
        url = urlunsplit(parts._replace(path=path))
    return url, path


def webhook_router(*, path: str, secret: str, feed: Feed) -> APIRouter:
    """A router with one POST route that checks the secret and feeds the update to the bot."""
    router = APIRouter()
    expected = secret.encode()

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            raise HTTPException(status_code=403, detail="wrong or missing secret token")
        try:
            update = await request.json()
        except ValueError:
            raise HTTPException(status_code=400, detail="the body is not JSON") from None
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise HTTPException(status_code=400, detail="not a Telegram update")
        # Processed before answering, so the sender knows the turn is done; should that take over
        # Telegram's timeout, the resent update is recognised by its update_id and skipped.
        await feed(update)
        return Response(status_code=200)

    return router
