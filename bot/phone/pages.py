"""The phone intake desk: start or resume a caller's application, the call-back list, the policy look-up."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response

from bot.phone import calls, callbacks, desk as open_desk
from bot.phone.views import back_to, call_url, error_text, render
from bot.wiring import Services
from dialogs.messages import Inbound
from dialogs.resume_codes import canonical
from intake.console.auth import SignedIn
from intake.console.context import ConsoleContext, console_context
from intake.console.pages import client_address
from intake.console.views import page_locale
from intake.store.access import AccessAction

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"phone.js": "text/javascript", "phone.css": "text/css"}
MAX_QUESTION = 500
Ctx = Annotated[ConsoleContext, Depends(console_context)]
# Every console account may take calls: staff, and caseworkers and above when the lines are busy.
Desk = SignedIn

router = APIRouter(prefix="/console/phone", include_in_schema=False)


def services(request: Request) -> Services:
    return request.app.state.services


@router.get("/static/{name}")
async def static(name: str, staff: Desk) -> FileResponse:
    """The page's script and style sheet."""
    if name not in STATIC_FILES:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name], headers={"Cache-Control": "public, max-age=3600"})


@router.get("")
async def desk(request: Request, staff: Desk, ctx: Ctx) -> Response:
    """Start a caller's application, or resume one by its intake or conversation number."""
    waiting = await callbacks.waiting(ctx.store, page_locale(request, ctx))
    return render(request, ctx, staff, "phone_desk.html", error=error_text(request, ctx), callbacks=len(waiting),
                  channels=calls.CHANNELS, spoken=page_locale(request, ctx),
                  open_calls=await open_desk.open_calls(services(request).states), call_url=call_url)


@router.post("/start")
async def start(
    request: Request,
    staff: Desk,
    channel: Annotated[str, Form(pattern=calls.CHANNEL_PATTERN)] = "phone",
    locale: Annotated[str, Form(pattern="^(zh|en)$")] = "zh",
) -> Response:
    """A new conversation number for the caller, and the application begun in it."""
    svc = services(request)
    key = await calls.open_new(svc.states, channel, svc.runner.today())
    await open_desk.remember(svc.states, key, staff.name)
    await svc.runner.handle(key, Inbound(command="start", staff_id=staff.name), locale=locale)
    outcome = await svc.runner.handle(key, Inbound(option="start", staff_id=staff.name))
    # what the engine said waits for the page, like any message for a client without push
    await svc.mailbox.notify(channel=key.channel, user_id=key.user_id, replies=outcome.replies)
    return back_to(call_url(key))


@router.post("/resume")
async def resume(request: Request, staff: Desk, ctx: Ctx,
                 number: Annotated[str, Form(max_length=40)] = "") -> Response:
    """Open a conversation by its conversation number, or by the number of the intake it produced."""
    svc = services(request)
    try:
        key = await calls.find(number, states=svc.states, intakes=ctx.store)
    except calls.NotACall:
        return back_to("/console/phone", "not_phone")
    if key is None and canonical(number):
        key = await open_by_code(svc, number, staff.name)
    if key is None:
        return back_to("/console/phone", "not_found")
    return back_to(call_url(key))


async def open_by_code(svc: Services, code: str, staff: str):
    """A caller who applied online reads out their resume code: their conversation moves to a new call
    (staff are trusted, so no digits are asked; the move is audited under the staff id)."""
    key = await calls.open_new(svc.states, "phone", svc.runner.today())
    replies = await svc.resume.open_for_staff(code, key, staff_id=staff, ctx=svc.runner.context(None, key.channel))
    if replies is None:
        return None
    await open_desk.remember(svc.states, key, staff)
    # what the engine said waits for the page, like any message for a client without push
    await svc.mailbox.notify(channel=key.channel, user_id=key.user_id, replies=replies)
    return key


@router.get("/callbacks")
async def callback_list(request: Request, staff: Desk, ctx: Ctx) -> Response:
    """Callers whose intake a caseworker sent back for more information, with the number to ring."""
    rows = await callbacks.waiting(ctx.store, page_locale(request, ctx))
    for row in rows:  # each caller's name and phone shown is a read of their intake
        await ctx.read(staff, AccessAction.INTAKE, row.intake_id, via="phone", address=client_address(request),
                       detail="call-back list")
    return render(request, ctx, staff, "phone_callbacks.html", rows=rows, call_url=call_url)


async def look_up(svc: Services, question: str, locale: str) -> Any:
    """The knowledge base's answer, or None when it cannot answer now."""
    try:
        return await svc.answerer.answer(question[:MAX_QUESTION], locale)
    except Exception:
        log.exception("policy look-up failed")
        return None


@router.get("/kb")
async def knowledge(request: Request, staff: Desk, ctx: Ctx, q: Annotated[str, Query(max_length=MAX_QUESTION)] = "",
                    locale: Annotated[str, Query(pattern="^(zh|en)$")] = "zh") -> Response:
    """The side panel's answer to a caller's policy question (swapped into the page)."""
    answer = await look_up(services(request), q, locale) if q.strip() else None
    return render(request, ctx, staff, "_phone_kb.html", question=q, answer=answer)
