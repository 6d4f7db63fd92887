"""The console at work: the queue, an intake page, every decision, and the resident told of each on their channel."""
from __future__ import annotations

import copy
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from intake.models import Intake, IntakeStatus, utcnow
from intake.console.prescreen import check_view
from tests import golden
from tests.intake.conftest import APPLICATION
from tests.intake.console_harness import console_app, messages

S = IntakeStatus


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        yield harness


async def claim(harness, client) -> str:
    """Claim next through the console; the page it lands on."""
    await harness.services.queue.relay()
    response = await client.post("/console/claim-next", data={"csrf_token": client.csrf})
    assert response.status_code == 303
    return response.headers["location"]


async def post(client, path: str, **data):
    """A form sent as the page sends it: with its CSRF token and the final decisions' confirmation ticked."""
    response = await client.post(path, data={"csrf_token": client.csrf, "confirm": "yes", **data})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_request_information_then_accept_round_trip(any_backend):
    harness = any_backend
    resident, intake_id = await harness.submit("alice")
    caseworker = await harness.staff("wang", "caseworker")
    assert await claim(harness, caseworker) == f"/console/intakes/{intake_id}"

    where = await post(caseworker, f"/console/intakes/{intake_id}/request-info",
                       items=["applicant.phone", "documents"], note="请核对电话并补交诊断证明")
    assert where.endswith("done=requested")
    told = await messages(resident)
    assert any("请核对电话并补交诊断证明" in m and str(intake_id) in m for m in told)
    assert any("电话号码" in m for m in told)  # the first reopened item is asked straight away
    assert (await harness.store.get(intake_id)).status is S.NEEDS_INFORMATION
    waiting = await caseworker.get("/console/queue")
    assert "待补充信息" in waiting.text

    await resident.text("13900139000")
    await resident.file("receipt-hospital.jpg")
    done = await resident.option("_done")
    assert str(intake_id) in "\n".join(r["text"] for r in done["replies"])
    record = await harness.store.get(intake_id)
    assert record.status is S.SUBMITTED and record.application["applicant"]["phone"] == "+8613900139000"
    assert len(record.application["documents"]) == 1

    assert await claim(harness, caseworker) == f"/console/intakes/{intake_id}"
    page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
    assert "+8613900139000" in page and "居民已回复" in page and 'class="changed"' in page
    document = record.application["documents"][0]["file_id"]
    assert f"/console/intakes/{intake_id}/files/{document}" in page
    served = await caseworker.get(f"/console/intakes/{intake_id}/files/{document}")
    assert served.status_code == 200 and served.content == golden.JPEG

    assert (await post(caseworker, f"/console/intakes/{intake_id}/accept", reason="请留意街道办电话。")).endswith("done=accepted")
    assert (await harness.store.get(intake_id)).status is S.ACCEPTED
    told = await messages(resident)
    assert told == [f"您的申请（编号{intake_id}）已受理，进入审核确认程序。请留意街道办电话。"]
    trail = [(a.actor, a.from_status, a.to_status) for a in (await harness.store.get(intake_id)).audit]
    assert ("wang", S.CLAIMED, S.NEEDS_INFORMATION) in trail and trail[-1] == ("wang", S.CLAIMED, S.ACCEPTED)


async def test_rejection_reaches_the_resident_in_english(harness):
    resident, intake_id = await harness.submit("sam", locale="en")
    caseworker = await harness.staff("li", "caseworker")
    await claim(harness, caseworker)
    assert (await post(caseworker, f"/console/intakes/{intake_id}/reject", reason="")).endswith("error=invalid_input")
    assert (await harness.store.get(intake_id)).status is S.CLAIMED
    await post(caseworker, f"/console/intakes/{intake_id}/reject", reason="Your household income is above the line.")
    assert await messages(resident) == [
        f"We are sorry: your application (No. {intake_id}) was not approved. Reason: Your household income is above "
        "the line.\nIf you have questions you can ask us, or request a review."]
    # the decision ended the lease: closing without holding the intake again is refused, and nobody is told
    assert (await post(caseworker, f"/console/intakes/{intake_id}/close", reason="x")).endswith("error=not_held")
    assert await messages(resident) == []
    assert (await post(caseworker, f"/console/intakes/{intake_id}/claim")).endswith("done=claimed")
    assert (await harness.store.get(intake_id)).status is S.REJECTED  # held to follow up, still rejected
    await post(caseworker, f"/console/intakes/{intake_id}/close", reason="No review was requested.")
    assert await messages(resident) == [f"Your application (No. {intake_id}) is closed. No review was requested."]
    assert (await harness.store.get(intake_id)).status is S.CLOSED


