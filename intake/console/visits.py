"""Sampled return visits (抽样回访) for supervisors: draw a sample of closed cases, see the follow-up rates."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from intake.console.auth import Supervisor
from intake.console.context import ConsoleContext, console_context
from intake.console.decisions import Decisions
from intake.console.pages import flash
from intake.console.views import page_locale, render

Ctx = Annotated[ConsoleContext, Depends(console_context)]
router = APIRouter(prefix="/console/return-visits", include_in_schema=False)


@router.get("")
async def visits(request: Request, staff: Supervisor, ctx: Ctx) -> Response:
    """Each sample's follow-up rates, the calls still to make, and the form to draw a new sample."""
    message, error = flash(request, page_locale(request, ctx))
    return render(request, ctx, staff, "return_visits.html", rates=await ctx.store.follow_up_rates(),
                  pending=await ctx.store.return_visits(pending=True), done=await ctx.store.return_visits(pending=False),
                  message=message, error=error)


@router.post("/draw")
async def draw(staff: Supervisor, ctx: Ctx, size: Annotated[int, Form(ge=1, le=500)] = 10) -> Response:
    """Draw `size` closed cases at random, none drawn before; the phone desk lists them for calls."""
    _sample, chosen = await Decisions(ctx).draw_sample(size, actor=staff.name)
    return RedirectResponse(f"/console/return-visits?done={'drawn' if chosen else 'nothing_to_draw'}", status_code=303)
