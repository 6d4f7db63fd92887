"""The team: giving intakes to named caseworkers (one or several at once), an open intake's live state, and the
supervisor's view of waiting times, workloads, the funnel, referrals and return visits, with a CSV export."""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dialogs.texts import t
from intake.console import charts, live
from intake.console.actions import _back, _error_key
from intake.console.auth import Caseworker, Supervisor
from intake.console.context import ConsoleContext, IntakeId, console_context
from intake.console.decisions import Decisions, programme_name
from intake.console.pages import DECIDED, POLL_SECONDS, STATS_LIMIT, WAITING, load
from intake.console.texts import text
from intake.console.views import Clock, page_locale, render
from intake.errors import IntakeError
from intake.models import IntakeStatus, Role
from intake.store.records import IntakeSummary

S = IntakeStatus
Ctx = Annotated[ConsoleContext, Depends(console_context)]
Name = Annotated[str, Form(max_length=64)]
Note = Annotated[str, Form(max_length=500)]
RECENT_DAYS = 14
OVERDUE_SHOWN = 20

router = APIRouter(prefix="/console", include_in_schema=False)


# -- assignment ---------------------------------------------------------------------------------------------
TEAM_CHOICE = "-"  # the forms' choice "back to unassigned" (nothing chosen is refused)


def _worker(chosen: str) -> str:
    if not chosen:
        raise ValueError("choose a caseworker")
    return "" if chosen == TEAM_CHOICE else chosen


@router.post("/intakes/{intake_id}/assign")
async def assign(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, to: Name = "",
                 note: Note = "") -> Response:
    """Give the intake to a named caseworker (or back to the team), with a note; audited."""
    try:
        await Decisions(ctx).assign([intake_id], actor=staff.name, to=_worker(to), note=note)
    except (IntakeError, ValueError) as error:
        return _back(request, f"/console/intakes/{intake_id}?error={_error_key(error, 'invalid_input')}#assignment")
    return _back(request, f"/console/intakes/{intake_id}?done=assigned#assignment")


def _queue_back(target: str) -> str:
    return target if target.startswith("/console/queue") and not target.startswith("//") else "/console/queue"


@router.post("/assign")
async def assign_many(request: Request, staff: Caseworker, ctx: Ctx,
                      ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI copies defaults
                      to: Name = "", note: Note = "", back: Annotated[str, Form(max_length=600)] = "") -> Response:
    """Give the intakes ticked in the queue to one caseworker at once."""
    target = _queue_back(back)
    joiner = "&" if "?" in target else "?"
    try:
        changed = await Decisions(ctx).assign(ids, actor=staff.name, to=_worker(to), note=note)
    except (IntakeError, ValueError) as error:
        return _back(request, f"{target}{joiner}error={_error_key(error, 'invalid_input')}")
    return _back(request, f"{target}{joiner}done={'assigned' if changed else 'nothing_assigned'}")


@router.get("/intakes/{intake_id}/live")
async def intake_live(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx, seen: str = "",
                      opened: str = "") -> Response:
    """An open intake page's live part: nothing (204) while nothing changed; else its status, holder and
    caseworker, and a word that the page is out of date."""
    mark = await live.queue_mark(ctx.store)
    if seen and seen == mark:
        return Response(status_code=204)
    now = await live.intake_mark(ctx.store, intake_id)
    if opened and opened == now:
        return Response(status_code=204)
    record = await load(ctx, intake_id)
    return render(request, ctx, staff, "_intake_live.html", record=record, mark=mark, opened=now,
                  changed=bool(opened), oob=True, poll=POLL_SECONDS,
                  assignments=await ctx.store.assignments(intake_id))


# -- the supervisor's view ----------------------------------------------------------------------------------
@dataclass
class Worker:
    """One caseworker's figures (name None: intakes given to nobody)."""

    name: str | None
    open: int = 0  # waiting, being reviewed or waiting for the resident
    waiting_hours: list[float] = field(default_factory=list)  # of the intakes still waiting for the team
    overdue: int = 0
    resident: int = 0  # waiting for the resident's answers
    decided: int = 0  # decided in the last RECENT_DAYS days
    held: int = 0  # under this caseworker's lease now

    @property
    def average(self) -> float:
        return sum(self.waiting_hours) / len(self.waiting_hours) if self.waiting_hours else 0.0

    @property
    def longest(self) -> float:
        return max(self.waiting_hours, default=0.0)


