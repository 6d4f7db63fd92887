"""The access log for supervisors: every staff read of resident data, filtered by account or intake, and a
random draw of recent reads to spot-check."""
from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from intake.console.auth import Supervisor
from intake.console.context import ConsoleContext, console_context
from intake.console.views import Clock, render

Ctx = Annotated[ConsoleContext, Depends(console_context)]
router = APIRouter(prefix="/console/access", include_in_schema=False)
SAMPLE_DAYS = 7
SHOWN = 200


@router.get("")
async def access_log(request: Request, staff: Supervisor, ctx: Ctx,
                     actor: Annotated[str, Query(max_length=64)] = "",
                     intake: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                     sample: Annotated[int, Query(ge=0, le=200)] = 0) -> Response:
    """The newest reads (of one account or one intake), and `sample` reads of the last week drawn at random."""
    log = ctx.access
    recent = await log.recent(actor=actor.strip() or None, intake_id=intake, limit=SHOWN) if log else []
    drawn = await log.sample(sample, since=Clock(ctx).now - timedelta(days=SAMPLE_DAYS)) if log and sample else []
    return render(request, ctx, staff, "access.html", recent=recent, drawn=drawn, actor=actor, intake=intake or "",
                  sample=sample)
