"""The thread and the checklist through the JSON API (as documented at /docs) and the console's forms, on every
backend: messages both ways with their delivery state, the 「居民有回复」 mark and its queue filter, a phone call
written down by staff, checklist marks and the one-click request; the thread is exported and anonymised with
the intake."""
from __future__ import annotations

from datetime import UTC, datetime

from intake.privacy.export import export_intake
from intake.store.records import QueueQuery
from tests.intake.conftest import APPLICATION
from tests.intake.console_harness import PASSWORD, messages


async def api_client(harness, name: str):
    await harness.staff(name, "caseworker")
    client = await harness.client()
    token = (await client.post("/api/session", json={"name": name, "password": PASSWORD})).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


async def replied(harness) -> list[int]:
    page = await harness.store.queue_page(QueueQuery(replied_only=True))
    return [row.id for row in page.rows]


async def test_thread_and_checklist_through_the_api_and_the_forms(any_backend):
    harness = any_backend
    resident, intake_id = await harness.submit("alice")
    api = await api_client(harness, "wang")
    paths = (await api.get("/openapi.json")).json()["paths"]
    assert {"/api/intakes/{intake_id}/thread", "/api/intakes/{intake_id}/checklist/{item}",
            "/api/intakes/{intake_id}/checklist/request"} <= set(paths)

    sent = await api.post(f"/api/intakes/{intake_id}/thread", json={"canned": "call_us", "text": "周三可以吗？"})
    assert sent.status_code == 201 and sent.json()["resident_told"]
    assert [(m["kind"], m["delivery"]) for m in sent.json()["thread"]] == [("message", "sent")]
    told = await messages(resident)
    assert "电话里确认" in told[0] and "周三可以吗？" in told[0]

    await resident.text("周三下午都在家。")  # idle after filing, the caseworker wrote: it goes back to them
    thread = (await api.get(f"/api/intakes/{intake_id}/thread")).json()
    assert [(m["sender"], m["text"]) for m in thread][1:] == [("resident", "周三下午都在家。")]
    assert thread[0]["delivery"] == "read" and await replied(harness) == [intake_id]
    assert (await api.post(f"/api/intakes/{intake_id}/thread/seen")).status_code == 204
    assert await replied(harness) == []

    # a caller who applied by phone: staff pass the message on and write down what the resident said
    caller = await harness.store.submit(APPLICATION, channel="phone", user_id="caller-1", locale="zh", staff_id="li")
    await api.post(f"/api/intakes/{caller}/thread", json={"text": "请带户口簿原件到街道窗口。"})
    assert (await api.get(f"/api/intakes/{caller}/thread")).json()[0]["delivery"] == "relay"
    console = await harness.staff("li", "caseworker")
    assert "请带户口簿原件到街道窗口。" in (await console.get("/console/phone/callbacks")).text  # on the call-back list
    form = await console.post(f"/console/intakes/{caller}/thread/relay",
                              data={"csrf_token": console.csrf, "text": "电话里说：下周一上午去"})
    assert form.headers["location"].endswith("done=relayed#thread")
    first, last = (await api.get(f"/api/intakes/{caller}/thread")).json()
    assert first["delivery"] == "read" and (last["sender"], last["author"]) == ("resident", "li")
    assert await replied(harness) == [caller]
    page = (await console.get(f"/console/intakes/{caller}")).text
    assert "li 电话转述" in page and 'id="thread-phone"' in page
    assert "请带户口簿原件到街道窗口。" not in (await console.get("/console/phone/callbacks")).text

    # the checklist: a waiver needs a reason, a received item one of the intake's files
    items = {i["item"]: i for i in (await api.get(f"/api/intakes/{intake_id}/checklist")).json()}
    assert items["spending_receipts"]["state"] == "received" and items["identity"]["state"] == "missing"
    mark = f"/api/intakes/{intake_id}/checklist"
    assert (await api.put(f"{mark}/bank_account", json={"state": "waived"})).status_code == 422
    assert (await api.put(f"{mark}/identity", json={"state": "received", "file_id": "elsewhere"})).status_code == 422
    assert (await api.put(f"{mark}/no_such_item", json={"state": "needed"})).status_code == 422
    waived = await api.put(f"{mark}/bank_account", json={"state": "waived", "reason": "已有发放账户"})
    assert {i["item"]: i["state"] for i in waived.json()}["bank_account"] == "waived"

    # asking for the missing items needs the intake held, like any request
    assert (await api.post(f"{mark}/request")).status_code == 409
    await harness.services.queue.relay()
    assert (await api.post(f"/api/intakes/{intake_id}/claim")).status_code == 200
    asked = await api.post(f"{mark}/request")
    assert asked.json() == {"intake_id": intake_id, "status": "needs_information", "resident_told": True}
    request = (await api.get(f"/api/intakes/{intake_id}/thread")).json()[-1]
    assert request["kind"] == "request" and "身份证、户口簿" in request["text"] and "银行卡" not in request["text"]
    assert any("身份证、户口簿" in m for m in await messages(resident))
    assert await replied(harness) == [caller]  # the request answered this resident's last words

    # the thread is the resident's data: in their export, gone when the intake is anonymised
    services = harness.services
    exported = await export_intake(store=harness.store, consents=None, access=None, rights=None,
                                   intake_id=intake_id, now=datetime.now(UTC))
    assert [m["text"] for m in exported["thread"]][1] == "周三下午都在家。"
    assert exported["checklist"][0]["reason"] == "已有发放账户"
    assert (await api.post(f"/api/intakes/{intake_id}/claim")).status_code == 200  # held again to close it
    closed = await api.post(f"/api/intakes/{intake_id}/close", json={"reason": "居民不再申请"})
    assert closed.json()["status"] == "closed"
    await services.retention.anonymise(intake_id)
    assert await harness.store.thread(intake_id) == [] and await harness.store.checklist_marks(intake_id) == {}
