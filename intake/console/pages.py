"""Console pages: sign-in, the queue, an intake, its files, the supervisor view."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from intake.household import household_flags, household_size
from intake.console import answers
from intake.console.canned import CANNED
from intake.console.checklist import checklist, programme_names
from intake.console.live import intake_mark, queue_mark
from intake.console.auth import (
    CSRF_FIELD, LOGIN_COOKIE, SESSION_COOKIE, Caseworker, SignedIn, login_token, login_token_ok,
    set_session_cookie, start_session,
)
from intake.console.context import OUTSIDE, ConsoleContext, IntakeId, console_context
from intake.console.decisions import Decisions, programme_name
from intake.console.prescreen import programme_views
from intake.console.receipts import expense_receipts
from intake.console.texts import known, text
from intake.console.transcript import labelled
from intake.console.views import Clock, page_locale, render
from intake.eligibility.texts import check_label
from intake.errors import AccountLocked, IntakeNotFound
from intake.models import HOLDABLE, IntakeStatus, ReferralStatus, Role
from intake.store.access import AccessAction
from intake.store.consents import ConsentLog
from intake.store.records import QueueQuery
from intake.store.thread import PHONE_CHANNELS
from intake.urgency import assess
from knowledge.params import load_params

S = IntakeStatus
WAITING = (S.SUBMITTED, S.CLAIMED, S.NEEDS_INFORMATION)
DECIDED = (S.ACCEPTED, S.REFERRED, S.REJECTED, S.CLOSED)
CLOSABLE = frozenset({S.CLAIMED, S.NEEDS_INFORMATION, S.ACCEPTED, S.REFERRED, S.REJECTED})
MAX_DUPLICATES = 5
STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"htmx.min.js": "text/javascript", "console.css": "text/css"}
STATS_LIMIT = 5000  # intakes read for the supervisor's charts
Ctx = Annotated[ConsoleContext, Depends(console_context)]

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/static/{name}")
async def static(name: str) -> FileResponse:
    """The console's script and style sheet (no CDN: the console works offline)."""
    if name not in STATIC_FILES:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name], headers={"Cache-Control": "public, max-age=3600"})


def client_address(request: Request) -> str:
    """The address a sign-in comes from, for throttling guesses."""
    return request.client.host if request.client else ""


def _safe_next(target: str | None) -> str:
    # only our own pages: never an absolute or protocol-relative address
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return "/console"


def _login_page(request: Request, ctx: ConsoleContext, *, problem: str = "", name: str = "", next_: str = "",
                status_code: int = 200) -> Response:
    token, cookie = login_token(ctx)
    response = render(request, ctx, None, "login.html", status_code, login_csrf=token, problem=problem, name=name,
                      next=_safe_next(next_))
    response.set_cookie(LOGIN_COOKIE, cookie, max_age=3600, httponly=True, samesite="strict",
                        secure=ctx.secure_cookies, path="/console/login")
    return response


@router.get("/login")
async def login_form(request: Request, ctx: Ctx, next: str = "") -> Response:  # noqa: A002 - the query name
    """The sign-in form."""
    return _login_page(request, ctx, next_=next)


@router.post("/login")
async def login(
    request: Request,
    ctx: Ctx,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    next: Annotated[str, Form()] = "",  # noqa: A002
) -> Response:
    """Check the password (the store locks an account after repeated failures) and start a session."""
    locale = page_locale(request, ctx)
    if not login_token_ok(ctx, csrf_token, request.cookies.get(LOGIN_COOKIE)):
        return _login_page(request, ctx, problem=text(locale, "login.expired"), name=name, next_=next, status_code=403)
    try:
        account = await ctx.store.verify_user(name, password, address=client_address(request))
    except AccountLocked as locked:
        until = Clock(ctx).time(locked.until)
        return _login_page(request, ctx, problem=text(locale, "login.locked", until=until), name=name, next_=next,
                           status_code=429)
    if account is None:
        return _login_page(request, ctx, problem=text(locale, "login.wrong"), name=name, next_=next, status_code=401)
    token, _csrf = await start_session(ctx, account.name)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, ctx, token)
    response.delete_cookie(LOGIN_COOKIE, path="/console/login")
    return response


@router.post("/logout")
async def logout(staff: SignedIn, ctx: Ctx) -> Response:
    """End the session: the cookie, and any copy of it, stops working at once."""
    await ctx.store.end_session(staff.token)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("")
async def home(request: Request, staff: SignedIn, ctx: Ctx) -> Response:
    """Caseworkers start at the queue; phone staff at their own page."""
    if staff.may(Role.CASEWORKER):
        return RedirectResponse("/console/queue", status_code=303)
    return render(request, ctx, staff, "home.html")


STATUS_VIEWS: dict[str, tuple[IntakeStatus, ...]] = {
    "waiting": WAITING, "mine": WAITING, "unassigned": WAITING, "resident": (S.NEEDS_INFORMATION,),
    "decided": DECIDED, "all": (), **{status.value: (status,) for status in S},
}
TEAM_VIEWS = ("mine", "unassigned", "resident")  # shown as tabs above the queue
OUTCOMES = ("met", "unknown", "not_met")
PER_PAGE = 50  # compact rows: two busy days on one page
POLL_SECONDS = 3  # how often an open page asks whether anything changed


