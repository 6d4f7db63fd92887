"""The JSON API for caseworkers' tools: the console's actions under /api/intakes, documented at /docs."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from intake.console.auth import Caseworker, Supervisor, start_session
from intake.console.context import ConsoleContext, IntakeId, console_context
from intake.console.decisions import Decisions
from intake.console.pages import attachment, client_address
from intake.errors import AccountLocked, AlreadyClaimed, IntakeError, IntakeNotFound, InvalidRequest
from intake.models import IntakeStatus, Role
from intake.store.access import AccessAction

Ctx = Annotated[ConsoleContext, Depends(console_context)]
ERRORS = {
    401: {"description": "not signed in"}, 403: {"description": "role not allowed, or no CSRF token with a cookie"},
    404: {"description": "no such intake"}, 409: {"description": "held by someone else, or not possible in this state"},
}

router = APIRouter(prefix="/api/intakes", tags=["intakes"], responses=ERRORS)
session_router = APIRouter(prefix="/api", tags=["intakes"])


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class SessionCreate(BaseModel):
    """A console account's credentials."""

    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class SessionPublic(BaseModel):
    """A bearer token for the API (valid for the console's session length)."""

    token: str
    name: str
    role: Role


class InfoRequestPublic(Model):
    id: int
    items: list[str]
    message: str | None
    status: str
    requested_by: str
    requested_at: datetime
    answered_at: datetime | None


class IntakeSummaryPublic(Model):
    id: int
    channel: str
    locale: str
    status: IntakeStatus
    urgent: bool
    submitted_at: datetime
    updated_at: datetime
    claimed_by: str | None
    lease_until: datetime | None
    open_request: InfoRequestPublic | None = None
    assigned_to: str | None = None


class AttachmentPublic(Model):
    file_id: str
    name: str
    content_type: str
    size: int
    expense_index: int | None


class AuditPublic(Model):
    actor: str
    at: datetime
    from_status: IntakeStatus | None
    to_status: IntakeStatus
    reason: str | None


class NotePublic(Model):
    id: int
    author: str
    at: datetime
    text: str


class IntakePublic(IntakeSummaryPublic):
    """Everything about one intake; personal data in full, for caseworkers only."""

    staff_id: str | None
    attempts: int
    application: dict[str, Any]
    prescreen: dict[str, Any] | None
    referral: dict[str, Any] | None
    attachments: list[AttachmentPublic]
    audit: list[AuditPublic]
    notes: list[NotePublic]
    transcript: list[dict[str, Any]]
    info_requests: list[InfoRequestPublic]


class ClaimPublic(BaseModel):
    intake_id: int
    lease_until: datetime
    attempts: int
    urgent: bool


class DecisionIn(BaseModel):
    """An optional word to the resident (accept) or to the audit trail (release)."""

    reason: str = Field(default="", max_length=4000)


class ReasonIn(BaseModel):
    """A reason the resident will read."""

    reason: str = Field(min_length=1, max_length=4000)


class InfoRequestCreate(BaseModel):
    """What to ask the resident for again (items of `dialogs.flows.hardship.REOPENABLE`) and a note to them."""

    items: list[str] = Field(min_length=1, max_length=50)
    note: str = Field(default="", max_length=4000)


class ReferralCreate(BaseModel):
    """A charity programme key from the intake's pre-screen matches."""

    programme: str = Field(min_length=1, max_length=100)
    reason: str = Field(default="", max_length=4000)