def _workers(intakes: Sequence[IntakeSummary], names: Sequence[str], clock: Clock) -> list[Worker]:
    found: dict[str | None, Worker] = {name: Worker(name) for name in names}
    since = clock.now - timedelta(days=RECENT_DAYS)
    for intake in intakes:
        worker = found.setdefault(intake.assigned_to, Worker(intake.assigned_to))
        if intake.status in WAITING:
            worker.open += 1
            if intake.status is S.NEEDS_INFORMATION:
                worker.resident += 1
            else:
                worker.waiting_hours.append(clock.hours(intake.submitted_at))
                worker.overdue += clock.share(intake.submitted_at) >= 1
        elif intake.status in DECIDED and intake.updated_at >= since:
            worker.decided += 1
        if intake.claimed_by and intake.lease_until and intake.lease_until > clock.now and intake.claimed_by in found:
            found[intake.claimed_by].held += 1
    found.setdefault(None, Worker(None))
    return sorted(found.values(), key=lambda w: (w.name is None, w.name or ""))


def _queue_link(**params: str) -> str:
    return "/console/queue?" + urlencode({k: v for k, v in params.items() if v})


def _channels(intakes: Sequence[IntakeSummary]) -> list[dict]:
    """After submission, per channel: how many came, wait, wait for the resident, were decided which way."""
    rows: dict[str, Counter] = defaultdict(Counter)
    for intake in intakes:
        rows[intake.channel]["all"] += 1
        rows[intake.channel][intake.status.value] += 1
    return [{"channel": channel, "counts": counts} for channel, counts in sorted(rows.items())]


async def _referral_outcomes(ctx: ConsoleContext, locale: str) -> list[dict]:
    found: dict[str, dict] = {}
    for programme, doc, status in await ctx.store.referral_outcomes():
        entry = found.setdefault(programme, {"programme": programme, "name": programme_name(doc, locale),
                                             "counts": Counter()})
        entry["counts"][status] += 1
        entry["counts"]["all"] += 1
    return sorted(found.values(), key=lambda e: -e["counts"]["all"])


async def team_figures(ctx: ConsoleContext, locale: str, clock: Clock) -> dict:
    """Everything the supervisor's view and its CSV show."""
    intakes = await ctx.store.list_intakes(limit=STATS_LIMIT)
    waiting = [i for i in intakes if i.status in (S.SUBMITTED, S.CLAIMED)]
    overdue = sorted((i for i in waiting if clock.share(i.submitted_at) >= 1), key=lambda i: i.submitted_at)
    team = [a.name for a in await ctx.store.list_users() if a.role is Role.CASEWORKER and not a.disabled]
    workers = _workers(intakes, team, clock)
    return {"intakes": intakes, "waiting": waiting, "overdue": overdue, "workers": workers,
            "channels": _channels(intakes), "referrals": await _referral_outcomes(ctx, locale),
            "rates": await ctx.store.follow_up_rates(),
            "limited": STATS_LIMIT if len(intakes) >= STATS_LIMIT else 0}


@router.get("/supervisor")
async def supervisor_moved(staff: Supervisor) -> Response:
    """The supervisor's view moved to /console/team."""
    return RedirectResponse("/console/team", status_code=301)


