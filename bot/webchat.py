"""The built-in web chat: a page at `/` and its endpoint; visitors are known by a signed cookie."""
from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from itsdangerous import BadSignature, URLSafeSerializer

from bot.chat_api import ServicesDep, read_inbound, replies_json, take_turn
from bot.conversation import ConversationKey

router = APIRouter()
COOKIE = "sq_chat"
RATE_BURST, RATE_WINDOW = 30, 60.0  # messages a minute: far above typing speed, far below a script
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
@router.get("/chat", response_class=HTMLResponse, include_in_schema=False)
async def page() -> HTMLResponse:
    """The chat page; `/chat#resume=ABCD-EFGH` (a resume link) opens it with the code typed."""
    return HTMLResponse(PAGE)


def browser_locale(request: Request) -> str | None:
    """The browser's first language as a locale: English browsers get English, Chinese ones Chinese."""
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    if first.startswith("en"):
        return "en"
    return "zh" if first.startswith("zh") else None


async def check_rate(request: Request, visitor: str, new: bool) -> None:
    """Per resident: by the signed visitor id, or by address for requests without one (a fresh id each time)."""
    key = f"ip:{request.client.host if request.client else '-'}" if new else f"v:{visitor}"
    if not await request.app.state.web_rate.allow(key):
        raise HTTPException(429, detail="too many messages; wait a minute and send again",
                            headers={"Retry-After": str(int(RATE_WINDOW))})


@router.post("/web/chat", include_in_schema=False)
async def web_chat(request: Request, svc: ServicesDep) -> JSONResponse:
    visitor, new = _visitor(request, svc.settings.secret)
    await check_rate(request, visitor, new)
    inbound, message_id = await read_inbound(request, svc)
    key = ConversationKey("web", visitor)
    body = await take_turn(svc, key, inbound, locale=browser_locale(request), message_id=message_id,
                           client=f"address:{request.client.host if request.client else '-'}")
    # the page speaks the conversation's language, whichever way the resident chose it
    body["locale"] = (await svc.states.get(key) or {}).get("locale") or svc.settings.locale
    response = JSONResponse(body)
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

