"""The console's forms: claim next, decide, ask the resident for more, release, notes, keep the lease."""
from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from intake.console.auth import Caseworker
from intake.console.context import ConsoleContext, IntakeId, console_context
from intake.console.decisions import Decisions
from intake.console.views import render
from intake.errors import (
    AlreadyClaimed, ConsentMissing, IntakeError, IntakeNotFound, InvalidTransition, LeaseLost, NoOpenRequest, NotHeld,
)
from intake.models import IntakeStatus

log = logging.getLogger(__name__)
Ctx = Annotated[ConsoleContext, Depends(console_context)]
Text = Annotated[str, Form(max_length=4000)]
Confirm = Annotated[str, Form(max_length=8)]
ERROR_KEYS: dict[type[Exception], str] = {
    IntakeNotFound: "not_found", AlreadyClaimed: "already_claimed", InvalidTransition: "invalid_transition",
    LeaseLost: "lease_lost", NoOpenRequest: "no_open_request", NotHeld: "not_held", ConsentMissing: "consent_missing",
    ValueError: "invalid_input",
}

router = APIRouter(prefix="/console", include_in_schema=False)


def _error_key(error: Exception, default: str) -> str:
    """The page text naming why an action could not be done."""
    return next((key for kind, key in ERROR_KEYS.items() if isinstance(error, kind)), default)


def _back(request: Request, url: str) -> Response:
    # an htmx request follows with a full page load, a plain form with a redirect
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


async def _decide(request: Request, intake_id: int, done: str, action: Awaitable[bool | None]) -> Response:
    """Run a decision; come back to the intake with what happened (or why it could not)."""
    try:
        told = await action
    except (IntakeError, ValueError) as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_transition')}")
    return _back(request, f"/console/intakes/{intake_id}?done={'not_told' if told is False else done}")


@router.post("/claim-next")
async def claim_next(request: Request, staff: Caseworker, ctx: Ctx) -> Response:
    """Take the next intake under a lease and open it."""
    entry = await Decisions(ctx).claim_next(staff.name)
    if entry is None:
        return _back(request, "/console/queue?error=nothing_to_claim")
    return _back(request, f"/console/intakes/{entry.intake_id}")


