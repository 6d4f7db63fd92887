"""Who may use which console and /api/intakes route, CSRF on every change, and residents kept apart.

The routes are enumerated from the app, so a route added later is checked without anyone listing it.
"""
from __future__ import annotations

import re

import pytest
from fastapi.routing import iter_route_contexts

from intake.console import GRANTS, Guard
from intake.console.auth import SESSION_COOKIE
from intake.models import Role
from tests.intake.console_harness import LOGIN_TOKEN, PASSWORD, console_app, messages

PUBLIC = {
    ("GET", "/console/static/{name}"), ("GET", "/console/login"), ("POST", "/console/login"), ("POST", "/api/session"),
}
SAFE = {"GET", "HEAD", "OPTIONS"}


def _guard(dependant) -> Guard | None:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Guard):
            return dependency.call
        found = _guard(dependency)
        if found is not None:
            return found
    return None


def console_routes(app) -> list[tuple[str, str, Guard | None]]:
    """(method, path, guard) of every route under /console, /api/intakes and /api/session."""
    out = []
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if not (path.startswith("/console") or path.startswith("/api/intakes") or path == "/api/session"):
            continue
        dependant = getattr(route, "dependant", None)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            out.append((method, path, _guard(dependant) if dependant is not None else None))
    return out


def wrong_role(role: Role) -> Role:
    """A role that must not get in where `role` is needed."""
    return next(r for r in (Role.STAFF, Role.CASEWORKER, Role.SUPERVISOR) if r not in GRANTS[role])


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        harness.resident_a, harness.intake_a = await harness.submit("alice")
        record = await harness.store.get(harness.intake_a)
        harness.file_a = record.attachments[0].file_id
        yield harness


def url(harness, path: str) -> str:
    """The path with real values for its parameters (unknown ones get a plausible value)."""
    known = {"intake_id": harness.intake_a, "file_id": harness.file_a, "name": "console.css", "channel": "phone"}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(known.get(m.group(1), 1)), path)


def is_public(method: str, path: str) -> bool:
    """Named above, or a page's own script and style sheet (served from a fixed list of names)."""
    return (method, path) in PUBLIC or (method == "GET" and path.endswith("/static/{name}"))


async def test_every_console_route_is_public_by_name_or_guarded(harness):
    routes = console_routes(harness.app)
    assert len(routes) >= 30  # the enumeration sees the mounted routers, not an empty list
    # the routes of claiming a chosen intake, referrals and return visits are among those checked below
    assert {("POST", "/console/intakes/{intake_id}/claim"), ("POST", "/api/intakes/{intake_id}/claim"),
            ("POST", "/console/referrals/{referral_id}"), ("GET", "/console/return-visits"),
            ("POST", "/console/return-visits/draw"), ("GET", "/console/phone/visits"),
            ("POST", "/console/phone/visits/{visit_id}")} <= {(m, p) for m, p, _ in routes}
    unguarded = [(m, p) for m, p, guard in routes if guard is None and not is_public(m, p)]
    assert unguarded == []
    assert PUBLIC <= {(m, p) for m, p, guard in routes if guard is None}
    client = await harness.client()
    assert (await client.get("/console/static/console.css")).status_code == 200
    for name in ("auth.py", "..%2Fauth.py", "templates"):
        assert (await client.get(f"/console/static/{name}")).status_code == 404


async def test_anonymous_requests_are_refused_everywhere(harness):
    client = await harness.client()
    let_in = []
    for method, path, guard in console_routes(harness.app):
        if guard is None:
            continue
        response = await client.request(method, url(harness, path), json={} if path.startswith("/api") else None)
        refused = response.status_code == 401 or (
            response.status_code == 303 and response.headers["location"].startswith("/console/login"))
        if not refused:
            let_in.append((method, path, response.status_code))
    assert let_in == []


async def test_the_wrong_role_is_refused_everywhere(harness):
    clients = {role: await harness.staff(f"user-{role.value}", role.value) for role in Role}
    let_in, checked = [], 0
    for method, path, guard in console_routes(harness.app):
        if guard is None or guard.role is None:
            continue
        client = clients[wrong_role(guard.role)]
        response = await client.request(method, url(harness, path), headers={"X-CSRF-Token": client.csrf})
        checked += 1
        if response.status_code != 403 or "role" not in response.json()["detail"]:
            let_in.append((method, path, response.status_code))
    assert checked >= 25 and let_in == []


async def test_a_staff_account_reads_nothing_of_the_queue(harness):
    staff = await harness.staff("phone-1", "staff")
    home = await staff.get("/console")
    assert home.status_code == 200 and "电话受理" in home.text
    for path in ("/console/queue", f"/console/intakes/{harness.intake_a}", "/api/intakes"):
        assert (await staff.get(path)).status_code == 403