async def test_refer_then_accept_the_same_intake_and_record_the_partners_answers(harness):
    resident, intake_id = await harness.submit("alice")
    caseworker = await harness.staff("wang", "caseworker")
    await claim(harness, caseworker)
    page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
    programmes = re.findall(r'data-programme="([^"]+)"', page)
    match = (await harness.store.get(intake_id)).prescreen["matches"][0]
    assert programmes[0] == match["programme"] and 'class="refer"' not in page  # no consent to this charity yet
    refused = await post(caseworker, f"/console/intakes/{intake_id}/refer", programme=match["programme"])
    assert refused.endswith("error=consent_missing") and await harness.store.referrals(intake_id) == []
    assert await messages(resident) == []  # nothing was sent
    # the resident agrees by phone to this charity; the caseworker records it
    recorded = await post(caseworker, f"/console/intakes/{intake_id}/consents", purpose="referral",
                          recipient=match["programme"], granted="yes", method="phone")
    assert recorded.endswith("done=consent_recorded#consents")
    page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
    assert f'data-purpose="referral" data-recipient="{match["programme"]}" data-granted="yes"' in page
    assert (await post(caseworker, f"/console/intakes/{intake_id}/refer", programme=match["programme"])).endswith("done=referred")
    record = await harness.store.get(intake_id)
    assert record.status is S.CLAIMED  # the case goes on
    told = await messages(resident)
    assert len(told) == 1 and match["name"]["zh"] in told[0] and match["organisation"]["zh"] in told[0]
    again = await post(caseworker, f"/console/intakes/{intake_id}/refer", programme=match["programme"])
    assert again.endswith("error=invalid_input")  # one open referral per programme
    unknown = await post(caseworker, f"/console/intakes/{intake_id}/refer", programme="no-such-programme")
    assert unknown.endswith("error=invalid_input")
    # unconfirmed, accepting does nothing
    response = await caseworker.post(f"/console/intakes/{intake_id}/accept", data={"csrf_token": caseworker.csrf})
    assert response.headers["location"].endswith("error=confirm")
    assert (await harness.store.get(intake_id)).status is S.CLAIMED
    assert (await post(caseworker, f"/console/intakes/{intake_id}/accept")).endswith("done=accepted")
    assert (await harness.store.get(intake_id)).status is S.ACCEPTED
    await messages(resident)

    [referral] = await harness.store.referrals(intake_id)
    other = await harness.staff("zhao", "caseworker")  # whoever takes the partner's call records it
    assert (await post(other, f"/console/referrals/{referral.id}", status="accepted")).endswith("done=referral_recorded#referrals")
    assert match["name"]["zh"] in (await messages(resident))[0]
    declined_without_reason = await post(other, f"/console/referrals/{referral.id}", status="declined")
    assert declined_without_reason.endswith("error=invalid_input#referrals")
    await post(other, f"/console/referrals/{referral.id}", status="helped", help="住院费资助", amount="3000")
    told = await messages(resident)
    assert len(told) == 1 and "住院费资助" in told[0]
    [referral] = await harness.store.referrals(intake_id)
    assert [e.status.value for e in referral.events] == ["sent", "accepted", "helped"]
    assert referral.helped_amount == 3000 and referral.events[-1].actor == "zhao"
    page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
    ledger = page[page.index('id="ledger"'):page.index('id="transcript"')]
    assert "住院费资助" in ledger and "3000 元" in ledger and "已受理" in ledger


