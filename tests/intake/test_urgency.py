"""Urgency as an explained score, and the queue it orders: a realistic mix of 40 intakes, search, filters, pages."""
from __future__ import annotations

from datetime import timedelta

from intake.models import IntakeStatus
from intake.store.listing import mask_name
from intake.store.records import QueueQuery
from intake.urgency import DIMENSIONS, assess
from knowledge.params import load_params
from tests.intake.caseload import caseload
from tests.intake.conftest import Clock

S = IntakeStatus
LEASE = timedelta(minutes=10)


def test_every_dimension_is_scored_with_its_reason(application):
    params = load_params()
    urgency = assess(application(sudden_event=True), params)
    assert [d.key for d in urgency.dimensions] == list(DIMENSIONS)
    assert urgency.score == sum(d.points for d in urgency.dimensions) and urgency.urgent
    reasons = {d.key: d.explain("zh") for d in urgency.dimensions}
    assert reasons["household"] == "家中有：重病"
    assert reasons["income"] == f"人均月收入 1500 元，低保标准 {params.value('dibao_standard')} 元"
    assert reasons["spending"] == "刚性支出 52000 元，占家庭年收入 144%"
    assert reasons["assistance"] == "尚未获得任何救助" and reasons["visits"] == "申请人报告了突发事件"
    assert "sudden event" in urgency.main_reason("en") or urgency.main_reason("en").startswith(("Income", "Spending"))
    # the same household already on 低保 and with no sudden event is not urgent
    calmer = assess(application(assistance="dibao"), params)
    assert not calmer.urgent and calmer.score == urgency.score - 5
    # unknown figures score nothing and say so
    blank = assess({"consent": True}, params)
    assert blank.score == 0 and {d.explain("en") for d in blank.dimensions} >= {"income not fully given"}


async def test_fewer_than_a_third_of_forty_mixed_intakes_are_urgent_and_the_queue_follows_the_score(make_store):
    clock = Clock()
    store = make_store(clock)
    for record in caseload():
        await store.submit(record, channel="web", user_id=record["applicant"]["phone"], locale="zh")
        clock.advance(minutes=17)
    page = await store.queue_page(QueueQuery(statuses=(S.SUBMITTED,), per_page=40))
    assert page.total == 40
    urgent = [row for row in page.rows if row.urgent]
    print(f"urgent: {len(urgent)} of 40 ({len(urgent) / 40:.0%})")
    assert 0 < len(urgent) < 40 / 3
    scores = [row.urgency_score for row in page.rows]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 5
    assert all(row.urgent == (row.urgency_score >= 9) for row in page.rows)
    for earlier, later in zip(page.rows, page.rows[1:], strict=False):
        if earlier.urgency_score == later.urgency_score:
            assert earlier.submitted_at <= later.submitted_at  # the same score: the longer wait first
    assert all(row.urgency.main_reason("zh") for row in urgent)
    # claiming follows the same order
    claimed = [(await store.claim(f"cw{n}", lease=LEASE)).intake_id for n in range(3)]
    assert claimed == [row.id for row in page.rows[:3]]


async def test_search_filters_and_pages(make_store, application):
    store = make_store()
    records = caseload(12)
    ids = [await store.submit(r, channel="web" if n % 2 else "phone", user_id=f"u{n}", locale="zh")
           for n, r in enumerate(records)]
    everything = await store.queue_page(QueueQuery(per_page=5))
    assert (everything.total, everything.pages, len(everything.rows)) == (12, 3, 5)
    last = await store.queue_page(QueueQuery(per_page=5, page=3))
    assert len(last.rows) == 2 and not {r.id for r in last.rows} & {r.id for r in everything.rows}

    target = records[4]
    name, phone = target["applicant"]["name"], target["applicant"]["phone"]
    by_name = await store.queue_page(QueueQuery(search=name))
    assert ids[4] in [r.id for r in by_name.rows] and all(r.masked_name == mask_name(name) for r in by_name.rows)
    assert [r.id for r in (await store.queue_page(QueueQuery(search=phone[3:]))).rows] == [ids[4]]  # without +86
    assert [r.id for r in (await store.queue_page(QueueQuery(search=f"#{ids[4]}"))).rows] == [ids[4]]
    assert (await store.queue_page(QueueQuery(search="无此人"))).total == 0
    assert mask_name("李秀英") == "李*英" and mask_name("张三") == "张*"

    district = target["applicant"]["district"]
    in_district = await store.queue_page(QueueQuery(district=district))
    assert in_district.total == sum(r["applicant"]["district"] == district for r in records)
    assert {r.district for r in in_district.rows} == {district}
    phone_only = await store.queue_page(QueueQuery(channel="phone"))
    assert phone_only.total == 6 and {r.channel for r in phone_only.rows} == {"phone"}
    assert (await store.queue_page(QueueQuery(statuses=(S.CLOSED,)))).total == 0
    assert set(await store.queue_choices()) == {"districts", "channels"}