def _one_of(value: str | None, allowed: Iterable[str]) -> str:
    return value if value in allowed else ""


async def _queue_values(request: Request, ctx: ConsoleContext, staff) -> dict:
    """The queue page's rows and filters, read from the query string (anything unknown is ignored)."""
    params = request.query_params
    choices = await ctx.store.queue_choices()
    choices["districts"].sort(key=lambda key: key == OUTSIDE)  # the city's own districts first
    view = params.get("view") if params.get("view") in STATUS_VIEWS else "waiting"
    page_number = int(params["page"]) if params.get("page", "").isdigit() and len(params["page"]) < 6 else 1
    chosen = {
        "view": view, "q": (params.get("q") or "")[:60], "district": _one_of(params.get("district"), choices["districts"]),
        "outcome": _one_of(params.get("outcome"), OUTCOMES), "channel": _one_of(params.get("channel"), choices["channels"]),
        "urgent": "1" if params.get("urgent") == "1" else "",
        "replied": "1" if params.get("replied") == "1" else "",
        "assignee": (params.get("assignee") or "")[:64], "overdue": "1" if params.get("overdue") == "1" else "",
        "programme": (params.get("programme") or "")[:100],
    }
    clock = Clock(ctx)
    statuses = STATUS_VIEWS[view]
    late = tuple(s for s in statuses or tuple(S) if s in (S.SUBMITTED, S.CLAIMED))
    if chosen["overdue"] and late:  # late for the team: not those waiting for the resident's answers
        statuses = late
    elif chosen["overdue"]:  # a decided intake is late for nobody
        chosen["overdue"] = ""
    query = QueueQuery(statuses=statuses, district=chosen["district"] or None,
                       outcome=chosen["outcome"] or None, channel=chosen["channel"] or None,
                       search=chosen["q"] or None, urgent_only=bool(chosen["urgent"]),
                       replied_only=bool(chosen["replied"]), page=page_number,
                       assigned_to=staff.name if view == "mine" else chosen["assignee"] or None,
                       unassigned=view == "unassigned",
                       overdue_before=clock.now - timedelta(hours=ctx.target_hours) if chosen["overdue"] else None,
                       referred_to=chosen["programme"] or None,
                       per_page=PER_PAGE, newest_first=view == "decided")
    result = await ctx.store.queue_page(query)
    filters = {k: v for k, v in chosen.items() if v and not (k == "view" and v == "waiting")}

    def page_url(number: int) -> str:
        return "/console/queue?" + urlencode({**filters, "page": number})

    return {"page": result, "rows": result.rows, "chosen": chosen, "choices": choices, "views": list(STATUS_VIEWS),
            "team_views": TEAM_VIEWS, "outcomes": OUTCOMES, "page_url": page_url, "decided": view == "decided",
            "filtered": bool(filters), "mark": await queue_mark(ctx.store), "poll": POLL_SECONDS,
            "rows_url": "/console/queue/rows?" + urlencode({**filters, "page": result.page}),
            "district_label": lambda key: ctx.district_label(key, page_locale(request, ctx))}


@router.get("/queue")
async def queue(request: Request, staff: Caseworker, ctx: Ctx) -> Response:
    """Most urgent first, then the oldest; search, filters and pages; each one's age against the target time."""
    locale = page_locale(request, ctx)
    values = await _queue_values(request, ctx, staff)
    message, error = flash(request, locale)
    return render(request, ctx, staff, "queue.html", stats=await ctx.queue.stats(), message=message, error=error,
                  caseworkers=await Decisions(ctx).caseworkers(), workload=await ctx.store.workload(), **values)


@router.get("/queue/rows")
async def queue_rows(request: Request, staff: Caseworker, ctx: Ctx, mark: str = "") -> Response:
    """The queue table alone, for the page's live refresh: nothing (204) while nothing changed since `mark`."""
    if mark and mark == await queue_mark(ctx.store):
        return Response(status_code=204)
    return render(request, ctx, staff, "_queue_live.html", stats=await ctx.queue.stats(),
                  **await _queue_values(request, ctx, staff))


def flash(request: Request, locale: str) -> tuple[str, bool]:
    """The message an action left for the page it redirected to: a known key's text, never text from the URL."""
    done, error = request.query_params.get("done"), request.query_params.get("error")
    if error and known(f"error.{error}"):
        return text(locale, f"error.{error}"), True
    if done and known(f"done.{done}"):
        return text(locale, f"done.{done}"), done == "not_told"
    return "", False


async def load(ctx: ConsoleContext, intake_id: int):
    try:
        return await ctx.store.get(intake_id)
    except IntakeNotFound:
        raise HTTPException(404, detail="no such intake") from None


