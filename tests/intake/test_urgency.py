"""Urgency as an explained score, and the queue it orders: a week of 40 written intakes, search, filters, pages."""
from __future__ import annotations

from datetime import timedelta

from intake.models import IntakeStatus
from intake.store.listing import mask_name
from intake.store.records import QueueQuery
from intake.statements import KINDS, statements
from intake.urgency import DIMENSIONS, assess
from knowledge.params import load_params
from tests.intake import week
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
    assert reasons["said"] == "情况说明中没有需要立即处理的内容" and not urgency.statements and not urgency.note("zh")
    assert "sudden event" in urgency.main_reason("en") or urgency.main_reason("en").startswith(("Income", "Spending"))
    # the same household already on 低保 and with no sudden event is not urgent
    calmer = assess(application(assistance="dibao"), params)
    assert not calmer.urgent and calmer.score == urgency.score - 5
    assert urgency.score < params.value("urgency_urgent_score") + 3  # the grave figures alone, just above the line
    # unknown figures score nothing and say so
    blank = assess({"consent": True}, params)
    assert blank.score == 0 and {d.explain("en") for d in blank.dimensions} >= {"income not fully given"}


# what residents write, in Mandarin, English and Cantonese (traditional and simplified characters)
WRITTEN = [
    ("家里已经断粮了，孩子三天没吃饱饭", "no_food", "家里已经断粮了，孩子三天没吃饱饭"),
    ("We have had no food since Monday.", "no_food", "We have had no food since Monday"),
    ("屋企冇嘢食，個仔餓咗成日", "no_food", "屋企冇嘢食，個仔餓咗成日"),
    ("屋企冇米落锅", "no_food", "屋企冇米落锅"),
    ("房东说月底前要把我们赶出去。", "eviction", "房东说月底前要把我们赶出去"),
    ("We got an eviction notice; we must leave by Friday", "eviction", "We got an eviction notice"),
    ("業主要收返間屋，下個月我哋就要瞓街", "eviction", "業主要收返間屋，下個月我哋就要瞓街"),
    ("我爸正在住院，医生说要开刀", "hospitalised", "我爸正在住院，医生说要开刀"),
    ("My wife is still in hospital after the stroke.", "hospitalised", "My wife is still in hospital after the stroke"),
    ("阿媽住緊院，我請唔到假", "hospitalised", "阿媽住緊院，我請唔到假"),
    ("我要去做化疗，家里瘫痪的老母亲没人照顾。", "no_carer", "我要去做化疗，家里瘫痪的老母亲没人照顾"),
    ("Nobody to look after my son when I am at work", "no_carer", "Nobody to look after my son when I am at work"),
    ("我返工嘅時候冇人照顧阿爺", "no_carer", "我返工嘅時候冇人照顧阿爺"),
    ("欠费三个月，家里已经停电了", "utilities", "欠费三个月，家里已经停电了"),
    ("Our water was cut off last week", "utilities", "Our water was cut off last week"),
    ("交唔起電費，屋企畀人截咗電", "utilities", "交唔起電費，屋企畀人截咗電"),
    ("压力太大了，有时候想一死了之", "self_harm", "压力太大了，有时候想一死了之"),
    ("Some nights I think about ending my life", "self_harm", "Some nights I think about ending my life"),
    ("我真係唔想活落去", "self_harm", "我真係唔想活落去"),
    ("我真系唔想活落去", "self_harm", "我真系唔想活落去"),
]
# the same words without a crisis now
CALM = ["去年住院做了手术，现在在家休养。", "还没有到断粮的地步，就是药费太贵", "We are not homeless, just behind on bills.",
        "水电费每个月三百多", "I was in hospital last year for my knee.", "我没有想过自杀，只是想问问政策", "", "孩子吃饭还可以"]


def test_what_the_resident_writes_that_cannot_wait_is_urgent_and_quoted(application):
    params = load_params()
    assert {kind for _, kind, _ in WRITTEN} == set(KINDS)
    for written, kind, quote in WRITTEN:
        urgency = assess(application(situation=written), params)
        assert [(s.kind, s.quote) for s in urgency.statements] == [(kind, quote)], written
        assert urgency.urgent and urgency.dimensions[0].points == urgency.dimensions[0].most
        # the highest level: above any household scored without such words
        assert urgency.score > sum(d.most for d in urgency.dimensions[1:])
        said = urgency.dimensions[0]
        assert f"「{quote}」" in said.explain("zh") and f'"{quote}"' in said.explain("en")
        assert urgency.main_reason("zh").startswith(f"居民自述：「{quote}」")
        assert urgency.note("zh").startswith("请尽快联系居民") and urgency.note("en").startswith("Contact the resident")
    for written in CALM:
        urgency = assess(application(situation=written, assistance="dibao"), params)
        assert not urgency.statements and not urgency.urgent, written
    # two kinds in one line are both named
    both = assess(application(situation="我哋冇嘢食，屋企斷咗電"), params)
    assert [s.kind for s in both.statements] == ["no_food", "utilities"]
    assert both.note("zh") == "请尽快联系居民：断粮、水电气被停。"
    # a long English line is quoted around the words, whole words only
    long = statements("I have been working nights at the warehouse for years and now the landlord says we are "
                      "being evicted at the end of the month because the building is sold to a developer")
    assert long[0].quote == "…and now the landlord says we are being evicted at the end of the month because the…"


def test_a_week_of_forty_written_intakes_at_most_a_third_urgent_every_crisis_among_them():
    params = load_params()
    scored = [assess(record, params) for record in week.week()]
    urgent = [n for n, urgency in enumerate(scored, 1) if urgency.urgent]
    crises = [n for n in range(1, 41) if week.says(n)]
    print(f"urgent: {len(urgent)} of 40 ({len(urgent) / 40:.0%}); residents who wrote of a crisis: {len(crises)}")
    assert len(crises) == 10 and set(crises) <= set(urgent) and len(urgent) <= 40 / 3
    assert [[s.kind for s in scored[n - 1].statements] for n in crises] == [[week.says(n)] for n in crises]
    assert not any(scored[n - 1].statements for n in range(1, 41) if n not in crises)
    # urgent without a statement: only households whose figures are grave
    assert all(scored[n - 1].score >= params.value("urgency_urgent_score") for n in urgent)


async def test_fewer_than_a_third_of_forty_mixed_intakes_are_urgent_and_the_queue_follows_the_score(make_store):
    clock = Clock()
    store = make_store(clock)
    params = load_params()
    for record in week.week():
        await store.submit(record, channel="web", user_id=record["applicant"]["phone"], locale="zh")
        clock.advance(minutes=17)
    page = await store.queue_page(QueueQuery(statuses=(S.SUBMITTED,), per_page=40))
    assert page.total == 40
    urgent = [row for row in page.rows if row.urgent]
    print(f"urgent: {len(urgent)} of 40 ({len(urgent) / 40:.0%})")
    assert 0 < len(urgent) < 40 / 3
    scores = [row.urgency_score for row in page.rows]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 5
    assert all(row.urgent == (row.urgency_score >= params.value("urgency_urgent_score")) for row in page.rows)
    # the residents who wrote of a crisis lead the queue, their words as the reason
    assert all(row.urgency.statements for row in page.rows[:10]) and not page.rows[10].urgency.statements
    assert page.rows[0].urgency.main_reason("zh").startswith("居民自述：「")
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