async def test_changes_without_a_csrf_token_are_refused(harness):
    admin = await harness.staff("admin-1", "admin")
    unsafe = [(m, p) for m, p, guard in console_routes(harness.app) if guard is not None and m not in SAFE]
    assert len(unsafe) >= 15
    taken = []
    for method, path in unsafe:
        target = url(harness, path)
        for headers, data in (({}, {"reason": "x"}), ({"X-CSRF-Token": "forged"}, None),
                              ({}, {"csrf_token": "forged", "reason": "x"})):
            response = await admin.request(method, target, headers=headers, data=data)
            if response.status_code != 403 or "CSRF" not in response.json()["detail"]:
                taken.append((method, path, headers, response.status_code))
    assert taken == []
    # the same account with its token gets past the check (the request is judged on its merits)
    response = await admin.post(f"/console/intakes/{harness.intake_a}/notes", data={"csrf_token": admin.csrf, "text": "ok"})
    assert response.status_code == 303
    assert [n.text for n in (await harness.store.get(harness.intake_a)).notes] == ["ok"]


async def test_the_sign_in_form_needs_its_token_and_locks_after_failures(harness):
    await harness.store.add_user("li", "caseworker", PASSWORD)
    client = await harness.client()
    forged = await client.post("/console/login", data={"name": "li", "password": PASSWORD, "csrf_token": "x"})
    assert forged.status_code == 403 and SESSION_COOKIE not in forged.cookies
    statuses = []
    for _ in range(5):
        token = LOGIN_TOKEN.search((await client.get("/console/login")).text).group(1)
        response = await client.post("/console/login", data={"name": "li", "password": "wrong password", "csrf_token": token})
        statuses.append(response.status_code)
    assert statuses == [401, 401, 401, 401, 429]
    token = LOGIN_TOKEN.search((await client.get("/console/login")).text).group(1)
    locked = await client.post("/console/login", data={"name": "li", "password": PASSWORD, "csrf_token": token})
    assert locked.status_code == 429 and "锁定" in locked.text and SESSION_COOKIE not in client.cookies


async def test_a_tampered_or_foreign_session_is_anonymous(harness):
    caseworker = await harness.staff("zhao", "caseworker")
    good = caseworker.cookies[SESSION_COOKIE]
    other = await harness.client()
    other.cookies.set(SESSION_COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert (await other.get("/api/intakes")).status_code == 401
    async with console_app(harness.app.state.services.settings.var_dir / "other", secret_key="another-secret") as second:
        await second.store.add_user("zhao", "caseworker", PASSWORD)
        stranger = await second.client()
        stranger.cookies.set(SESSION_COOKIE, good)
        assert (await stranger.get("/api/intakes")).status_code == 401


async def test_a_resident_never_reads_another_residents_intake(harness):
    alice, intake_a = harness.resident_a, harness.intake_a
    bob = await harness.resident("bob")
    await bob.text("/status")
    assert str(intake_a) not in bob.said() and "还没有提交过申请" in bob.said()
    # the channel's token is no console account
    for path in (f"/api/intakes/{intake_a}", f"/console/intakes/{intake_a}", f"/api/intakes/{intake_a}/files/{harness.file_a}"):
        response = await bob.client.get(path, headers={"Authorization": f"Bearer {bob.token}"})
        assert response.status_code == 401 or response.headers["location"].startswith("/console/login")
        assert "陈美玲" not in response.text
    # a caseworker's request reaches alice alone
    caseworker = await harness.staff("chen", "caseworker")
    await caseworker.post("/console/claim-next", data={"csrf_token": caseworker.csrf})
    await caseworker.post(f"/console/intakes/{intake_a}/request-info",
                          data={"csrf_token": caseworker.csrf, "items": ["applicant.phone"], "note": "请核对电话"})
    assert await messages(bob) == []
    assert any("请核对电话" in m for m in await messages(alice))
    reply = await bob.text("13900139000")
    assert reply["state"]["intake_id"] is None and reply["state"]["flow"] != "more_info"
    assert (await harness.store.get(intake_a)).application["applicant"]["phone"] == "+8613800138000"
    # another channel's token opens neither alice's mailbox nor her conversation
    other_token = await harness.store.add_channel("other")
    for method, path in (("GET", f"{alice.url}/messages"), ("POST", alice.url)):
        response = await bob.client.request(method, path, headers={"Authorization": f"Bearer {other_token}"},
                                            json={"text": "hi"} if method == "POST" else None)
        assert response.status_code == 401
    # a file of alice's intake is not served under another intake's number
    _, intake_b = await harness.submit("carol")
    response = await caseworker.get(f"/console/intakes/{intake_b}/files/{harness.file_a}")
    assert response.status_code == 404
    assert (await caseworker.get(f"/console/intakes/{intake_a}/files/{harness.file_a}")).status_code == 200