async def _duplicates(ctx: ConsoleContext, stored: list[dict]) -> list[dict]:
    """Earlier intakes of the same people as they stand now: status today, the applicant's name as written."""
    found = []
    for duplicate in stored[-MAX_DUPLICATES:]:  # the newest
        try:
            other = await ctx.store.get(int(duplicate.get("intake_id") or 0))
        except IntakeNotFound:
            continue
        applicant = other.application.get("applicant") or {}
        found.append({"intake_id": other.id, "status": other.status.value, "name": str(applicant.get("name") or "-"),
                      "submitted_at": other.submitted_at})
    return found


@router.get("/intakes/{intake_id}")
async def intake_page(request: Request, intake_id: IntakeId, staff: Caseworker, ctx: Ctx) -> Response:
    """The summary card first, then the answers and documents with the decision panel beside them."""
    record = await load(ctx, intake_id)
    await ctx.read(staff, AccessAction.INTAKE, intake_id, via="console", address=client_address(request))
    locale = page_locale(request, ctx)
    clock = Clock(ctx)
    prescreen = record.prescreen or {}
    live = record.lease_until is not None and record.lease_until > clock.now
    mine = record.claimed_by == staff.name and live and record.status is not S.CLOSED
    claimable = (record.status is S.SUBMITTED or (record.status in HOLDABLE and not (live and record.claimed_by))
                 or (record.status is S.CLAIMED and not live))
    requests = [
        (req, [answers.current_value(record, item, locale, ctx.district_label) for item in req.items])
        for req in reversed(record.info_requests)
    ]
    referrals = await ctx.store.referrals(intake_id)
    referred = {r.programme for r in referrals if r.status is not ReferralStatus.DECLINED}
    household = await ctx.store.household_key(intake_id)
    params = ctx.params or load_params()
    districts = list(params.city_districts)
    message, error = flash(request, locale)
    consents = await ctx.consents.of_intake(intake_id) if ctx.consents is not None else []
    consented = {key: c.granted for key, c in ConsentLog.current(consents).items()}
    return render(
        request, ctx, staff, "intake.html", record=record, mine=mine, claimable=claimable and not mine,
        consents=consents, consented=consented,
        rights=await ctx.rights.of_intake(intake_id) if ctx.rights is not None else [],
        heartbeat=max(ctx.lease_seconds // 3, 10), message=message, error=error,
        programmes=(prescreen.get("prescreen") or {}).get("programmes") or [],
        prescreen_views=programme_views(prescreen.get("prescreen"), locale),
        matches=prescreen.get("matches") or [], duplicates=await _duplicates(ctx, prescreen.get("duplicates") or []),
        check_label=lambda key: check_label(key, locale) if key else "",
        sections=answers.sections(record, locale, ctx.district_label),
        reopenable=answers.reopenable(record.application, locale), requests=requests,
        referral_name=programme_name(record.referral, locale) if record.referral else "",
        receipt_checks=expense_receipts(record, locale),
        referrals=referrals, referred=referred, programme_name=lambda doc: programme_name(doc, locale),
        ledger=await ctx.store.ledger(household) if household else [],
        urgency=assess(record.application, params), household=household_size(record.application),
        flags=sorted(household_flags(record.application)),
        district=ctx.district_label((record.application.get("applicant") or {}).get("district"), locale),
        transcript=labelled(record.transcript, locale, districts, ctx.district_label),
        deciding=record.status is S.CLAIMED, closable=record.status in CLOSABLE,
        thread=await ctx.store.thread(intake_id), canned=list(CANNED), phone_channel=record.channel in PHONE_CHANNELS,
        checklist=checklist(record, await ctx.store.checklist_marks(intake_id)),
        checklist_open="checklist" in (request.query_params.get("done"), request.query_params.get("open"))
        or request.query_params.get("done") == "checklist_marked",
        programme_names=lambda keys: programme_names(keys, locale),
        assignments=await ctx.store.assignments(intake_id), caseworkers=await Decisions(ctx).caseworkers(),
        mark=await queue_mark(ctx.store), opened=await intake_mark(ctx.store, intake_id), poll=POLL_SECONDS,
    )


async def attachment(ctx: ConsoleContext, intake_id: int, file_id: str, *, request: Request, staff,
                     via: str) -> Response:
    """A file of this intake (never another one's, whatever the id), served to be viewed, not run; the read
    is recorded."""
    record = await load(ctx, intake_id)
    found = next((a for a in record.attachments if a.file_id == file_id), None)
    content = await ctx.read_file(file_id) if found is not None else None
    if found is None or content is None:
        raise HTTPException(404, detail="no such file on this intake")
    await ctx.read(staff, AccessAction.FILE, intake_id, via=via, address=client_address(request), detail=file_id)
    disposition = f"inline; filename*=UTF-8''{quote(found.name)}"
    return Response(content, media_type=found.content_type,
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
                             "Cache-Control": "private, no-store"})


@router.get("/intakes/{intake_id}/files/{file_id}")
async def intake_file(request: Request, intake_id: IntakeId, file_id: str, staff: Caseworker, ctx: Ctx) -> Response:
    """A receipt or document the resident sent."""
    return await attachment(ctx, intake_id, file_id, request=request, staff=staff, via="console")
