"""A caller's conversation as staff run it: the page, and every answer sent through the same runner."""
from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, NamedTuple

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from bot.conversation import ConversationKey
from bot.phone import calls, texts
from bot.phone.pages import MAX_QUESTION, Ctx, Desk, look_up, services
from bot.phone.screen import Screen, read, spoken
from bot.phone.views import back_to, call_url, error_text, render
from bot.wiring import Services
from dialogs import intents
from dialogs.events import FileRefused, Verified
from dialogs.messages import Inbound
from intake.console.context import ConsoleContext
from intake.errors import IntakeNotFound

Number = Annotated[str, Form(max_length=40)]
Asked = Annotated[int, Form(ge=0)]
MAX_FILES = 10  # receipts per upload
MAX_TEXT = 20_000  # the engine explains its own lower limit to staff; beyond this the form is refused

router = APIRouter(prefix="/console/phone", include_in_schema=False)


class Call(NamedTuple):
    """An open conversation: its key, its saved state and what the page shows of it."""

    key: ConversationKey
    state: dict[str, Any]
    screen: Screen


async def _open(svc: Services, number: str) -> Call | None:
    """The conversation a number names, if it exists."""
    key = calls.parse_number(number)
    state = await svc.states.get(key) if key is not None else None
    if state is None:
        return None
    return Call(key, state, read(state, svc.runner.context(state.get("locale"), key.channel)))


async def _posted(svc: Services, number: str, asked: int) -> Call | Response:
    """The call a form was posted for, or where to send staff when the form no longer applies."""
    found = await _open(svc, number)
    if found is None:
        return back_to("/console/phone", "not_found")
    if asked != found.screen.asked:
        # another tab or a reloaded form: the answer was meant for another question
        return back_to(call_url(found.key), "stale")
    return found


async def _person(ctx: ConsoleContext, found: Call) -> dict[str, Any]:
    """The name, ID number and phone staff check with the caller: as entered, or as in the reopened intake."""
    application = found.state.get("answers") or {}
    if found.screen.more_info:
        try:
            application = (await ctx.store.get(found.screen.intake_id)).application
        except IntakeNotFound:
            application = {}
    return application.get("applicant") or {}


@router.get("/call")
async def call(request: Request, staff: Desk, ctx: Ctx, number: Annotated[str, Query(max_length=40)] = "",
               q: Annotated[str, Query(max_length=MAX_QUESTION)] = "") -> Response:
    """The question to read aloud, its options by number, the progress, and what was said since the last look."""
    svc = services(request)
    found = await _open(svc, number)
    if found is None:
        return back_to("/console/phone", "not_found")
    key, _, screen = found
    waiting = await svc.mailbox.collect(key.channel, key.user_id)
    # the question itself is on the page already; the rest (a refusal, an answer, a notice) is news
    notices = [spoken(r.text, screen.locale) for r in waiting if r.text not in screen.asking]
    person = await _person(ctx, found) if screen.must_verify else {}
    answer = await look_up(svc, q, screen.locale) if q.strip() else None
    return render(request, ctx, staff, "phone_call.html", key=key, screen=screen, notices=notices, person=person,
                  error=error_text(request, ctx), question=q, answer=answer, limit_mb=svc.files.limit_mb)


async def _turn(svc: Services, key: ConversationKey, inbound: Inbound) -> None:
    outcome = await svc.runner.handle(key, inbound)
    await svc.mailbox.notify(channel=key.channel, user_id=key.user_id, replies=outcome.replies)


@router.post("/call/turn")
async def turn(
    request: Request,
    staff: Desk,
    number: Number,
    asked: Asked,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    option: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The caller's answer, typed or picked by staff, as one turn of the caller's conversation."""
    svc = services(request)
    found = await _posted(svc, number, asked)
    if isinstance(found, Response):
        return found
    key, _, screen = found
    url = call_url(key)
    option = option or screen.option_for(text) or ""
    if screen.must_verify and (screen.more_info or option == "confirm" or (text.strip() and not option)):
        return back_to(url, "verify_first")
    if option:
        inbound = Inbound(option=option, data={"asked": asked}, staff_id=staff.name)
    elif text.strip():
        typed = intents.command(text)
        inbound = replace(typed, staff_id=staff.name) if typed else Inbound(text=text, staff_id=staff.name)
    else:
        return back_to(url, "no_input")
    await _turn(svc, key, inbound)
    return back_to(url)


@router.post("/call/files")
async def upload(request: Request, staff: Desk, number: Number, asked: Asked) -> Response:
    """Receipts the caller brought or sent in, stored as if the caller had sent them, entered by staff."""
    svc = services(request)
    found = await _posted(svc, number, asked)
    if isinstance(found, Response):
        return found
    key, _, screen = found
    url = call_url(key)
    if screen.must_verify:
        return back_to(url, "verify_first")
    # a form sent with no file chosen carries an empty part, which arrives as a plain string
    chosen = [part for part in (await request.form(max_files=MAX_FILES)).getlist("file")
              if isinstance(part, UploadFile) and part.filename]
    if not chosen:
        return back_to(url, "no_file")
    accepted = []
    for part in chosen:
        data = await part.read(svc.files.max_bytes + 1)
        reason = svc.files.refusal(data)
        if reason:
            await _turn(svc, key, Inbound(event=FileRefused(reason, svc.files.limit_mb), staff_id=staff.name))
            continue
        accepted.append(await svc.files.save(data, name=part.filename or "file",
                                             content_type=part.content_type or "application/octet-stream"))
    if accepted:
        await _turn(svc, key, Inbound(attachments=tuple(accepted), staff_id=staff.name))
    return back_to(url)


@router.post("/call/verify")
async def verify(request: Request, staff: Desk, ctx: Ctx, number: Number, asked: Asked) -> Response:
    """Staff confirm the caller's name and ID number; the conversation records it with their name."""
    svc = services(request)
    found = await _posted(svc, number, asked)
    if isinstance(found, Response):
        return found
    key, _, screen = found
    await _turn(svc, key, Inbound(event=Verified(), staff_id=staff.name))
    if screen.more_info and screen.intake_id:
        # a call back's answers join the intake without the transcript, so the intake keeps its own record
        await ctx.store.add_note(screen.intake_id, author=staff.name,
                                 text=texts.text(ctx.locale, "verify.note", who=staff.name))
    return back_to(call_url(key))
