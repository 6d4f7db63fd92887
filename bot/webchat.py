"""The built-in web chat: a page at `/` and its endpoint; visitors are known by a signed cookie."""
from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from itsdangerous import BadSignature, URLSafeSerializer

from bot.chat_api import ServicesDep, read_inbound, replies_json, run_turn
from bot.conversation import ConversationKey

router = APIRouter()
COOKIE = "sq_chat"
PAGE = (Path(__file__).parent / "web" / "chat.html").read_text(encoding="utf-8")


def _visitor(request: Request, secret: str) -> tuple[str, bool]:
    """The visitor id from the cookie, or a new one (True when new)."""
    signer = URLSafeSerializer(secret, salt="webchat")
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            return signer.loads(raw), False
        except BadSignature:
            pass
    return secrets.token_urlsafe(16), True


def _remember(response: Response, visitor: str, secret: str) -> None:
    value = URLSafeSerializer(secret, salt="webchat").dumps(visitor)
    response.set_cookie(COOKIE, value, max_age=90 * 86400, httponly=True, samesite="strict")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def page() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.post("/web/chat", include_in_schema=False)
async def web_chat(request: Request, svc: ServicesDep) -> JSONResponse:
    visitor, new = _visitor(request, svc.settings.secret)
    inbound, message_id = await read_inbound(request, svc)
    response = await run_turn(svc, ConversationKey("web", visitor), inbound, message_id=message_id)
    if new:
        _remember(response, visitor, svc.settings.secret)
    return response


@router.get("/web/messages", include_in_schema=False)
async def web_messages(request: Request, svc: ServicesDep) -> JSONResponse:
    visitor, new = _visitor(request, svc.settings.secret)
    if new:
        return JSONResponse({"replies": []})
    waiting = await svc.mailbox.collect("web", visitor)
    return JSONResponse({"replies": replies_json(waiting)})

