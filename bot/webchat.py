"""The built-in web chat: a page at `/` and its endpoint; visitors are known by a signed cookie."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from itsdangerous import BadSignature, URLSafeSerializer

from bot.chat_api import ServicesDep, read_inbound, replies_json, take_turn
from bot.conversation import ConversationKey
from bot.wiring import Services
from dialogs.resume_codes import masked, shown
from dialogs.summary import mask
from dialogs.texts import t
from intake.console.transcript import labelled
from intake.store.rows import user_key
from bot.limits import RateLimit
from bot.speech import SpeechRequest, SpeechUnavailable, speech

router = APIRouter()
COOKIE = "sq_chat"
RATE_BURST, RATE_WINDOW = 30, 60.0  # messages a minute: far above typing speed, far below a script
# ID and phone numbers the resident typed are shown back masked, as the summary shows them
_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1\d{10}(?!\d)")
HISTORY_LINES = 80  # lines shown again after a reload: the application so far, not every visit ever
SPEECH_BURST = 30  # messages read aloud a minute, counted apart so listening never blocks answering
PAGE = (Path(__file__).parent / "web" / "chat.html").read_text(encoding="utf-8")
# the page's care layer (elder mode, read-aloud, accessibility aids), the same for everyone
CARE_TYPES = {"js": "text/javascript", "css": "text/css"}
CARE = {kind: (Path(__file__).parent / "web" / f"care.{kind}").read_text(encoding="utf-8") for kind in CARE_TYPES}


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
async def page(svc: ServicesDep) -> HTMLResponse:
    """The chat page; `/chat#resume=ABCD-EFGH` (a resume link) opens it with the code typed, `/chat?elder=1`
    in elder mode."""
    return HTMLResponse(PAGE.replace("{{hotline}}", svc.web.hotline))


@router.get("/web/care.{kind}", include_in_schema=False)
async def care_file(kind: str) -> PlainTextResponse:
    if kind not in CARE:
        raise HTTPException(404)
    return PlainTextResponse(CARE[kind], media_type=CARE_TYPES[kind], headers={"Cache-Control": "max-age=3600"})


def browser_locale(request: Request) -> str | None:
    """The browser's first language as a locale: English browsers get English, Chinese ones Chinese."""
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    if first.startswith("en"):
        return "en"
    return "zh" if first.startswith("zh") else None


async def check_rate(request: Request, visitor: str, new: bool, limit: RateLimit | None = None) -> None:
    """Per resident: by the signed visitor id, or by address for requests without one (a fresh id each time)."""
    key = f"ip:{request.client.host if request.client else '-'}" if new else f"v:{visitor}"
    if not await (limit or request.app.state.web_rate).allow(key):
        raise HTTPException(429, detail="too many messages; wait a minute and send again",
                            headers={"Retry-After": str(int(RATE_WINDOW))})


def _hidden(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: mask(m.group(), 4, 4), text)
    return _PHONE.sub(lambda m: mask(m.group(), len(m.group()) - 8, 4), text)


async def history(svc: Services, key: ConversationKey, *, leave_out: int = 0) -> dict:
    """The conversation so far as the resident saw it (buttons as their labels, commands left out, numbers
    masked as the transcript keeps them), in its language, with the resume code said again."""
    state = await svc.states.get(key) or {}
    locale = state.get("locale") or svc.web.locale
    lines = await svc.transcripts.recent(key.hashed(svc.vault), HISTORY_LINES + leave_out)
    lines = lines[:len(lines) - leave_out]
    shown_lines = [{"who": "bot" if turn.who == "bot" else "me", "text": _hidden(turn.text)}
                   for turn in labelled(lines, locale, svc.params.city_districts, svc.params.district_label)
                   if turn.who == "bot" or not turn.text.startswith("/")]
    code = state.get("resume") or {}
    if not code.get("code"):
        return {"locale": locale, "lines": shown_lines, "code": None}
    # the transcript hides the code from staff; its owner reads it (and its link) where it was said
    for line in shown_lines:
        line["text"] = line["text"].replace(masked(shown(code["code"])), shown(code["code"]))
    return {"locale": locale, "lines": shown_lines,
            "code": t(locale, "resume.show", code=shown(code["code"]), link=code.get("link") or "-")}


@router.get("/web/history", include_in_schema=False)
async def web_history(request: Request, svc: ServicesDep) -> JSONResponse:
    """What this visitor's conversation has said so far, for the page after a reload."""
    visitor, new = _visitor(request, svc.web.secret)
    if new:
        return JSONResponse({"locale": None, "lines": [], "code": None})
    return JSONResponse(await history(svc, ConversationKey("web", visitor)))


@router.post("/web/chat", include_in_schema=False)
async def web_chat(request: Request, svc: ServicesDep) -> JSONResponse:
    visitor, new = _visitor(request, svc.web.secret)
    await check_rate(request, visitor, new)
    inbound, message_id = await read_inbound(request, svc)
    key = ConversationKey("web", visitor)
    before = (await svc.states.get(key) or {}) if not new else {}
    code_before, checking = (before.get("resume") or {}).get("code"), before.get("resume_check")
    body = await take_turn(svc, key, inbound, locale=browser_locale(request), message_id=message_id,
                           client=f"address:{request.client.host if request.client else '-'}")
    state = await svc.states.get(key) or {}
    # the page speaks the conversation's language, whichever way the resident chose it
    body["locale"] = state.get("locale") or svc.web.locale
    code_after = (state.get("resume") or {}).get("code")
    if checking and code_after and code_after != code_before:
        # an application moved here with its code: the page shows what was said before, then this turn
        # (this turn wrote the resident's digits and the replies; a new conversation has no mailbox waiting)
        this_turn = 1 + len(body["replies"])
        body["history"] = await history(svc, key, leave_out=this_turn)
    response = JSONResponse(body)
    if new:
        _remember(response, visitor, svc.web.secret)
    return response


@router.get("/web/messages", include_in_schema=False)
async def web_messages(request: Request, svc: ServicesDep) -> JSONResponse:
    visitor, new = _visitor(request, svc.web.secret)
    if new:
        return JSONResponse({"replies": []})
    waiting = await svc.mailbox.collect("web", visitor)
    if waiting:  # the page shows them now: a caseworker's thread messages to this visitor are read
        await svc.intakes.thread_read(user_key(svc.vault, "web", visitor))
    return JSONResponse({"replies": replies_json(waiting)})


@router.post("/web/speech", include_in_schema=False)
async def read_aloud(request: Request, body: SpeechRequest, svc: ServicesDep) -> Response:
    """audio/wav of one chat message (see bot/speech.py); 422 for an empty or too long text or another voice."""
    visitor, new = _visitor(request, svc.web.secret)
    await check_rate(request, visitor, new, request.app.state.speech_rate)
    if not body.text.strip():
        raise HTTPException(422, detail="nothing to read")
    try:
        audio = await speech(body.text, body.lang, svc.web.speech_dir)
    except SpeechUnavailable:
        raise HTTPException(503, detail="read-aloud is not available right now") from None
    return Response(audio, media_type="audio/wav", headers={"Cache-Control": "private, max-age=86400"})