@router.post("/intakes/{intake_id}/claim")
async def claim(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """Take this intake under a lease (from the queue or its own page) and open it."""
    try:
        await Decisions(ctx).claim(intake_id, worker=staff.name)
    except IntakeError as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_transition')}")
    return _back(request, f"/console/intakes/{intake_id}?done=claimed")


def _unconfirmed(request: Request, intake_id: int, confirm: str) -> Response | None:
    """A final decision from the page needs its confirmation ticked: one stray click decides nothing."""
    if confirm == "yes":
        return None
    return _back(request, f"/console/intakes/{intake_id}?error=confirm")


@router.post("/intakes/{intake_id}/accept")
async def accept(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, reason: Text = "",
                 confirm: Confirm = "") -> Response:
    """Accept for processing; the resident is told."""
    if refused := _unconfirmed(request, intake_id, confirm):
        return refused
    return await _decide(request, intake_id, "accepted", Decisions(ctx).accept(intake_id, actor=staff.name, reason=reason))


@router.post("/intakes/{intake_id}/reject")
async def reject(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, reason: Text = "",
                 confirm: Confirm = "") -> Response:
    """Reject with a reason the resident reads."""
    if refused := _unconfirmed(request, intake_id, confirm):
        return refused
    return await _decide(request, intake_id, "rejected", Decisions(ctx).reject(intake_id, actor=staff.name, reason=reason))


@router.post("/intakes/{intake_id}/request-info")
async def request_info(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx,
                       items: Annotated[list[str], Form()] = [], note: Text = "") -> Response:  # noqa: B006 - FastAPI copies defaults
    """Ask the resident for exactly these items; their conversation reopens."""
    action = Decisions(ctx).request_info(intake_id, actor=staff.name, items=items, note=note)
    return await _decide(request, intake_id, "requested", action)


@router.post("/intakes/{intake_id}/refer")
async def refer(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx,
                programme: Annotated[str, Form(max_length=100)], reason: Text = "") -> Response:
    """Refer the household to a matched charity programme; accepting or rejecting stays open."""
    action = Decisions(ctx).refer(intake_id, actor=staff.name, programme=programme, reason=reason)
    try:
        status = (await ctx.store.get(intake_id)).status
    except IntakeNotFound:
        return _back(request, "/console/queue?error=not_found")
    # while it is being reviewed, accepting or rejecting is still to come; once decided, only the referral happened
    return await _decide(request, intake_id, "referred" if status is IntakeStatus.CLAIMED else "referred_decided", action)


@router.post("/intakes/{intake_id}/consents")
async def record_consent(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx,
                         purpose: Annotated[str, Form(pattern="^(economic_check|health_data|financial_data|child_data|referral)$")],
                         granted: Annotated[str, Form(pattern="^(yes|no)$")],
                         method: Annotated[str, Form(pattern="^(phone|counter)$")],
                         recipient: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Record the resident's yes or no (or a withdrawal) that staff heard by phone or at the counter."""
    try:
        await Decisions(ctx).record_consent(intake_id, actor=staff.name, purpose=purpose, granted=granted == "yes",
                                            method=method, recipient=recipient or None)
    except (IntakeError, ValueError) as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_input')}#consents")
    return _back(request, f"/console/intakes/{intake_id}?done=consent_recorded#consents")


@router.post("/referrals/{referral_id}")
async def record_referral(request: Request, referral_id: IntakeId, staff: Caseworker, ctx: Ctx,
                          status: Annotated[str, Form(pattern="^(accepted|helped|declined)$")],
                          help: Annotated[str, Form(max_length=200)] = "",  # noqa: A002 - the form's name
                          amount: Annotated[str, Form(max_length=8, pattern="^[0-9]*$")] = "",
                          note: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Record a partner's answer to a referral (any caseworker, as it arrives); the resident is told."""
    decisions = Decisions(ctx)
    try:
        intake_id, told = await decisions.record_referral(referral_id, actor=staff.name, status=status, note=note,
                                                          help=help, amount=int(amount) if amount else None)
    except (IntakeError, ValueError) as error:
        intake_id = await ctx.store.referral_intake(referral_id)
        if intake_id is None:
            return _back(request, "/console/queue?error=not_found")
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_input')}#referrals")
    return _back(request, f"/console/intakes/{intake_id}?done={'referral_recorded' if told else 'not_told'}#referrals")


@router.post("/intakes/{intake_id}/close")
async def close(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, reason: Text = "",
                confirm: Confirm = "") -> Response:
    """Close a decided intake, or one whose request went unanswered (held under a lease)."""
    if refused := _unconfirmed(request, intake_id, confirm):
        return refused
    return await _decide(request, intake_id, "closed", Decisions(ctx).close(intake_id, actor=staff.name, reason=reason))


@router.post("/intakes/{intake_id}/release")
async def release(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, reason: Text = "") -> Response:
    """Give the intake back to the queue."""
    try:
        await Decisions(ctx).release(intake_id, actor=staff.name, reason=reason)
    except IntakeError as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_transition')}")
    return _back(request, "/console/queue?done=released")


@router.post("/intakes/{intake_id}/notes")
async def add_note(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, text: Text = "") -> Response:
    """Add a note; htmx gets the notes back, a plain form the page."""
    try:
        await Decisions(ctx).note(intake_id, author=staff.name, text=text)
    except (IntakeError, ValueError) as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_input')}")
    if not request.headers.get("HX-Request"):
        return RedirectResponse(f"/console/intakes/{intake_id}#notes", status_code=303)
    record = await ctx.store.get(intake_id)
    return render(request, ctx, staff, "_notes.html", notes=record.notes, intake_id=intake_id)


@router.post("/intakes/{intake_id}/extend")
async def extend(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """Renew the lease while the intake is open on the caseworker's screen."""
    try:
        until = await Decisions(ctx).extend(intake_id, actor=staff.name)
    except (LeaseLost, IntakeNotFound):
        until = None
    return render(request, ctx, staff, "_lease.html", lease_until=until)
