"""Rendering console pages: the Jinja environment, the page's language, times and ages as people read them."""
from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from intake.console.auth import CSRF_FIELD, CSRF_HEADER, Staff
from intake.console.context import ConsoleContext
from intake.console.texts import LOCALES, channel_label, pick_locale, text
from intake.models import Role, utcnow

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
LOCALE_COOKIE = "shanqiao_console_lang"


def page_locale(request: Request, ctx: ConsoleContext) -> str:
    """?lang= when given, then the remembered choice, then the browser's preference."""
    chosen = request.query_params.get("lang") or request.cookies.get(LOCALE_COOKIE)
    if chosen in LOCALES:
        return chosen
    return pick_locale(request.headers.get("accept-language"), ctx.locale)


def zone(ctx: ConsoleContext) -> tzinfo:
    try:
        return ZoneInfo(ctx.timezone)
    except ZoneInfoNotFoundError:
        return UTC


class Clock:
    """Times in the office's time zone and ages against the target time."""

    def __init__(self, ctx: ConsoleContext, now: datetime | None = None) -> None:
        self.tz, self.now, self.target_hours = zone(ctx), now or utcnow(), ctx.target_hours

    def time(self, at: datetime | None) -> str:
        return "-" if at is None else at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")

    def hours(self, since: datetime) -> float:
        return max((self.now - since).total_seconds() / 3600, 0.0)

    def age(self, since: datetime, locale: str) -> str:
        whole = int(self.hours(since))
        if whole < 24:
            return text(locale, "age.hours", h=whole)
        return text(locale, "age.days", d=whole // 24, h=whole % 24)

    def share(self, since: datetime) -> float:
        """The age as a share of the target time (1.0 = due now)."""
        return self.hours(since) / self.target_hours

    def lateness(self, since: datetime) -> str:
        """A CSS class: on time, nearly due, or late."""
        share = self.share(since)
        return "late" if share >= 1 else "near" if share >= 0.75 else "ok"


def render(request: Request, ctx: ConsoleContext, staff: Staff | None, template: str, status_code: int = 200,
           **values: Any) -> Response:
    """A console page in the reader's language, with everything its forms need."""
    locale = page_locale(request, ctx)
    clock = Clock(ctx)
    values.update(
        staff=staff, locale=locale, clock=clock, target_hours=ctx.target_hours, Role=Role,
        tx=lambda key, **params: text(locale, key, **params), channel=lambda name: channel_label(locale, name),
        csrf=staff.csrf if staff else values.get("csrf", ""), csrf_field=CSRF_FIELD, csrf_header=CSRF_HEADER,
    )
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status_code)
    if request.query_params.get("lang") in LOCALES:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
