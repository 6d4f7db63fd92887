"""The console's forms for the thread (write to the resident, note what they said on the phone, mark their
messages seen) and for the document checklist (mark an item received or waived, ask for the missing ones)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from intake.console.actions import Ctx, Text, _back, _decide, _error_key
from intake.console.auth import Caseworker
from intake.console.context import IntakeId
from intake.console.decisions import Decisions
from intake.errors import IntakeError

router = APIRouter(prefix="/console", include_in_schema=False)
Canned = Annotated[str, Form(max_length=40)]


@router.post("/intakes/{intake_id}/thread")
async def write(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, text: Text = "",
                canned: Canned = "") -> Response:
    """Send the resident a message (a canned reply, own words, or both) on their channel."""
    try:
        told = await Decisions(ctx).send_message(intake_id, actor=staff.name, text=text, canned=canned)
    except (IntakeError, ValueError) as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_input')}#thread")
    return _back(request, f"/console/intakes/{intake_id}?done={'message_sent' if told else 'not_told'}#thread")


@router.post("/intakes/{intake_id}/thread/relay")
async def relay(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, text: Text = "") -> Response:
    """Write down what the resident said on the phone, as their message in the thread."""
    try:
        await Decisions(ctx).relay(intake_id, actor=staff.name, text=text)
    except (IntakeError, ValueError) as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_input')}#thread")
    return _back(request, f"/console/intakes/{intake_id}?done=relayed#thread")


@router.post("/intakes/{intake_id}/thread/seen")
async def seen(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """The resident's messages are read and need no answer: the 「居民有回复」 mark goes."""
    try:
        await ctx.store.seen_replies(intake_id)
    except IntakeError as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'not_found')}")
    return _back(request, f"/console/intakes/{intake_id}?done=seen#thread")


@router.post("/intakes/{intake_id}/checklist/{item}")
async def mark(request: Request, intake_id: IntakeId, item: str, staff: Caseworker, ctx: Ctx,
               state: Annotated[str, Form(pattern="^(received|waived|needed)$")],
               file_id: Annotated[str, Form(max_length=255)] = "", reason: Text = "") -> Response:
    """Mark a checklist item received (which file), waived (why), or needed again."""
    try:
        await Decisions(ctx).mark_item(intake_id, item, actor=staff.name, state=state, file_id=file_id, reason=reason)
    except (IntakeError, ValueError) as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_input')}#checklist")
    return _back(request, f"/console/intakes/{intake_id}?done=checklist_marked#checklist")


@router.post("/intakes/{intake_id}/checklist-request")
async def request_missing(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """One click: a request for more information for every missing item, in the resident's language."""
    return await _decide(request, intake_id, "requested", Decisions(ctx).request_missing(intake_id, actor=staff.name))
