"""The team: intakes given to named caseworkers (one or many, with a note, every change recorded), the case views,
the live queue's change mark, and the supervisor's CSV."""
from __future__ import annotations

import copy
import csv
import html
import io
from datetime import timedelta

import pytest
from sqlalchemy import update

from intake.console import live
from intake.models import Intake, IntakeStatus, utcnow
from tests.intake.conftest import APPLICATION
from tests.intake.console_harness import console_app
from tests.intake.test_api_intakes import bearer
from tests.intake.test_console_workflow import claim, post

S = IntakeStatus


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        yield harness


async def file(harness, n: int) -> int:
    """An intake filed straight into the store (the dialog is tested elsewhere)."""
    application = copy.deepcopy(APPLICATION)
    application["applicant"]["phone"] = f"+86139{n:08d}"
    return await harness.store.submit(application, channel="api:partner", user_id=f"resident-{n}", locale="zh")


def shown(page: str) -> list[int]:
    """The intake numbers in a queue page's rows."""
    return [int(part.split('"')[0]) for part in page.split('data-intake="')[1:]]


async def test_a_hand_over_is_recorded_lets_go_of_the_lease_and_reaches_the_colleagues_cases(harness):
    intake_id = await file(harness, 1)
    wang = await harness.staff("wang", "caseworker")
    li = await harness.staff("li", "caseworker")
    assert await claim(harness, wang) == f"/console/intakes/{intake_id}"
    assert (await harness.store.get(intake_id)).assigned_to == "wang"  # claiming an unassigned intake makes it yours

    where = await post(wang, f"/console/intakes/{intake_id}/assign", to="li", note="李社工熟悉这个小区")
    assert where.endswith("done=assigned#assignment")
    record = await harness.store.get(intake_id)
    assert record.assigned_to == "li" and record.status is S.SUBMITTED and record.claimed_by is None
    trail = [(a.actor, a.from_worker, a.to_worker, a.note) for a in await harness.store.assignments(intake_id)]
    assert trail == [("wang", None, "wang", ""), ("wang", "wang", "li", "李社工熟悉这个小区")]

    assert shown((await li.get("/console/queue?view=mine")).text) == [intake_id]
    assert shown((await wang.get("/console/queue?view=mine")).text) == []
    page = html.unescape((await li.get(f"/console/intakes/{intake_id}")).text)
    assert "wang 把申请从 wang 交给 li" in page and "李社工熟悉这个小区" in page and "现由 li 负责" in page
    # li takes it up under a lease of her own, as before
    assert (await post(li, f"/console/intakes/{intake_id}/claim")).endswith("done=claimed")
    assert (await harness.store.get(intake_id)).claimed_by == "li"


async def test_only_a_caseworkers_account_can_be_given_an_intake(harness):
    intake_id = await file(harness, 1)
    await harness.store.add_user("desk", "staff", "correct horse battery")
    wang = await harness.staff("wang", "caseworker")
    for nobody in ("desk", "ghost"):
        where = await post(wang, f"/console/intakes/{intake_id}/assign", to=nobody)
        assert "error=invalid_input" in where
    assert (await harness.store.get(intake_id)).assigned_to is None
    assert await harness.store.assignments(intake_id) == []


async def test_bulk_assignment_from_the_queue_is_all_or_nothing_and_counts_in_the_workload(harness):
    ids = [await file(harness, n) for n in range(1, 4)]
    wang = await harness.staff("wang", "caseworker")
    await harness.store.add_user("li", "caseworker", "correct horse battery")
    refused = await wang.post("/console/assign", data={"csrf_token": wang.csrf, "ids": [*ids, 999999], "to": "li",
                                                      "back": "/console/queue?view=unassigned"})
    assert refused.headers["location"] == "/console/queue?view=unassigned&error=not_found"
    assert await harness.store.workload() == {}

    done = await wang.post("/console/assign", data={"csrf_token": wang.csrf, "ids": ids[:2], "to": "li",
                                                   "note": "本周由李社工跟进", "back": "https://elsewhere.example/"})
    assert done.headers["location"] == "/console/queue?done=assigned"  # never back to another site
    assert await harness.store.workload() == {"li": 2}
    assert shown((await wang.get("/console/queue?view=unassigned")).text) == [ids[2]]
    assert shown((await wang.get("/console/queue?assignee=li")).text) == sorted(ids[:2])
    queue = (await wang.get("/console/queue")).text
    assert "li · 2 件在办" in queue  # the hand-over list shows each colleague's load


async def test_waiting_for_the_resident_lists_the_open_requests(harness):
    await file(harness, 1), await file(harness, 2)
    wang = await harness.staff("wang", "caseworker")
    held = int((await claim(harness, wang)).rsplit("/", 1)[1])
    await post(wang, f"/console/intakes/{held}/request-info", items=["applicant.phone"], note="请核对电话")
    assert shown((await wang.get("/console/queue?view=resident")).text) == [held]


