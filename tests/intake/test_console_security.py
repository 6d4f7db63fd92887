"""The console's access fixes: sessions that end, lock-out that names nobody, headers, no echoed text,
revocation at once, receipts encrypted on disk, and decisions only under a lease."""
from __future__ import annotations

import stat

import httpx
import pytest

from intake.console.auth import SESSION_COOKIE
from intake.models import IntakeStatus
from tests import golden
from tests.intake.console_harness import LOGIN_TOKEN, PASSWORD, console_app, messages

S = IntakeStatus


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        yield harness


async def sign_in(harness, client: httpx.AsyncClient, name: str, password: str) -> httpx.Response:
    token = LOGIN_TOKEN.search((await client.get("/console/login")).text).group(1)
    return await client.post("/console/login", data={"name": name, "password": password, "csrf_token": token})


async def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(harness):
    caseworker = await harness.staff("wang", "caseworker")
    copied = await harness.client()
    copied.cookies.set(SESSION_COOKIE, caseworker.cookies[SESSION_COOKIE])
    assert (await copied.get("/console/queue")).status_code == 200
    bearer = {"Authorization": f"Bearer {caseworker.cookies[SESSION_COOKIE]}"}
    assert (await copied.get("/api/intakes", headers=bearer)).status_code == 200
    out = await caseworker.post("/console/logout", data={"csrf_token": caseworker.csrf})
    assert out.status_code == 303
    assert (await copied.get("/console/queue")).status_code == 303  # back to the sign-in page
    assert (await copied.get("/api/intakes", headers=bearer)).status_code == 401


async def test_an_admin_ends_sessions_and_bearer_tokens_at_once(harness):
    await harness.store.add_user("li", "caseworker", PASSWORD)
    api = await harness.client()
    token = (await api.post("/api/session", json={"name": "li", "password": PASSWORD})).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    browser = await harness.client()
    assert (await sign_in(harness, browser, "li", PASSWORD)).status_code == 303
    assert (await api.get("/api/intakes", headers=bearer)).status_code == 200
    assert await harness.store.disable_user("li")
    assert (await api.get("/api/intakes", headers=bearer)).status_code == 401
    assert (await browser.get("/console/queue")).status_code == 303
    # disabled: the right password is refused like a wrong one
    assert (await api.post("/api/session", json={"name": "li", "password": PASSWORD})).status_code == 401
    assert await harness.store.reset_password("li", "a new long password")
    assert (await api.post("/api/session", json={"name": "li", "password": "a new long password"})).status_code == 200
    assert await harness.store.end_sessions("li") == 1


async def test_lock_out_answers_alike_for_real_and_unknown_names(harness):
    await harness.store.add_user("li", "caseworker", PASSWORD)
    answers = {}
    for name in ("li", "no-such-person"):
        client = await harness.client()
        statuses = [(await sign_in(harness, client, name, "wrong password")).status_code for _ in range(6)]
        page = (await sign_in(harness, client, name, "wrong password")).text
        answers[name] = (statuses, "锁定" in page)
    assert answers["li"] == answers["no-such-person"] == ([401, 401, 401, 401, 429, 429], True)


async def test_guesses_from_elsewhere_do_not_lock_a_caseworker_out(harness):
    await harness.store.add_user("li", "caseworker", PASSWORD)
    attacker = httpx.AsyncClient(transport=httpx.ASGITransport(app=harness.app, client=("203.0.113.9", 4000)),
                                 base_url="http://shanqiao.test")
    async with attacker:
        for _ in range(8):
            await sign_in(harness, attacker, "li", "wrong password")
        assert (await sign_in(harness, attacker, "li", PASSWORD)).status_code == 429
    desk = await harness.client()  # another address
    assert (await sign_in(harness, desk, "li", PASSWORD)).status_code == 303


async def test_console_pages_carry_security_headers_and_are_never_stored(harness):
    caseworker = await harness.staff("wang", "caseworker")
    _, intake_id = await harness.submit("alice")
    for path in ("/console/queue", f"/console/intakes/{intake_id}", "/console/login", "/api/intakes"):
        response = await caseworker.get(path)
        assert response.status_code == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
    style = await caseworker.get("/console/static/console.css")
    assert "max-age" in style.headers["cache-control"]
    chat = await caseworker.get("/healthz")
    assert "content-security-policy" not in chat.headers  # the resident's pages are not the console's


async def test_query_text_is_never_echoed(harness):
    caseworker = await harness.staff("wang", "caseworker")
    _, intake_id = await harness.submit("alice")
    for path in (f"/console/intakes/{intake_id}?error=Pay+at+evil.example", "/console/queue?done=Call+555-0100",
                 f"/console/intakes/{intake_id}?error=<b>x</b>"):
        page = (await caseworker.get(path)).text
        for echoed in ("evil.example", "555-0100", "&lt;b&gt;x", "error.", "done."):
            assert echoed not in page, (path, echoed)
    known = (await caseworker.get(f"/console/intakes/{intake_id}?error=already_claimed")).text
    assert "这件申请由其他社工处理中" in known


async def test_a_revoked_channel_token_stops_at_once(harness):
    resident = await harness.resident("alice")
    assert (await resident.text("你好"))["replies"]
    assert await harness.store.revoke_channel("partner")
    response = await resident.client.post(resident.url, json={"text": "你好"},
                                          headers={"Authorization": f"Bearer {resident.token}"})
    assert response.status_code == 401
    assert [c.name for c in await harness.store.list_channels()] == []


async def test_receipts_are_encrypted_on_disk_and_readable_by_the_service_only(harness):
    _, intake_id = await harness.submit("alice")
    record = await harness.store.get(intake_id)
    files = harness.services.files
    assert len(record.attachments) >= 2
    for attachment in record.attachments:
        path = files.path(attachment.file_id)
        original = golden.RECEIPTS[attachment.name][1]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert original not in path.read_bytes() and original[:3] != path.read_bytes()[:3]
        assert await files.read(attachment.file_id) == original
    caseworker = await harness.staff("wang", "caseworker")
    first = record.attachments[0]
    served = await caseworker.get(f"/console/intakes/{intake_id}/files/{first.file_id}")
    assert served.content == golden.RECEIPTS[first.name][1] and served.headers["cache-control"] == "no-store"


async def test_closing_a_waiting_intake_needs_its_lease_and_tells_nobody(harness):
    resident, intake_id = await harness.submit("alice")
    caseworker = await harness.staff("wang", "caseworker")
    response = await caseworker.post(f"/console/intakes/{intake_id}/close",
                                     data={"csrf_token": caseworker.csrf, "reason": "重复申请", "confirm": "yes"})
    assert response.headers["location"].endswith("error=invalid_transition")  # it must be claimed first
    api = await caseworker.post(f"/api/intakes/{intake_id}/close", json={"reason": "重复申请"},
                                headers={"X-CSRF-Token": caseworker.csrf})
    assert api.status_code == 409
    assert (await harness.store.get(intake_id)).status is S.SUBMITTED
    assert await messages(resident) == []