async def test_a_held_intake_is_nobody_elses(harness):
    _, intake_id = await harness.submit("alice")
    first, second = await harness.staff("wang", "caseworker"), await harness.staff("zhao", "caseworker")
    await claim(harness, first)
    assert (await claim(harness, second)) == "/console/queue?error=nothing_to_claim"
    assert (await post(second, f"/console/intakes/{intake_id}/accept")).endswith("error=already_claimed")
    page = (await second.get(f"/console/intakes/{intake_id}")).text
    assert "wang 正在处理" in page and 'id="accept"' not in page and 'id="claim"' not in page
    assert (await post(first, f"/console/intakes/{intake_id}/release")) == "/console/queue?done=released"
    assert await claim(harness, second) == f"/console/intakes/{intake_id}"
    assert (await harness.store.get(intake_id)).claimed_by == "zhao"


async def test_intake_page_shows_everything_unmasked(harness):
    _, first = await harness.submit("alice")
    _, second = await harness.submit("alice-again")  # the same household applies twice
    caseworker = await harness.staff("wang", "caseworker")
    page = (await caseworker.get(f"/console/intakes/{second}")).text
    for shown in (golden.APPLICANT_ID, "+8613800138000", golden.SPOUSE_ID, "黄小宇", "68,000元", "10,000元（估计）",
                  "海珠区", "receipt-hospital.jpg", "我在化疗"):
        assert shown in page
    assert 'id="duplicates"' in page and f'href="/console/intakes/{first}"' in page
    # the earlier intake as it stands now, its applicant's name as written
    duplicates = page[page.index('id="duplicates"'):page.index("</ul>", page.index('id="duplicates"'))]
    assert f"编号 {first}（等待受理）：陈美玲" in duplicates
    prescreen = (await harness.store.get(second)).prescreen["prescreen"]
    for programme in prescreen["programmes"]:
        for check in programme["checks"]:
            # staff read the reason in plain words, its sources (unverified figures marked) folded under it
            view = check_view(check, "zh")
            assert view.reason in html.unescape(page) and all(s in html.unescape(page) for s in view.sources)
    assert "【说明" not in page and "依据：" not in page  # no English notes on the Chinese page
    assert "您的电话号码？" in page  # the transcript
    assert 'id="accept"' not in page  # not claimed: read, but no decisions
    english = (await caseworker.get(f"/console/intakes/{second}?lang=en")).text
    assert "Pre-screen (guidance, not a decision)" in english
    first_rule = check_view(prescreen["programmes"][0]["checks"][0], "en")
    assert first_rule.reason in html.unescape(english) and first_rule.note in html.unescape(english)
    assert first_rule.note  # the English page keeps the rule's note, folded with its sources
    assert "数值待核实" in html.unescape(page)  # the borrowed rigid-spending share, at least


async def test_queue_orders_by_score_then_age_and_shows_age_against_target(harness):
    _, older = await harness.submit("alice")
    _, newer = await harness.submit("bob")
    async with harness.services.engine.begin() as conn:
        await conn.execute(update(Intake).where(Intake.id == older).values(submitted_at=utcnow() - timedelta(hours=60)))
    caseworker = await harness.staff("wang", "caseworker")
    page = (await caseworker.get("/console/queue")).text
    assert page.index(f'data-intake="{older}"') < page.index(f'data-intake="{newer}"')  # same score: the older first
    row = page[page.index(f'data-intake="{older}"'):]
    assert re.search(r'class="age late">2 天 12 小时<', row) and "目标时限 48 小时" in page
    async with harness.services.engine.begin() as conn:
        await conn.execute(update(Intake).where(Intake.id == newer).values(urgency_score=Intake.urgency_score + 1))
    page = (await caseworker.get("/console/queue")).text
    assert page.index(f'data-intake="{newer}"') < page.index(f'data-intake="{older}"')
    assert await claim(harness, caseworker) == f"/console/intakes/{newer}"


async def test_notes_and_lease_through_htmx(harness):
    _, intake_id = await harness.submit("alice")
    caseworker, other = await harness.staff("wang", "caseworker"), await harness.staff("zhao", "caseworker")
    await claim(harness, caseworker)
    htmx = {"HX-Request": "true", "X-CSRF-Token": caseworker.csrf}
    response = await caseworker.post(f"/console/intakes/{intake_id}/notes", data={"text": "已电话联系"}, headers=htmx)
    assert response.status_code == 200 and response.text.lstrip().startswith('<div id="notes">') and "已电话联系" in response.text
    before = (await harness.store.get(intake_id)).lease_until
    lease = await caseworker.post(f"/console/intakes/{intake_id}/extend", headers=htmx)
    assert lease.status_code == 200 and "由您处理" in lease.text
    assert (await harness.store.get(intake_id)).lease_until >= before
    lost = await other.post(f"/console/intakes/{intake_id}/extend",
                            headers={"HX-Request": "true", "X-CSRF-Token": other.csrf})
    assert "您已不再持有" in lost.text