async def test_the_queue_rows_answer_nothing_until_something_changes(harness):
    intake_id = await file(harness, 1)
    wang = await harness.staff("wang", "caseworker")
    page = (await wang.get("/console/queue")).text
    mark = page.split('data-mark="')[1].split('"')[0]
    quiet = await wang.get(f"/console/queue/rows?page=1&mark={mark}", headers={"HX-Request": "true"})
    assert quiet.status_code == 204 and quiet.content == b""

    zhao = await harness.staff("zhao", "caseworker")
    await claim(harness, zhao)
    live._marks.clear()  # noqa: SLF001 - the second the mark is reused need not be waited out
    moved = await wang.get(f"/console/queue/rows?page=1&mark={mark}", headers={"HX-Request": "true"})
    assert moved.status_code == 200 and f'data-intake="{intake_id}"' in moved.text and "zhao" in moved.text
    assert moved.text.split('data-mark="')[1].split('"')[0] != mark


async def test_the_supervisors_csv_has_one_line_per_intake_and_per_caseworker(harness):
    late, fresh = await file(harness, 1), await file(harness, 2)
    async with harness.store.engine.begin() as conn:
        await conn.execute(update(Intake).where(Intake.id == late).values(submitted_at=utcnow() - timedelta(hours=60)))
    boss = await harness.staff("boss", "supervisor")
    await harness.store.add_user("li", "caseworker", "correct horse battery")
    await post(boss, f"/console/intakes/{late}/assign", to="li")

    response = await boss.get("/console/team.csv")
    assert response.headers["content-type"].startswith("text/csv") and "attachment" in response.headers["content-disposition"]
    rows = {int(r["intake"]): r for r in csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")))}
    assert set(rows) == {late, fresh}
    assert rows[late]["overdue"] == "1" and rows[late]["assigned_to"] == "li" and float(rows[late]["share_of_target"]) > 1.2
    assert rows[fresh]["overdue"] == "0" and rows[fresh]["assigned_to"] == ""
    assert "李" not in response.text and "+86" not in response.text  # no personal data

    workers = list(csv.DictReader(io.StringIO((await boss.get("/console/team.csv?kind=caseworkers")).text.lstrip("\ufeff"))))
    by_name = {w["caseworker"]: w for w in workers}
    assert by_name["li"]["open"] == "1" and by_name["li"]["overdue"] == "1"
    assert by_name[""]["open"] == "1" and by_name[""]["overdue"] == "0"  # the unassigned
    page = (await boss.get("/console/team")).text
    assert 'href="/console/queue?overdue=1"' in page and 'id="overdue-count">1<' in page
    wang = await harness.staff("wang", "caseworker")
    assert (await wang.get("/console/team.csv")).status_code == 403


async def test_assignment_over_json(harness):
    ids = [await file(harness, n) for n in range(1, 3)]
    client, wang = await harness.client(), await bearer(harness, "wang")
    await harness.store.add_user("li", "caseworker", "correct horse battery")
    missing = await client.post("/api/intakes/assign", headers=wang, json={"intake_ids": [ids[0], 999999], "to": "li"})
    assert missing.status_code == 404 and await harness.store.workload() == {}
    many = await client.post("/api/intakes/assign", headers=wang, json={"intake_ids": ids, "to": "li", "note": "交接"})
    assert many.json() == {"changed": ids, "to": "li"}
    back = await client.post(f"/api/intakes/{ids[1]}/assign", headers=wang, json={"to": "wang"})
    assert back.json() == {"changed": [ids[1]], "to": "wang"}
    wrong = await client.post(f"/api/intakes/{ids[1]}/assign", headers=wang, json={"to": "ghost"})
    assert wrong.status_code == 422
    trail = (await client.get(f"/api/intakes/{ids[1]}/assignments", headers=wang)).json()
    assert [(a["actor"], a["from_worker"], a["to_worker"], a["note"]) for a in trail] == [
        ("wang", None, "li", "交接"), ("wang", "li", "wang", "")]
    mine = (await client.get("/api/intakes", headers=wang, params={"assigned_to": "me"})).json()
    assert [row["id"] for row in mine] == [ids[1]] and mine[0]["assigned_to"] == "wang"
    assert (await client.get("/api/intakes/workload", headers=wang)).json() == {"li": 1, "wang": 1}
    docs = (await client.get("/openapi.json")).json()["paths"]
    assert {"/api/intakes/assign", "/api/intakes/{intake_id}/assign", "/api/intakes/{intake_id}/assignments",
            "/api/intakes/workload"} <= set(docs)


async def test_referring_an_accepted_intake_says_the_decision_stands(harness):
    _, intake_id = await harness.submit("alice")
    wang = await harness.staff("wang", "caseworker")
    await claim(harness, wang)
    assert (await post(wang, f"/console/intakes/{intake_id}/accept")).endswith("done=accepted")
    assert (await post(wang, f"/console/intakes/{intake_id}/claim")).endswith("done=claimed")  # held to follow up
    programme = (await harness.store.get(intake_id)).prescreen["matches"][0]["programme"]
    await post(wang, f"/console/intakes/{intake_id}/consents", purpose="referral", recipient=programme, granted="yes",
               method="phone")
    where = await post(wang, f"/console/intakes/{intake_id}/refer", programme=programme)
    assert where.endswith("done=referred_decided")
    page = (await wang.get(where)).text
    assert "原来的决定不变" in page and "仍可受理" not in page
    assert (await harness.store.get(intake_id)).status is S.ACCEPTED