@router.get("/team")
async def team(request: Request, staff: Supervisor, ctx: Ctx) -> Response:
    """Queue depth and waiting times against the target, per intake and per caseworker; workloads; where
    residents stop and how intakes end per channel; referral outcomes per partner; return visits over time;
    unanswered questions. Every figure links to the intakes behind it."""
    locale = page_locale(request, ctx)
    clock = Clock(ctx)
    figures = await team_figures(ctx, locale, clock)
    intakes, workers = figures["intakes"], figures["workers"]
    buckets = Counter(
        "under_half" if s < 0.5 else "under_target" if s < 1 else "under_double" if s < 2 else "over_double"
        for s in (clock.share(i.submitted_at) for i in figures["waiting"])
    )
    names = ("under_half", "under_target", "under_double", "over_double")
    labels = {"under_half": "bucket.under_half", "under_target": "bucket.under_target",
              "under_double": "bucket.over_target", "over_double": "bucket.over_double"}
    ages = charts.bar_chart([(text(locale, labels[n]), buckets[n]) for n in names], title=text(locale, "sup.ages"),
                            highlight=[False, False, True, True])
    named = [w for w in workers if w.name is not None]
    worker_chart = charts.bar_chart(
        [(w.name, round(w.average)) for w in named], title=text(locale, "team.average_chart", hours=ctx.target_hours),
        highlight=[w.average >= ctx.target_hours for w in named]) if named else None
    load_chart = charts.bar_chart([(w.name or text(locale, "assign.nobody"), w.open) for w in workers],
                                  title=text(locale, "team.workload"))
    today = clock.now.astimezone(clock.tz).date()
    days = [today - timedelta(days=n) for n in range(13, -1, -1)]
    decided = Counter(i.updated_at.astimezone(clock.tz).date() for i in intakes if i.status in DECIDED)
    throughput = charts.bar_chart([(d.strftime("%m-%d"), decided[d]) for d in days],
                                  title=text(locale, "sup.throughput"))
    by_status = Counter(i.status for i in intakes)
    statuses = charts.bar_chart([(text(locale, f"status.{s.value}"), by_status[s]) for s in S],
                                title=text(locale, "sup.statuses"))
    funnel = None
    if ctx.funnel is not None:
        stops = await ctx.funnel()
        funnel = charts.bar_chart([(t(locale, f"section.{n}"), int(stops.get(n, 0))) for n in range(1, 9)],
                                  title=text(locale, "sup.funnel"))
    rates = figures["rates"]
    visits_chart = charts.bar_chart(
        [(f"{clock.time(r.drawn_at)[5:10]} {text(locale, 'team.visit_' + k)}", getattr(r, k)) for r in reversed(rates[:6])
         for k in ("helped", "still_in_need")], title=text(locale, "team.visits_chart")) if rates else None
    return render(
        request, ctx, staff, "supervisor.html", stats=await ctx.queue.stats(), ages_chart=ages,
        throughput_chart=throughput, status_chart=statuses, funnel_chart=funnel, worker_chart=worker_chart,
        load_chart=load_chart, visits_chart=visits_chart, unanswered=await ctx.store.list_unanswered(limit=30),
        link=_queue_link, statuses=list(S), overdue_shown=OVERDUE_SHOWN, **figures,
    )


CSV_KINDS = ("intakes", "caseworkers")


@router.get("/team.csv")
async def team_csv(request: Request, staff: Supervisor, ctx: Ctx, kind: str = "intakes") -> Response:
    """The figures as a spreadsheet: one line per intake (no personal data), or one per caseworker."""
    locale = page_locale(request, ctx)
    clock = Clock(ctx)
    figures = await team_figures(ctx, locale, clock)
    out = io.StringIO()
    sheet = csv.writer(out)
    if kind == "caseworkers":
        sheet.writerow(["caseworker", "open", "waiting", "overdue", "waiting_for_resident", "average_wait_hours",
                        "longest_wait_hours", f"decided_last_{RECENT_DAYS}_days", "held_now"])
        for w in figures["workers"]:
            sheet.writerow([w.name or "", w.open, len(w.waiting_hours), w.overdue, w.resident, f"{w.average:.1f}",
                            f"{w.longest:.1f}", w.decided, w.held])
    else:
        sheet.writerow(["intake", "channel", "status", "urgent", "submitted_at", "waiting_hours", "share_of_target",
                        "overdue", "assigned_to", "claimed_by", "updated_at"])
        for i in figures["intakes"]:
            open_ = i.status in (S.SUBMITTED, S.CLAIMED)
            share = clock.share(i.submitted_at)
            sheet.writerow([i.id, i.channel, i.status.value, int(i.urgent), clock.time(i.submitted_at),
                            f"{clock.hours(i.submitted_at):.1f}" if open_ else "", f"{share:.2f}" if open_ else "",
                            int(open_ and share >= 1), i.assigned_to or "", i.claimed_by or "", clock.time(i.updated_at)])
    name = "caseworkers" if kind == "caseworkers" else "intakes"
    stamp = clock.now.astimezone(clock.tz).strftime("%Y%m%d-%H%M")
    # a byte-order mark, so spreadsheet programs read the file as UTF-8
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="shanqiao-{name}-{stamp}.csv"'})
