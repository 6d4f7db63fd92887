"""The rights desk at the console: a resident's data downloaded as JSON (the read is recorded), their
requests taken and answered, and the supervisors' list of what is open and what is late."""
from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from intake.console import answers
from intake.console.auth import Caseworker, Supervisor
from intake.console.context import ConsoleContext, IntakeId, console_context
from intake.console.pages import client_address, load
from intake.console.texts import text
from intake.console.views import Clock, render
from intake.errors import IntakeError
from intake.privacy.export import export_intake
from intake.privacy.rights import RightKind, RightStatus
from intake.store.access import AccessAction

Ctx = Annotated[ConsoleContext, Depends(console_context)]
router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/intakes/{intake_id}/export")
async def export(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """Everything held about this intake as one JSON file, to hand to the resident (Art. 45)."""
    await load(ctx, intake_id)
    await ctx.read(staff, AccessAction.EXPORT, intake_id, via="console", address=client_address(request),
                   detail="json")
    data = await export_intake(store=ctx.store, consents=ctx.consents, access=ctx.access, rights=ctx.rights,
                               intake_id=intake_id, now=Clock(ctx).now)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="shanqiao-{intake_id}.json"',
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


@router.get("/intakes/{intake_id}/export/print")
async def printable(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """The same data as a page to print and hand over, in the resident's language (not the staff member's)."""
    record = await load(ctx, intake_id)
    await ctx.read(staff, AccessAction.EXPORT, intake_id, via="console", address=client_address(request),
                   detail="printable")
    locale = record.locale
    return render(request, ctx, staff, "export_print.html", record=record, rlocale=locale,
                  rx=lambda key, **params: text(locale, key, **params),
                  sections=answers.sections(record, locale, ctx.district_label),
                  consents=await ctx.consents.of_intake(intake_id) if ctx.consents else [],
                  reads=await ctx.access.recent(intake_id=intake_id) if ctx.access else [],
                  rights=await ctx.rights.of_intake(intake_id) if ctx.rights else [])


def _back(intake_id: int, outcome: str) -> Response:
    return RedirectResponse(f"/console/intakes/{intake_id}?{outcome}#rights", status_code=303)


@router.post("/intakes/{intake_id}/rights")
async def take_request(intake_id: IntakeId, staff: Caseworker, ctx: Ctx,
                       kind: Annotated[RightKind, Form()],
                       method: Annotated[str, Form(pattern="^(phone|counter)$")],
                       detail: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Register what the resident asked (by phone or at the counter); the reply is due in 15 working days."""
    if ctx.rights is None:
        raise HTTPException(503, detail="rights requests are not configured")
    await load(ctx, intake_id)
    await ctx.rights.take(intake_id, kind=kind, detail=detail, method=method, taken_by=staff.name)
    return _back(intake_id, "done=right_taken")


@router.post("/rights/{request_id}")
async def answer_request(request_id: IntakeId, staff: Caseworker, ctx: Ctx,
                         status: Annotated[str, Form(pattern="^(answered|refused)$")],
                         reply: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Close a request with what was done, or refuse it with the reasons the resident is given."""
    found = await ctx.rights.get(request_id) if ctx.rights is not None else None
    if found is None:
        raise HTTPException(404, detail="no such request")
    try:
        await ctx.rights.answer(request_id, status=RightStatus(status), reply=reply, by=staff.name)
    except IntakeError:
        return _back(found.intake_id, "error=invalid_input")
    return _back(found.intake_id, "done=right_answered")


@router.post("/rights/{request_id}/erase")
async def erase(request_id: IntakeId, staff: Supervisor, ctx: Ctx,
                reply: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """A deletion request carried out: the decided intake is anonymised now as retention would later (the
    decision trail and the consent records stay, without saying whose), and the request answered."""
    found = await ctx.rights.get(request_id) if ctx.rights is not None else None
    if found is None or ctx.erase is None:
        raise HTTPException(404, detail="no such request")
    if found.kind is not RightKind.DELETE or found.status is not RightStatus.OPEN or not reply.strip():
        return _back(found.intake_id, "error=invalid_input")
    try:
        await ctx.erase(found.intake_id)
    except IntakeError:
        return _back(found.intake_id, "error=still_deciding")
    await ctx.rights.answer(request_id, status=RightStatus.ANSWERED, reply=reply, by=staff.name)
    return _back(found.intake_id, "done=erased")


@router.get("/rights")
async def open_requests(request: Request, staff: Supervisor, ctx: Ctx) -> Response:
    """Every request not yet answered, the one due first at the top, late ones marked."""
    pending = await ctx.rights.open() if ctx.rights is not None else []
    return render(request, ctx, staff, "rights.html", pending=pending, now=Clock(ctx).now)
