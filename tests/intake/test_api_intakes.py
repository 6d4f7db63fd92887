"""The JSON API under /api/intakes: the console's actions for tools, with domain errors as 4xx."""
from __future__ import annotations

import pytest

from intake.models import IntakeStatus
from tests.intake.console_harness import PASSWORD, console_app, messages

S = IntakeStatus


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        yield harness


async def bearer(harness, name: str, role: str = "caseworker") -> dict[str, str]:
    await harness.store.add_user(name, role, PASSWORD)
    client = await harness.client()
    response = await client.post("/api/session", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200 and response.json()["role"] == role
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_claim_request_answer_and_accept_over_json(harness):
    resident, intake_id = await harness.submit("alice")
    client, auth = await harness.client(), await bearer(harness, "wang")
    listed = await client.get("/api/intakes", headers=auth, params={"status": "submitted"})
    assert [row["id"] for row in listed.json()] == [intake_id] and listed.json()[0]["urgent"] is True
    claimed = await client.post("/api/intakes/claim-next", headers=auth)
    assert claimed.status_code == 200 and claimed.json()["intake_id"] == intake_id
    assert (await client.post("/api/intakes/claim-next", headers=auth)).status_code == 204

    asked = await client.post(f"/api/intakes/{intake_id}/request-info", headers=auth,
                              json={"items": ["income.wages"], "note": "请核实工资"})
    assert asked.json() == {"intake_id": intake_id, "status": "needs_information", "resident_told": True}
    assert any("请核实工资" in m for m in await messages(resident))
    detail = (await client.get(f"/api/intakes/{intake_id}", headers=auth)).json()
    assert detail["info_requests"][0]["items"] == ["income.wages"] and detail["info_requests"][0]["status"] == "open"
    await resident.text("3万")
    assert (await harness.store.get(intake_id)).application["income"]["wages"]["amount"] == 30000

    await client.post("/api/intakes/claim-next", headers=auth)
    note = await client.post(f"/api/intakes/{intake_id}/notes", headers=auth, json={"text": "工资已核实"})
    assert note.status_code == 201 and note.json()["author"] == "wang"
    accepted = await client.post(f"/api/intakes/{intake_id}/accept", headers=auth)
    assert accepted.json()["status"] == "accepted" and accepted.json()["resident_told"] is True
    assert await messages(resident) == [f"您的申请（编号{intake_id}）已受理，进入审核确认程序。"]
    detail = (await client.get(f"/api/intakes/{intake_id}", headers=auth)).json()
    assert detail["application"]["applicant"]["name"] == "陈美玲" and detail["notes"][0]["text"] == "工资已核实"
    assert [a["to_status"] for a in detail["audit"]][-1] == "accepted"
    file_id = detail["attachments"][0]["file_id"]
    served = await client.get(f"/api/intakes/{intake_id}/files/{file_id}", headers=auth)
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"


async def test_domain_errors_are_4xx(harness):
    _, intake_id = await harness.submit("alice")
    client = await harness.client()
    wang, zhao = await bearer(harness, "wang"), await bearer(harness, "zhao")
    assert (await client.get("/api/intakes/999", headers=wang)).status_code == 404
    assert (await client.post("/api/intakes/999/accept", headers=wang)).status_code == 404
    # not claimed yet: accepting is not a step from "submitted"
    assert (await client.post(f"/api/intakes/{intake_id}/accept", headers=wang)).status_code == 409
    await client.post("/api/intakes/claim-next", headers=wang)
    taken = await client.post(f"/api/intakes/{intake_id}/reject", headers=zhao, json={"reason": "x"})
    assert taken.status_code == 409 and taken.json()["detail"] == {"error": "already_claimed", "intake_id": intake_id, "by": "wang"}
    assert (await client.post(f"/api/intakes/{intake_id}/release", headers=zhao)).status_code == 409
    assert (await client.post(f"/api/intakes/{intake_id}/extend", headers=zhao)).status_code == 409
    assert (await client.post(f"/api/intakes/{intake_id}/reject", headers=wang, json={"reason": ""})).status_code == 422
    bad_items = await client.post(f"/api/intakes/{intake_id}/request-info", headers=wang, json={"items": ["consent"]})
    assert bad_items.status_code == 422
    no_match = await client.post(f"/api/intakes/{intake_id}/refer", headers=wang, json={"programme": "nothing"})
    assert no_match.status_code == 422
    assert (await harness.store.get(intake_id)).status is S.CLAIMED  # none of that changed anything
    released = await client.post(f"/api/intakes/{intake_id}/release", headers=wang, json={"reason": "lunch"})
    assert released.json()["status"] == "submitted"


async def test_cookie_sessions_need_the_csrf_header_bearer_tokens_do_not(harness):
    await harness.submit("alice")
    browser = await harness.staff("wang", "caseworker")
    assert (await browser.post("/api/intakes/claim-next")).status_code == 403
    assert (await browser.post("/api/intakes/claim-next", headers={"X-CSRF-Token": browser.csrf})).status_code == 200
    tool, auth = await harness.client(), await bearer(harness, "zhao")
    assert (await tool.get("/api/intakes", headers=auth)).status_code == 200


async def test_session_refuses_wrong_passwords_and_locks(harness):
    await harness.store.add_user("li", "caseworker", PASSWORD)
    client = await harness.client()
    codes = [(await client.post("/api/session", json={"name": "li", "password": "nope"})).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    assert (await client.post("/api/session", json={"name": "li", "password": PASSWORD})).status_code == 429
    assert (await client.post("/api/session", json={"name": "nobody", "password": "x"})).status_code == 401


async def test_stats_are_for_supervisors(harness):
    await harness.submit("alice")
    client = await harness.client()
    assert (await client.get("/api/intakes/stats", headers=await bearer(harness, "wang"))).status_code == 403
    stats = await client.get("/api/intakes/stats", headers=await bearer(harness, "boss", "supervisor"))
    assert stats.json()["waiting"] == 1 and stats.json()["urgent"] == 1


async def test_the_api_is_documented_in_openapi(harness):
    client = await harness.client()
    schema = (await client.get("/openapi.json")).json()
    paths = schema["paths"]
    for path, method in [("/api/intakes", "get"), ("/api/intakes/claim-next", "post"), ("/api/intakes/{intake_id}", "get"),
                         ("/api/intakes/{intake_id}/accept", "post"), ("/api/intakes/{intake_id}/reject", "post"),
                         ("/api/intakes/{intake_id}/request-info", "post"), ("/api/intakes/{intake_id}/refer", "post"),
                         ("/api/intakes/{intake_id}/release", "post"), ("/api/intakes/{intake_id}/notes", "post"),
                         ("/api/session", "post")]:
        assert method in paths[path], path
        assert paths[path][method].get("description") or paths[path][method].get("summary")
    assert "409" in paths["/api/intakes/{intake_id}/accept"]["post"]["responses"]
    assert not any(path.startswith("/console") for path in paths)
    assert (await client.get("/docs")).status_code == 200


async def test_out_of_range_intake_numbers_are_4xx(tmp_path):
    from tests.bot.conftest import make_settings, running

    async with running(make_settings(tmp_path)) as client:
        store = client.app.state.services.intakes
        await store.add_user("cw", "caseworker", "a-long-password-1")
        session = await client.post("/api/session", json={"name": "cw", "password": "a-long-password-1"})
        bearer = {"Authorization": f"Bearer {session.json()['token']}"}
        assert (await client.get("/api/intakes", headers=bearer)).status_code == 200  # the token works
        for number in ("99999999999999999999", "0", "-1"):
            response = await client.get(f"/api/intakes/{number}", headers=bearer)
            assert 400 <= response.status_code < 500, (number, response.status_code)


async def test_claim_a_chosen_intake_and_refer_without_ending_the_case(harness):
    _, first = await harness.submit("alice")
    _, second = await harness.submit("bob")
    client = await harness.client()
    wang, zhao = await bearer(harness, "wang"), await bearer(harness, "zhao")
    claimed = await client.post(f"/api/intakes/{second}/claim", headers=wang)
    assert claimed.status_code == 200 and claimed.json()["intake_id"] == second
    taken = await client.post(f"/api/intakes/{second}/claim", headers=zhao)
    assert taken.status_code == 409 and taken.json()["detail"]["by"] == "wang"
    assert (await client.post("/api/intakes/999/claim", headers=zhao)).status_code == 404
    match = (await harness.store.get(second)).prescreen["matches"][0]["programme"]
    unasked = await client.post(f"/api/intakes/{second}/refer", headers=wang, json={"programme": match})
    assert unasked.status_code == 409 and unasked.json()["detail"]["error"] == "ConsentMissing"
    await harness.services.consents.record_for_intake(second, purpose="referral", recipient=match, granted=True,
                                                      channel="console", method="counter", collected_by="wang")
    referred = await client.post(f"/api/intakes/{second}/refer", headers=wang, json={"programme": match})
    assert referred.status_code == 200 and referred.json()["status"] == "claimed"
    accepted = await client.post(f"/api/intakes/{second}/accept", headers=wang)
    assert accepted.json()["status"] == "accepted"
    assert [r.programme for r in await harness.store.referrals(second)] == [match]
    closing = await client.post(f"/api/intakes/{second}/close", headers=wang, json={"reason": "办结"})
    assert closing.status_code == 409  # the decision ended the lease
    assert (await client.post(f"/api/intakes/{second}/claim", headers=wang)).status_code == 200
    assert (await client.post(f"/api/intakes/{second}/close", headers=wang, json={"reason": "办结"})).json()["status"] == "closed"
    assert (await harness.store.get(first)).status is S.SUBMITTED
