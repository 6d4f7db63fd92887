"""The rights desk at the console: a resident's data downloaded as JSON (every table the inventory lists for
an intake, the download itself recorded), requests tracked to a reply within 15 working days, refusals
with reasons, late ones shown to supervisors."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from intake.models import Base
from intake.privacy.export import EXPORTED, WITHHELD
from intake.privacy.inventory import TABLES
from intake.privacy.rights import OFFICE_TZ, RightKind, RightsDesk, due_after
from intake.store.access import AccessAction
from tests.intake.console_harness import console_app


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        yield harness


def test_every_table_of_an_intake_is_exported_or_withheld_with_a_reason():
    exported = {table for tables in EXPORTED.values() for table in tables}
    of_an_intake = {holding.name for holding in TABLES if "intake_id" in Base.metadata.tables[holding.name].c}
    assert of_an_intake - exported - set(WITHHELD) == set()
    assert exported <= {holding.name for holding in TABLES}


def test_fifteen_working_days_skip_weekends():  # December 2026 has no public holiday
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=OFFICE_TZ)
    due = due_after(friday)
    assert due.date() == datetime(2026, 12, 25).date() and due.weekday() == 4  # three weeks later, a Friday
    saturday = datetime(2026, 12, 5, 9, 0, tzinfo=OFFICE_TZ)
    assert due_after(saturday).date() == datetime(2026, 12, 25).date()


async def test_a_residents_data_is_downloaded_whole_and_the_download_recorded(harness):
    _, intake_id = await harness.submit("alice")
    wang = await harness.staff("wang", "caseworker")
    assert (await wang.get(f"/console/intakes/{intake_id}")).status_code == 200
    taken = await wang.post(f"/console/intakes/{intake_id}/rights", data={
        "csrf_token": wang.csrf, "kind": "access", "method": "counter", "detail": "要一份我的全部资料"})
    assert taken.headers["location"].endswith("done=right_taken#rights")
    response = await wang.get(f"/console/intakes/{intake_id}/export")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = json.loads(response.text)
    assert set(EXPORTED) <= set(data)
    assert data["intake"]["application"]["applicant"]["name"] == "陈美玲"
    assert data["answers"] and data["attachments"] and data["transcript"] and data["audit"]
    assert [c["purpose"] for c in data["consents"]] == ["economic_check", "health_data", "child_data", "financial_data"]
    assert [r["action"] for r in data["reads"]] == ["export", "intake"]  # who read it, this download included
    assert data["rights_requests"][0]["detail"] == "要一份我的全部资料"
    reads = await harness.services.access.recent(intake_id=intake_id)
    assert reads[0].action is AccessAction.EXPORT and reads[0].actor == "wang"
    assert (await wang.get("/console/intakes/999/export")).status_code == 404


async def test_requests_are_answered_or_refused_with_reasons_and_late_ones_are_shown(harness):
    _, intake_id = await harness.submit("alice")
    wang = await harness.staff("wang", "caseworker")
    await wang.post(f"/console/intakes/{intake_id}/rights", data={
        "csrf_token": wang.csrf, "kind": "delete", "method": "phone", "detail": "请删除我的申请"})
    page = (await wang.get(f"/console/intakes/{intake_id}")).text
    [request_id] = [int(part.split('"')[0]) for part in page.split('data-right="')[1:]]
    # a refusal needs its reasons
    empty = await wang.post(f"/console/rights/{request_id}", data={"csrf_token": wang.csrf, "status": "refused"})
    assert empty.headers["location"].endswith("error=invalid_input#rights")
    refused = await wang.post(f"/console/rights/{request_id}", data={
        "csrf_token": wang.csrf, "status": "refused", "reply": "申请已受理审核中，审核档案须依规保存；审核结束后按保存期限删除"})
    assert refused.headers["location"].endswith("done=right_answered#rights")
    [answered] = await harness.app.state.console.rights.of_intake(intake_id)
    assert answered.status.value == "refused" and "依规保存" in answered.reply and answered.answered_by == "wang"
    again = await wang.post(f"/console/rights/{request_id}", data={"csrf_token": wang.csrf, "status": "answered",
                                                                   "reply": "x"})
    assert again.headers["location"].endswith("error=invalid_input#rights")
    assert (await wang.post("/console/rights/999", data={"csrf_token": wang.csrf, "status": "answered",
                                                         "reply": "x"})).status_code == 404

    # one taken a month ago and not answered is late on the supervisors' list
    month_ago = datetime.now(UTC) - timedelta(days=30)
    desk = RightsDesk(harness.services.engine, harness.services.vault, clock=lambda: month_ago)
    late = await desk.take(intake_id, kind=RightKind.REVIEW, detail="请人工复核预审结果", method="counter",
                           taken_by="zhao")
    assert (await wang.get("/console/rights")).status_code == 403
    chief = await harness.staff("li", "supervisor")
    listing = (await chief.get("/console/rights")).text
    assert f'data-right="{late}" class="late" data-late="yes"' in listing
    assert f'data-right="{request_id}"' not in listing  # answered: no longer waiting

    # a deadline counted into a year whose holidays are not verified says so to staff
    new_year = datetime(2026, 12, 28, 2, 0, tzinfo=UTC)
    across = await RightsDesk(harness.services.engine, harness.services.vault, clock=lambda: new_year).take(
        intake_id, kind=RightKind.ACCESS, detail="要一份资料", method="phone", taken_by="zhao")
    rows = {part.split('"')[0]: part.split("</tr>")[0]
            for part in (await chief.get("/console/rights")).text.split('data-right="')[1:]}
    assert "2027年的放假安排未核实" in rows[str(across)] and "未核实" not in rows[str(late)]


async def test_a_deletion_request_anonymises_a_decided_intake_and_keeps_what_the_rules_keep(harness):
    resident, intake_id = await harness.submit("alice")
    wang = await harness.staff("wang", "caseworker")
    await wang.post(f"/console/intakes/{intake_id}/rights", data={
        "csrf_token": wang.csrf, "kind": "delete", "method": "counter", "detail": "请删除我的资料"})
    [request] = await harness.app.state.console.rights.of_intake(intake_id)
    chief = await harness.staff("li", "supervisor")
    erase = f"/console/rights/{request.id}/erase"
    assert (await wang.post(erase, data={"csrf_token": wang.csrf, "reply": "x"})).status_code == 403
    early = await chief.post(erase, data={"csrf_token": chief.csrf, "reply": "已删除"})
    assert early.headers["location"].endswith("error=still_deciding#rights")  # still being decided
    assert (await harness.store.get(intake_id)).application["applicant"]["name"] == "陈美玲"

    await harness.services.queue.relay()
    await wang.post("/console/claim-next", data={"csrf_token": wang.csrf})
    await wang.post(f"/console/intakes/{intake_id}/reject", data={"csrf_token": wang.csrf, "reason": "申请人撤回",
                                                                  "confirm": "yes"})
    done = await chief.post(erase, data={"csrf_token": chief.csrf, "reply": "您的申请资料已删除"})
    assert done.headers["location"].endswith("done=erased#rights")
    data = json.loads((await chief.get(f"/console/intakes/{intake_id}/export")).text)
    assert data["intake"]["application"] == {} and data["answers"] == [] and data["transcript"] == []
    assert data["attachments"] == [] and data["notes"] == []
    assert "陈美玲" not in json.dumps(data, ensure_ascii=False) and "440106" not in json.dumps(data)
    assert [a["to_status"] for a in data["audit"]][-1] == "rejected"  # the decision trail stays
    assert [c["purpose"] for c in data["consents"]] == [  # and the proof of consent
        "economic_check", "health_data", "child_data", "financial_data"]
    assert data["rights_requests"][0]["status"] == "answered"
    assert data["rights_requests"][0]["reply"] == "您的申请资料已删除"
    assert await harness.store.list_for_user("api:partner", "alice") == []


async def test_a_printable_copy_is_in_the_residents_language_whoever_prints_it(harness):
    _, chinese = await harness.submit("alice")
    _, english = await harness.submit("bob", locale="en")
    wang = await harness.staff("wang", "caseworker")
    page = await wang.get(f"/console/intakes/{english}/export/print", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert f"Your personal data (application No. {english})" in page.text and "Applicant" in page.text
    assert "申请人" not in page.text and "Household economic-status check" in page.text
    zh = (await wang.get(f"/console/intakes/{chinese}/export/print", headers={"Accept-Language": "en"})).text
    assert f"您的个人信息（申请编号 {chinese}）" in zh and "陈美玲" in zh and "家庭经济状况核对授权" in zh
    reads = await harness.services.access.recent(actor="wang")
    assert [(r.intake_id, r.action, r.detail) for r in reads] == [(chinese, AccessAction.EXPORT, "printable"),
                                                                  (english, AccessAction.EXPORT, "printable")]
