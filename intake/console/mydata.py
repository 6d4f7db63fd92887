"""A resident's own data, downloaded from a link the chat's rights desk gives after the resume code and phone
digits were checked: the same export as the console's (JSON, and a printable page in the resident's
language). The link carries a signed token that names the intake and expires after `LINK_TTL`; every
download is recorded in the access log like a staff export."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from dialogs.texts import t
from intake.console import answers
from intake.console.context import ConsoleContext, console_context
from intake.console.pages import client_address
from intake.console.texts import text
from intake.console.views import Clock, render
from intake.errors import IntakeNotFound
from intake.privacy.export import export_intake
from intake.store import RESIDENT
from intake.store.access import AccessAction

LINK_TTL = timedelta(minutes=30)
PATH = "/mydata"
Ctx = Annotated[ConsoleContext, Depends(console_context)]
router = APIRouter(prefix=PATH, include_in_schema=False)
# the token is in the address: no page it leads to is told it, nothing keeps a copy
PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
           "X-Content-Type-Options": "nosniff"}


class DownloadLinks:
    """Signed, short-lived links to one intake's export (a resident's proof, carried to the browser)."""

    def __init__(self, secret: str, *, ttl: timedelta = LINK_TTL) -> None:
        self.serializer, self.ttl = URLSafeTimedSerializer(secret, salt="shanqiao-mydata"), ttl

    def token(self, intake_id: int, locale: str) -> str:
        return self.serializer.dumps([intake_id, locale])

    def read(self, token: str) -> tuple[int, str] | None:
        """The intake and language a token names, or None when it is forged or expired."""
        try:
            intake_id, locale = self.serializer.loads(token, max_age=int(self.ttl.total_seconds()))
        except (BadSignature, ValueError, TypeError):
            return None
        return int(intake_id), str(locale)

    def urls(self, base: str, intake_id: int, locale: str) -> tuple[str, str]:
        """(printable page, JSON file) under the web address `base`."""
        page = f"{base.rstrip('/')}{PATH}/{self.token(intake_id, locale)}"
        return page, f"{page}/json"


def _expired(locale: str = "zh") -> Response:
    both = f"{t('zh', 'rights.link_expired')}<br>{t('en', 'rights.link_expired')}"
    return HTMLResponse(f"<!doctype html><meta charset='utf-8'><title>Shanqiao</title><p>{both}</p>",
                        status_code=404, headers=PRIVATE)


async def _open(request: Request, ctx: ConsoleContext, token: str, detail: str):
    found = DownloadLinks(ctx.secret).read(token)
    if found is None:
        return None
    intake_id, locale = found
    try:
        record = await ctx.store.get(intake_id)
    except IntakeNotFound:
        return None
    if ctx.access is not None:
        await ctx.access.record(actor=RESIDENT, role=RESIDENT, action=AccessAction.EXPORT, intake_id=intake_id,
                                via="link", address=client_address(request), detail=detail)
    return record, locale


@router.get("/{token}/json")
async def download(request: Request, token: str, ctx: Ctx) -> Response:
    """Everything held about the resident's intake as one JSON file."""
    opened = await _open(request, ctx, token, "json")
    if opened is None:
        return _expired()
    record, _ = opened
    data = await export_intake(store=ctx.store, consents=ctx.consents, access=ctx.access, rights=ctx.rights,
                               intake_id=record.id, now=Clock(ctx).now)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json", headers={
        **PRIVATE, "Content-Disposition": f'attachment; filename="shanqiao-{record.id}.json"'})


@router.get("/{token}")
async def printable(request: Request, token: str, ctx: Ctx) -> Response:
    """The same data as a page to read and print, in the resident's language."""
    opened = await _open(request, ctx, token, "printable")
    if opened is None:
        return _expired()
    record, locale = opened
    response = render(request, ctx, None, "export_print.html", record=record, rlocale=locale,
                      rx=lambda key, **params: text(locale, key, **params),
                      json_url=f"{PATH}/{token}/json",
                      sections=answers.sections(record, locale, ctx.district_label),
                      consents=await ctx.consents.of_intake(record.id) if ctx.consents else [],
                      reads=await ctx.access.recent(intake_id=record.id) if ctx.access else [],
                      rights=await ctx.rights.of_intake(record.id) if ctx.rights else [])
    response.headers.update(PRIVATE)
    return response