class NoteCreate(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class DecisionPublic(BaseModel):
    intake_id: int
    status: IntakeStatus
    resident_told: bool | None = None


class AssignIn(BaseModel):
    """The caseworker to give the intake to (an account's name; empty: back to unassigned) and a hand-over note."""

    to: str = Field(default="", max_length=64)
    note: str = Field(default="", max_length=500)


class AssignManyIn(AssignIn):
    """Several intakes given to one caseworker at once."""

    intake_ids: list[int] = Field(min_length=1, max_length=200)


class AssignedPublic(BaseModel):
    """The intakes whose caseworker changed (those already with `to` are left as they were)."""

    changed: list[int]
    to: str | None


class AssignmentPublic(Model):
    """One change of hands: who gave it, when, from whom, to whom (None: unassigned), the note."""

    actor: str
    at: datetime
    from_worker: str | None
    to_worker: str | None
    note: str


class QueueStatsPublic(Model):
    waiting: int
    urgent: int
    claimed: int
    oldest_submitted_at: datetime | None


@contextmanager
def domain_errors() -> Iterator[None]:
    """Domain errors as HTTP answers: missing 404, conflicts 409, bad input 422."""
    try:
        yield
    except IntakeNotFound as error:
        raise HTTPException(404, detail=str(error)) from None
    except AlreadyClaimed as error:
        raise HTTPException(409, detail={"error": "already_claimed", "intake_id": error.intake_id, "by": error.by}) from None
    except InvalidRequest as error:  # an IntakeError, but bad input rather than a conflict
        raise HTTPException(422, detail=str(error)) from None
    except IntakeError as error:
        raise HTTPException(409, detail={"error": type(error).__name__, "message": str(error)}) from None
    except ValueError as error:
        raise HTTPException(422, detail=str(error)) from None


async def _after(ctx: ConsoleContext, intake_id: int, told: bool | None = None) -> DecisionPublic:
    record = await ctx.store.get(intake_id)
    return DecisionPublic(intake_id=intake_id, status=record.status, resident_told=told)


@session_router.post("/session", response_model=SessionPublic,
                     responses={401: {"description": "wrong credentials"}, 429: {"description": "account locked"}})
async def create_session(body: SessionCreate, request: Request, ctx: Ctx) -> SessionPublic:
    """Sign in with a console account; send the token as `Authorization: Bearer <token>`."""
    try:
        account = await ctx.store.verify_user(body.name, body.password, address=client_address(request))
    except AccountLocked as locked:
        raise HTTPException(429, detail={"error": "locked", "until": locked.until.isoformat()}) from None
    if account is None:
        raise HTTPException(401, detail="wrong name or password")
    token, _csrf = await start_session(ctx, account.name)
    return SessionPublic(token=token, name=account.name, role=account.role)


@router.get("", response_model=list[IntakeSummaryPublic])
async def list_intakes(staff: Caseworker, ctx: Ctx, status: Annotated[list[IntakeStatus] | None, Query()] = None,
                       limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                       assigned_to: Annotated[str | None, Query(max_length=64,
                                                                description="only those given to this caseworker; "
                                                                            "`me` for the caller")] = None,
                       ) -> list[IntakeSummaryPublic]:
    """Intakes in queue order (urgent first, then oldest), optionally only in some statuses or given to one
    caseworker ("my cases": `assigned_to=me`)."""
    who = staff.name if assigned_to == "me" else assigned_to
    rows = await ctx.store.list_intakes(status, limit=limit, assigned_to=who)
    return [IntakeSummaryPublic.model_validate(row) for row in rows]


@router.get("/workload", response_model=dict[str, int])
async def workload(staff: Caseworker, ctx: Ctx) -> dict[str, int]:
    """Open intakes (waiting, being reviewed, waiting for the resident) per caseworker they are given to."""
    return await ctx.store.workload()


@router.post("/assign", response_model=AssignedPublic)
async def assign_many(body: AssignManyIn, staff: Caseworker, ctx: Ctx) -> AssignedPublic:
    """Give several intakes to one caseworker (or back to unassigned) with a note; each change is recorded.
    All or nothing: an unknown intake number changes none."""
    with domain_errors():
        changed = await Decisions(ctx).assign(body.intake_ids, actor=staff.name, to=body.to, note=body.note)
    return AssignedPublic(changed=changed, to=body.to or None)


@router.get("/stats", response_model=QueueStatsPublic)
async def queue_stats(staff: Supervisor, ctx: Ctx) -> QueueStatsPublic:
    """Queue depth, urgent and held intakes, the oldest waiting."""
    return QueueStatsPublic.model_validate(await ctx.queue.stats())


@router.post("/claim-next", response_model=ClaimPublic, responses={204: {"description": "nothing waits"}})
async def claim_next(staff: Caseworker, ctx: Ctx) -> Any:
    """Take the next intake under a lease (nobody else gets it until released, decided or expired)."""
    entry = await Decisions(ctx).claim_next(staff.name)
    if entry is None:
        return Response(status_code=204)
    return ClaimPublic(intake_id=entry.intake_id, lease_until=entry.lease_until, attempts=entry.attempts,
                       urgent=entry.urgent)


@router.post("/{intake_id}/claim", response_model=ClaimPublic)
async def claim(intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> ClaimPublic:
    """Take this intake under a lease; a decided one is held (its status stays) to follow it up."""
    with domain_errors():
        entry = await Decisions(ctx).claim(intake_id, worker=staff.name)
    return ClaimPublic(intake_id=entry.intake_id, lease_until=entry.lease_until, attempts=entry.attempts,
                       urgent=entry.urgent)


@router.get("/{intake_id}", response_model=IntakePublic)
async def get_intake(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> IntakePublic:
    """One intake in full: answers, pre-screen, attachments, transcript, notes, audit trail (the read is recorded)."""
    with domain_errors():
        record = await ctx.store.get(intake_id)
    await ctx.read(staff, AccessAction.INTAKE, intake_id, via="api", address=client_address(request))
    return IntakePublic.model_validate(record)


@router.get("/{intake_id}/assignments", response_model=list[AssignmentPublic])
async def assignments(intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> list[AssignmentPublic]:
    """Every change of the intake's caseworker, oldest first."""
    with domain_errors():
        await ctx.store.get(intake_id)
    return [AssignmentPublic.model_validate(a) for a in await ctx.store.assignments(intake_id)]


@router.post("/{intake_id}/assign", response_model=AssignedPublic)
async def assign(intake_id: IntakeId, body: AssignIn, staff: Caseworker, ctx: Ctx) -> AssignedPublic:
    """Give the intake to a named caseworker, or hand it over (whoever holds it under a lease and gives it away
    lets go of it); empty `to` puts it back among the unassigned."""
    with domain_errors():
        changed = await Decisions(ctx).assign([intake_id], actor=staff.name, to=body.to, note=body.note)
    return AssignedPublic(changed=changed, to=body.to or None)


@router.get("/{intake_id}/files/{file_id}", response_class=Response)
async def get_file(request: Request, intake_id: IntakeId, file_id: str, staff: Caseworker, ctx: Ctx) -> Response:
    """A receipt or document of the intake (the read is recorded)."""
    return await attachment(ctx, intake_id, file_id, request=request, staff=staff, via="api")


@router.post("/{intake_id}/accept", response_model=DecisionPublic)
async def accept(intake_id: IntakeId, staff: Caseworker, ctx: Ctx, body: DecisionIn | None = None) -> DecisionPublic:
    """Accept for processing; the resident is told on their channel."""
    with domain_errors():
        told = await Decisions(ctx).accept(intake_id, actor=staff.name, reason=(body or DecisionIn()).reason)
    return await _after(ctx, intake_id, told)


@router.post("/{intake_id}/reject", response_model=DecisionPublic)
async def reject(intake_id: IntakeId, body: ReasonIn, staff: Caseworker, ctx: Ctx) -> DecisionPublic:
    """Reject with a reason the resident reads."""
    with domain_errors():
        told = await Decisions(ctx).reject(intake_id, actor=staff.name, reason=body.reason)
    return await _after(ctx, intake_id, told)


@router.post("/{intake_id}/request-info", response_model=DecisionPublic)
async def request_info(intake_id: IntakeId, body: InfoRequestCreate, staff: Caseworker, ctx: Ctx) -> DecisionPublic:
    """Ask the resident for these items; their conversation reopens exactly those."""
    with domain_errors():
        told = await Decisions(ctx).request_info(intake_id, actor=staff.name, items=body.items, note=body.note)
    return await _after(ctx, intake_id, told)


@router.post("/{intake_id}/refer", response_model=DecisionPublic)
async def refer(intake_id: IntakeId, body: ReferralCreate, staff: Caseworker, ctx: Ctx) -> DecisionPublic:
    """Refer to one of the charity programmes the pre-screen matched."""
    with domain_errors():
        told = await Decisions(ctx).refer(intake_id, actor=staff.name, programme=body.programme, reason=body.reason)
    return await _after(ctx, intake_id, told)


@router.post("/{intake_id}/close", response_model=DecisionPublic)
async def close(intake_id: IntakeId, body: ReasonIn, staff: Caseworker, ctx: Ctx) -> DecisionPublic:
    """Close a decided intake, or one whose request for information went unanswered."""
    with domain_errors():
        told = await Decisions(ctx).close(intake_id, actor=staff.name, reason=body.reason)
    return await _after(ctx, intake_id, told)


@router.post("/{intake_id}/release", response_model=DecisionPublic)
async def release(intake_id: IntakeId, staff: Caseworker, ctx: Ctx, body: DecisionIn | None = None) -> DecisionPublic:
    """Give the intake back to the queue in its old place."""
    with domain_errors():
        await Decisions(ctx).release(intake_id, actor=staff.name, reason=(body or DecisionIn()).reason)
    return await _after(ctx, intake_id)


@router.post("/{intake_id}/notes", response_model=NotePublic, status_code=201)
async def add_note(intake_id: IntakeId, body: NoteCreate, staff: Caseworker, ctx: Ctx) -> NotePublic:
    """Add a note for colleagues."""
    with domain_errors():
        note_id = await Decisions(ctx).note(intake_id, author=staff.name, text=body.text)
        record = await ctx.store.get(intake_id)
    return NotePublic.model_validate(next(n for n in record.notes if n.id == note_id))


@router.post("/{intake_id}/extend", response_model=ClaimPublic)
async def extend(intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> ClaimPublic:
    """Renew the caller's lease on an intake they hold."""
    with domain_errors():
        until = await Decisions(ctx).extend(intake_id, actor=staff.name)
        record = await ctx.store.get(intake_id)
    return ClaimPublic(intake_id=intake_id, lease_until=until, attempts=record.attempts, urgent=record.urgent)


