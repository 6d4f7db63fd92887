"""Rendering phone pages inside the console's base template, in the reader's language."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import RedirectResponse, Response

from bot.conversation import ConversationKey
from bot.phone import texts
from dialogs.texts import t
from intake.console.auth import CSRF_FIELD, CSRF_HEADER, Staff
from intake.console.context import ConsoleContext
from dialogs.catalogue import LOCALES
from intake.console.texts import text as console_text
from intake.console.views import LOCALE_COOKIE, Clock, page_locale
from intake.models import Role

HERE = Path(__file__).parent
CONSOLE_TEMPLATES = HERE.parents[1] / "intake" / "console" / "templates"
# our pages first, then the console's (its base.html frames ours)
TEMPLATES = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(HERE / "templates"), jinja2.FileSystemLoader(CONSOLE_TEMPLATES)]),
    autoescape=True,
))


def render(request: Request, ctx: ConsoleContext, staff: Staff, template: str, status_code: int = 200,
           **values: Any) -> Response:
    """A phone page: console texts as `tx`, ours as `pt`, the dialog's as `dt` (in the caller's language)."""
    locale = page_locale(request, ctx)
    values.update(
        staff=staff, locale=locale, clock=Clock(ctx), Role=Role, csrf=staff.csrf, csrf_field=CSRF_FIELD,
        csrf_header=CSRF_HEADER,
        tx=lambda key, **params: console_text(locale, key, **params),
        pt=lambda key, **params: texts.text(locale, key, **params),
        dt=lambda spoken, key, **params: t(spoken, key, **params),
    )
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status_code,
                                          headers={"Cache-Control": "no-store"})
    if request.query_params.get("lang") in LOCALES:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def error_text(request: Request, ctx: ConsoleContext) -> str:
    """The problem an action left for the page it redirected to (by key, so no text comes from the URL)."""
    key = request.query_params.get("error", "")
    return texts.text(page_locale(request, ctx), f"error.{key}") if texts.text.knows(f"error.{key}") else ""


def call_url(key: ConversationKey) -> str:
    """The page of a conversation (its number says the channel)."""
    return f"/console/phone/call?number={key.user_id}"


def back_to(url: str, error: str | None = None) -> RedirectResponse:
    """After a form: to `url`, with the key of what went wrong if anything did."""
    if error:
        url += ("&" if "?" in url else "?") + f"error={error}"
    return RedirectResponse(url, status_code=303)
