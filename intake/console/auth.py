"""Who is signed in: signed session cookies (or the same token as a bearer), roles, and CSRF checks."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
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

    def may(self, role: Role) -> bool:
        """Whether this account has at least the rights of `role`."""
        return self.role in GRANTS[role]


def _serializer(ctx: ConsoleContext, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(ctx.secret, salt=f"shanqiao-console-{purpose}")


def issue_session(ctx: ConsoleContext, name: str) -> tuple[str, str]:
    """A signed session token for `name` and the CSRF token bound to it."""
    csrf = secrets.token_urlsafe(24)
    return _serializer(ctx, "session").dumps({"n": name, "c": csrf}), csrf


def _read_token(ctx: ConsoleContext, token: str) -> tuple[str, str] | None:
    try:
        data = _serializer(ctx, "session").loads(token, max_age=ctx.session_hours * 3600)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str) or not isinstance(data.get("c"), str):
        return None
    return data["n"], data["c"]


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


def _credentials(request: Request, ctx: ConsoleContext) -> tuple[str, str, bool] | None:
    """(name, csrf token, came from the cookie) of the request, if it carries a valid session."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        found = _read_token(ctx, token)
        return None if found is None else (*found, False)
    cookie = request.cookies.get(SESSION_COOKIE)
    found = _read_token(ctx, cookie) if cookie else None
    return None if found is None else (*found, True)


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
        found = _credentials(request, ctx)
        if found is None:
            raise _anonymous(request)
        name, csrf, from_cookie = found
        account = await ctx.store.get_user(name)
        if account is None:  # the account was removed since it signed in
            raise _anonymous(request)
        staff = Staff(account.name, account.role, csrf)
        if self.role is not None and not staff.may(self.role):
            raise HTTPException(403, detail=f"this needs the {self.role.value} role")
        if from_cookie and request.method not in SAFE_METHODS and not await _csrf_ok(request, csrf):
            raise HTTPException(403, detail="missing or wrong CSRF token")
        return staff


SignedIn = Annotated[Staff, Depends(Guard(None))]
Caseworker = Annotated[Staff, Depends(Guard(Role.CASEWORKER))]
Supervisor = Annotated[Staff, Depends(Guard(Role.SUPERVISOR))]
