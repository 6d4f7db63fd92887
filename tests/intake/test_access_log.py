"""Every staff read of resident data is recorded in the access log (who, when, what, from where), in the
console and over the JSON API; supervisors see and spot-check it; no log line carries personal data."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

import httpx
import pytest

from intake.models import utcnow
from intake.store.access import AccessAction, AccessLog
from tests import golden
from tests.intake.conftest import Clock
from tests.intake.console_harness import console_app
from tests.intake.test_api_intakes import bearer

FILE_LINK = re.compile(r'/console/intakes/(\d+)/files/([^"?]+)')


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        yield harness


async def test_opening_an_intake_and_its_receipt_is_recorded_in_the_console_and_the_api(harness, caplog):
    caplog.set_level(logging.INFO)
    _, intake_id = await harness.submit("alice")
    wang = await harness.staff("wang", "caseworker")
    page = await wang.get(f"/console/intakes/{intake_id}")
    assert page.status_code == 200 and "陈美玲" in page.text
    _, file_id = FILE_LINK.search(page.text).groups()
    assert (await wang.get(f"/console/intakes/{intake_id}/files/{file_id}")).status_code == 200
    api = httpx.AsyncClient(transport=httpx.ASGITransport(app=harness.app, client=("10.20.30.40", 5000)),
                            base_url="http://shanqiao.test")
    async with api:
        auth = await bearer(harness, "zhao")
        assert (await api.get(f"/api/intakes/{intake_id}", headers=auth)).status_code == 200
        assert (await api.get(f"/api/intakes/{intake_id}/files/{file_id}", headers=auth)).status_code == 200
        # a file that is not this intake's is no read, and is not recorded
        assert (await api.get(f"/api/intakes/{intake_id}/files/nothing", headers=auth)).status_code == 404

    reads = await harness.services.access.recent(intake_id=intake_id)
    assert [(r.actor, r.role, r.action, r.via, r.detail) for r in reversed(reads)] == [
        ("wang", "caseworker", AccessAction.INTAKE, "console", None),
        ("wang", "caseworker", AccessAction.FILE, "console", file_id),
        ("zhao", "caseworker", AccessAction.INTAKE, "api", None),
        ("zhao", "caseworker", AccessAction.FILE, "api", file_id),
    ]
    assert reads[0].address == "10.20.30.40" and reads[-1].address == "127.0.0.1"
    assert all(abs(r.at - utcnow()) < timedelta(minutes=1) for r in reads)
    # the log lines of all this name nobody: no name, ID number or phone
    lines = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records
    for personal in ("陈美玲", "440106", golden.PHONE, golden.PHONE[-4:]):
        assert personal not in lines


async def test_supervisors_see_filter_and_spot_check_the_reads(harness):
    _, first = await harness.submit("alice")
    _, second = await harness.submit("bob")
    wang = await harness.staff("wang", "caseworker")
    for intake_id in (first, second, first):
        assert (await wang.get(f"/console/intakes/{intake_id}")).status_code == 200
    # caseworkers cannot read the access log
    assert (await wang.get("/console/access")).status_code == 403
    chief = await harness.staff("li", "supervisor")
    page = await chief.get("/console/access")
    assert page.status_code == 200 and page.text.count('data-action="intake"') == 3
    assert page.text.count(f'data-intake="{first}"') == 2
    only = await chief.get("/console/access", params={"intake": second})
    assert only.text.count('data-action="intake"') == 1
    assert (await chief.get("/console/access", params={"actor": "nobody"})).text.count("data-action=") == 0
    drawn = await chief.get("/console/access", params={"sample": 2})
    assert drawn.status_code == 200 and 'id="sampled"' in drawn.text
    sampled = drawn.text.split('id="sampled"')[1].split('id="recent"')[0]
    assert sampled.count('data-action="intake"') == 2
    assert (await chief.get("/console/access", params={"intake": "abc"})).status_code == 422


async def test_a_spot_check_draws_only_recent_reads(engine):
    clock = Clock()
    log = AccessLog(engine, clock=clock)
    for n in range(10):
        await log.record(actor="wang", role="caseworker", action=AccessAction.INTAKE, intake_id=n + 1, via="console",
                         address="127.0.0.1")
        clock.advance(days=1)
    drawn = await log.sample(50, since=clock.now - timedelta(days=3))
    assert sorted(r.intake_id for r in drawn) == [8, 9, 10]
    draws = {tuple(r.intake_id for r in await log.sample(3, since=clock.now - timedelta(days=30))) for _ in range(20)}
    assert len(draws) > 1  # at random, not the same three each time
