"""Return calls of the sampled closed cases (抽样回访): the desk rings each household and records what it found."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from bot.phone.views import back_to, error_text, render
from intake.console.auth import SignedIn
from intake.console.context import ConsoleContext, IntakeId, console_context
from intake.console.decisions import Decisions
from intake.console.pages import client_address
from intake.errors import IntakeError
from intake.store.access import AccessAction
from intake.store.records import ReturnVisitRecord

Ctx = Annotated[ConsoleContext, Depends(console_context)]
router = APIRouter(prefix="/console/phone/visits", include_in_schema=False)
OUTCOMES = ("unreached", "reached", "helped", "still_in_need")


@dataclass(frozen=True, slots=True)
class VisitCall:
    """A household to ring: who, on which number, about which closed case (for staff eyes only)."""

    visit: ReturnVisitRecord
    name: str
    phone: str
    status: str


@router.get("")
async def visit_list(request: Request, staff: SignedIn, ctx: Ctx) -> Response:
    """The sampled households still to call, oldest draw first, with the outcome form for each."""
    calls = []
    for visit in await ctx.store.return_visits(pending=True):
        record = await ctx.store.get(visit.intake_id)
        applicant = record.application.get("applicant") or {}
        calls.append(VisitCall(visit, str(applicant.get("name") or "-"), str(applicant.get("phone") or "-"),
                               record.status.value))
        # the household's name and phone shown to the desk is a read of their intake
        await ctx.read(staff, AccessAction.INTAKE, visit.intake_id, via="phone", address=client_address(request),
                       detail="return call list")
    return render(request, ctx, staff, "phone_visits.html", calls=calls, outcomes=OUTCOMES,
                  error=error_text(request, ctx), done=request.query_params.get("done") == "recorded")


@router.post("/{visit_id}")
async def record(staff: SignedIn, ctx: Ctx, visit_id: IntakeId,
                 outcome: Annotated[str, Form(max_length=32)] = "",
                 note: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Record what the call found, under the caller's staff id; still in need opens a new intake. Nothing is
    assumed: without an outcome the desk is asked to choose one."""
    if outcome not in OUTCOMES:
        return back_to("/console/phone/visits", "visit_outcome")
    try:
        await Decisions(ctx).record_visit(visit_id, actor=staff.name, outcome=outcome, note=note)
    except (IntakeError, ValueError):
        return back_to("/console/phone/visits", "visit_recorded")
    return back_to("/console/phone/visits?done=recorded")