async def test_supervisor_view_draws_depth_ages_throughput_and_questions(harness):
    _, decided = await harness.submit("alice")
    await harness.submit("bob")
    caseworker = await harness.staff("wang", "caseworker")
    await claim(harness, caseworker)
    await post(caseworker, f"/console/intakes/{decided}/accept")
    await harness.store.log_unanswered("残疾人补贴怎么申请？", "zh")
    supervisor = await harness.staff("boss", "supervisor")
    page = (await supervisor.get("/console/team")).text
    assert re.search(r'id="depth">1<', page)
    assert page.count("<svg") == 6 and "残疾人补贴怎么申请？" in page
    assert "申请中途停在哪一步" in page  # where residents stop, from the conversation store
    today = utcnow().astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).strftime("%m-%d")
    assert re.search(rf">{today}</text><rect[^>]+/><text[^>]+>1</text>", page)


async def test_supervisor_funnel_is_drawn_from_its_source(harness):
    async def stops():
        return {1: 4, 4: 2, 8: 1}

    harness.app.state.console.funnel = stops
    supervisor = await harness.staff("boss", "supervisor")
    page = (await supervisor.get("/console/team")).text
    funnel = page[page.index('id="funnel"'):]
    assert re.search(r">申请人信息</text><rect[^>]+/><text[^>]+>4</text>", funnel)
    assert re.search(r">家庭收入</text><rect[^>]+/><text[^>]+>2</text>", funnel)


async def test_what_residents_typed_is_shown_as_text_never_run(harness):
    _, intake_id = await harness.submit("alice")
    application = (await harness.store.get(intake_id)).application
    application["situation"] = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    hostile = await harness.store.submit(application, channel="api:partner", user_id="mallory", locale="zh")
    caseworker = await harness.staff("wang", "caseworker")
    page = (await caseworker.get(f"/console/intakes/{hostile}")).text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


ASKABLE = re.compile(r'name="items" value="([^"]+)"')


async def test_a_request_for_more_information_offers_only_what_this_household_has(harness):
    _, intake_id = await harness.submit("alice")
    caseworker = await harness.staff("wang", "caseworker")
    assert await claim(harness, caseworker) == f"/console/intakes/{intake_id}"
    offered = ASKABLE.findall((await caseworker.get(f"/console/intakes/{intake_id}")).text)
    # wages and transfers, medical spending with receipts: no business income, no rehabilitation, no residence
    # permit for a household registered in the city
    assert offered == [
        "applicant.name", "applicant.id_number", "applicant.phone", "applicant.district", "applicant.address",
        "applicant.flags", "applicant.disability_grade", "assistance", "income.sources", "income.wages",
        "income.transfers", "assets.financial", "assets.owned", "spending.kinds", "spending.medical",
        "spending.receipts", "situation", "documents",
    ]
    location = await post(caseworker, f"/console/intakes/{intake_id}/request-info", items=["income.wages", "documents"],
                          note="请补充工资证明")
    assert location.endswith("done=requested")
    assert (await harness.store.get(intake_id)).info_requests[-1].items == ("income.wages", "documents")


async def test_a_household_registered_elsewhere_may_be_asked_for_its_residence(harness):
    record = copy.deepcopy(APPLICATION)
    record["applicant"].update(district="outside", residence="permit")
    intake_id = await harness.store.submit(record, channel="web", user_id="u", locale="zh")
    caseworker = await harness.staff("wang", "caseworker")
    await claim(harness, caseworker)
    offered = ASKABLE.findall((await caseworker.get(f"/console/intakes/{intake_id}")).text)
    assert "applicant.residence" in offered and "spending.rehabilitation" not in offered
