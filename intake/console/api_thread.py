"""The JSON API's thread and checklist actions under /api/intakes/{id}: the console's forms, for tools."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from intake.console.api import ERRORS, Ctx, DecisionPublic, _after, domain_errors
from intake.console.auth import Caseworker
from intake.console.canned import CANNED
from intake.console.context import IntakeId
from intake.console.decisions import Decisions

router = APIRouter(prefix="/api/intakes", tags=["thread and checklist"], responses=ERRORS)
CannedKey = Literal[tuple(CANNED)]  # type: ignore[valid-type]


class ThreadMessagePublic(BaseModel):
    """One message between the intake's caseworkers and the resident, in order. `delivery` (staff messages):
    queued, sent (the channel took it), failed (given up after retries), read (the web chat showed it, or the
    resident answered after it), or relay (a phone or station resident: staff pass it on by phone)."""

    id: int
    at: datetime
    sender: Literal["staff", "resident"]
    author: str | None = Field(description="the staff account; for a resident's message, who relayed it from a call")
    kind: Literal["message", "request", "file"]
    text: str
    file_id: str | None
    delivery: Literal["queued", "sent", "failed", "read", "relay"] | None


class ThreadMessageCreate(BaseModel):
    """A message to the resident: a canned reply (sent in the resident's language), own words, or both."""

    text: str = Field(default="", max_length=2000)
    canned: CannedKey | None = None


class ThreadSent(BaseModel):
    intake_id: int
    resident_told: bool
    thread: list[ThreadMessagePublic]


class ChecklistItemPublic(BaseModel):
    """One material the named programmes ask for: received (which files), missing or waived (why); warnings on
    the receipts (payer, date, duplicate, amount: `kind:what`); its source and whether that was verified."""

    item: str
    label: str
    programmes: list[str]
    state: Literal["received", "missing", "waived"]
    files: list[dict[str, str]]
    reason: str | None
    marked_by: str | None
    warnings: list[str]
    source: str
    verified: bool
    note: str


class ChecklistMarkIn(BaseModel):
    """Received needs `file_id` (one of the intake's files); waived needs `reason`; needed undoes a mark."""

    state: Literal["received", "waived", "needed"]
    file_id: str = Field(default="", max_length=255)
    reason: str = Field(default="", max_length=500)


async def _thread(ctx, intake_id: int) -> list[ThreadMessagePublic]:
    return [ThreadMessagePublic(**m.as_dict()) for m in await ctx.store.thread(intake_id)]


async def _checklist(ctx, intake_id: int) -> list[ChecklistItemPublic]:
    record = await ctx.store.get(intake_id)
    return [ChecklistItemPublic(**i.as_dict(record.locale)) for i in await Decisions(ctx).checklist(intake_id)]


@router.get("/{intake_id}/thread", response_model=list[ThreadMessagePublic])
async def get_thread(intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> list[ThreadMessagePublic]:
    """The conversation with the resident, with each staff message's delivery state."""
    with domain_errors():
        await ctx.store.get(intake_id)
        return await _thread(ctx, intake_id)


@router.post("/{intake_id}/thread", response_model=ThreadSent, status_code=201)
async def send_message(intake_id: IntakeId, body: ThreadMessageCreate, staff: Caseworker, ctx: Ctx) -> ThreadSent:
    """Send the resident a message on their channel (web chat, Telegram, WeChat; phone: staff pass it on)."""
    with domain_errors():
        told = await Decisions(ctx).send_message(intake_id, actor=staff.name, text=body.text, canned=body.canned or "")
        return ThreadSent(intake_id=intake_id, resident_told=told, thread=await _thread(ctx, intake_id))


@router.post("/{intake_id}/thread/seen", status_code=204, response_class=Response)
async def seen(intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """The resident's messages are read and need no answer: the 「居民有回复」 mark goes."""
    with domain_errors():
        await ctx.store.seen_replies(intake_id)
    return Response(status_code=204)


@router.get("/{intake_id}/checklist", response_model=list[ChecklistItemPublic])
async def get_checklist(intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> list[ChecklistItemPublic]:
    """The materials of the programmes the pre-screen names, each received, missing or waived."""
    with domain_errors():
        return await _checklist(ctx, intake_id)


@router.put("/{intake_id}/checklist/{item}", response_model=list[ChecklistItemPublic])
async def mark_item(intake_id: IntakeId, item: str, body: ChecklistMarkIn, staff: Caseworker,
                    ctx: Ctx) -> list[ChecklistItemPublic]:
    """Mark one item received, waived or needed again; the checklist as it now stands."""
    with domain_errors():
        await Decisions(ctx).mark_item(intake_id, item, actor=staff.name, state=body.state, file_id=body.file_id,
                                       reason=body.reason)
        return await _checklist(ctx, intake_id)


@router.post("/{intake_id}/checklist/request", response_model=DecisionPublic)
async def request_missing(intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> DecisionPublic:
    """One request for more information naming every missing item (needs the intake held, as any request)."""
    with domain_errors():
        told = await Decisions(ctx).request_missing(intake_id, actor=staff.name)
    return await _after(ctx, intake_id, told)
