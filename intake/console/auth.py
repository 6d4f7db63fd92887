"""Who is signed in: server-side sessions (a cookie, or the same token as a bearer), roles, and CSRF checks."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from intake.console.context import ConsoleContext, console_context
from intake.models import Role

SESSION_COOKIE = "shanqiao_console"
LOGIN_COOKIE = "shanqiao_login"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
R = Role
# admin ⊇ supervisor ⊇ caseworker; staff (phone intake) sees none of the queue
GRANTS: dict[Role, frozenset[Role]] = {
    R.CASEWORKER: frozenset({R.CASEWORKER, R.SUPERVISOR, R.ADMIN}),
    R.SUPERVISOR: frozenset({R.SUPERVISOR, R.ADMIN}),
    R.STAFF: frozenset({R.STAFF, R.ADMIN}),
    R.ADMIN: frozenset({R.ADMIN}),
}


@dataclass(frozen=True, slots=True)
class Staff:
    """The signed-in account making a request; `csrf` is the token its forms must carry."""

    name: str
    role: Role
    csrf: str
    token: str = field(default="", repr=False)

    def may(self, role: Role) -> bool:
        """Whether this account has at least the rights of `role`."""
        return self.role in GRANTS[role]


def _serializer(ctx: ConsoleContext, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(ctx.secret, salt=f"shanqiao-console-{purpose}")


async def start_session(ctx: ConsoleContext, name: str) -> tuple[str, str]:
    """A new server-side session for `name`: (its token, the CSRF token bound to it)."""
    return await ctx.store.start_session(name, lifetime=timedelta(hours=ctx.session_hours))


def set_session_cookie(response, ctx: ConsoleContext, token: str) -> None:
    """Put the session on the response: not readable by scripts, not sent on cross-site posts."""
    response.set_cookie(SESSION_COOKIE, token, max_age=ctx.session_hours * 3600, httponly=True, samesite="lax",
                        secure=ctx.secure_cookies, path="/")


def login_token(ctx: ConsoleContext) -> tuple[str, str]:
    """(form token, signed cookie value) protecting the sign-in form itself."""
    token = secrets.token_urlsafe(24)
    return token, _serializer(ctx, "login").dumps(token)


def login_token_ok(ctx: ConsoleContext, form_token: str, cookie: str | None) -> bool:
    """Whether the sign-in form carries the token its cookie was signed for."""
    if not cookie or not form_token:
        return False
    try:
        expected = _serializer(ctx, "login").loads(cookie, max_age=3600)
    except BadSignature:
        return False
    return isinstance(expected, str) and hmac.compare_digest(expected, form_token)


def _token(request: Request) -> tuple[str, bool] | None:
    """(session token, came from the cookie) of the request, if it carries one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token, False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else None


def _anonymous(request: Request) -> HTTPException:
    path = request.url.path
    if path.startswith("/api/"):
        return HTTPException(401, detail="sign in first", headers={"WWW-Authenticate": "Bearer"})
    if request.headers.get("HX-Request"):
        return HTTPException(401, detail="sign in first", headers={"HX-Redirect": "/console/login"})
    if request.method in SAFE_METHODS:
        target = path + (f"?{request.url.query}" if request.url.query else "")
        return HTTPException(303, detail="sign in first", headers={"Location": f"/console/login?next={quote(target)}"})
    return HTTPException(401, detail="sign in first")


async def _csrf_ok(request: Request, expected: str) -> bool:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = (await request.form()).get(CSRF_FIELD)
    return isinstance(given, str) and hmac.compare_digest(given, expected)


class Guard:
    """A route's dependency: signed in, with at least `role` (None: any account), and a CSRF token on changes.

    A bearer token is never sent by a browser on its own, so requests that carry one need no CSRF token.
    """

    def __init__(self, role: Role | None) -> None:
        self.role = role

    async def __call__(self, request: Request, ctx: Annotated[ConsoleContext, Depends(console_context)]) -> Staff:
        found = _token(request)
        # the session lives on the server: signed out, ended by an admin or a disabled account is anonymous at once
        session = None if found is None or len(found[0]) > 200 else await ctx.store.find_session(found[0])
        if session is None:
            raise _anonymous(request)
        token, from_cookie = found
        csrf = session.csrf
        staff = Staff(session.account.name, session.account.role, csrf, token)
        if self.role is not None and not staff.may(self.role):
            raise HTTPException(403, detail=f"this needs the {self.role.value} role")
        if from_cookie and request.method not in SAFE_METHODS and not await _csrf_ok(request, csrf):
            raise HTTPException(403, detail="missing or wrong CSRF token")
        return staff


SignedIn = Annotated[Staff, Depends(Guard(None))]
Caseworker = Annotated[Staff, Depends(Guard(Role.CASEWORKER))]
Supervisor = Annotated[Staff, Depends(Guard(Role.SUPERVISOR))]
