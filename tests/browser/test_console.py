"""A caseworker in headless Chromium works an intake a resident sent over the HTTP chat API."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import OUTPUT, PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, served) -> None:
    page.goto(f"{served.base_url}/console/queue")
    assert "/console/login" in page.url  # anonymous: sent to sign in, and back afterwards
    page.fill("#name", served.caseworker)
    page.fill("#password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(re.compile(r".*/console/queue$"))


def test_sign_in_claim_request_information_answer_and_accept(served, browser, resident):
    intake_id = resident.apply()
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1200, "height": 900})

    sign_in(page, served)
    row = page.locator(f'tr[data-intake="{intake_id}"]')
    assert "等待受理" in row.inner_text() and "陈*玲" in row.inner_text()
    page.screenshot(path=str(OUTPUT / "console-queue.png"), full_page=True)

    page.click("#claim-next")
    page.wait_for_url(f"**/console/intakes/{intake_id}")
    assert "由您处理" in page.inner_text("#decide")
    assert "440106198805120037" in page.inner_text("#answers")  # unmasked for the caseworker
    assert "符合" in page.inner_text("#prescreen")
    page.screenshot(path=str(OUTPUT / "console-intake.png"), full_page=True)

    page.click("#request-form >> xpath=ancestor::details/summary")
    page.check('input[name="items"][value="applicant.phone"]')
    page.fill("#request-note", "请核对联系电话")
    page.click("#request-info")
    page.wait_for_url(re.compile(rf".*/console/intakes/{intake_id}\?done=requested$"))
    assert "待补充信息" in page.inner_text("#intake-status")
    told = resident.messages()
    assert any("请核对联系电话" in m and str(intake_id) in m for m in told)
    assert any("电话号码" in m for m in told)

    answer = resident.send("text", "13900139000")
    assert any(str(intake_id) in r["text"] and "谢谢" in r["text"] for r in answer["replies"])

    page.goto(f"{served.base_url}/console/queue")
    page.click("#claim-next")
    page.wait_for_url(f"**/console/intakes/{intake_id}")
    returned = page.locator('#requests dd.returned[data-path="applicant.phone"]')
    assert returned.inner_text().strip() == "+8613900139000"
    assert "居民已回复" in page.inner_text("#requests")
    page.screenshot(path=str(OUTPUT / "console-intake-answered.png"), full_page=True)

    page.fill('form[action$="/accept"] textarea[name="reason"]', "街道办将电话联系您。")
    page.click("#accept")  # not ticked: the browser asks for the confirmation, nothing is sent
    assert "审核中" in page.inner_text("#intake-status")
    page.check("#confirm-accept")
    page.click("#accept")
    page.wait_for_url(re.compile(rf".*/console/intakes/{intake_id}\?done=accepted$"))
    assert "已受理" in page.inner_text("#intake-status")
    assert resident.messages() == [f"您的申请（编号{intake_id}）已受理，进入审核确认程序。街道办将电话联系您。"]


def test_notes_are_added_in_place_with_htmx(served, browser, resident):
    intake_id = resident.apply("en")
    page = browser.new_page(locale="en-US")
    sign_in(page, served)
    page.click("#claim-next")
    page.wait_for_url(f"**/console/intakes/{intake_id}")
    url = page.url
    page.fill("#note-text", "Called the resident, no answer.")
    page.click("#add-note")
    page.locator("#notes li").first.wait_for()
    assert "Called the resident, no answer." in page.inner_text("#notes")
    assert page.url == url  # swapped in place, no page load
    assert "Pre-screen" in page.inner_text("#prescreen")


def seed(tmp_path, *, closed: int = 0) -> list[int]:
    """The realistic mix of 40 intakes on three channels, written through the store the app reads; `closed` of
    them decided and closed (for return visits). Returns the intake numbers."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bot.wiring import build_services
    from intake.charity import match_programmes
    from intake.eligibility import prescreen
    from intake.models import IntakeStatus
    from tests.bot.conftest import make_settings
    from tests.intake.week import week

    settings = make_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}")

    async def write() -> list[int]:
        services = await build_services(settings)
        store = services.intakes
        try:
            ids = []
            for n, record in enumerate(week()):
                channel = ("api:partner", "phone", "station", "telegram")[n % 4]
                screen = prescreen(record, services.params)
                stored = {"prescreen": screen.to_dict(),
                          "matches": [m.to_dict() for m in match_programmes(record, screen)], "duplicates": []}
                ids.append(await store.submit(record, channel=channel, user_id=f"seed-{n}", locale="zh",
                                              prescreen=stored))
            for intake_id in ids[:closed]:
                await services.queue.claim(intake_id, worker="zhao")
                await store.accept(intake_id, actor="zhao")
                await services.queue.claim(intake_id, worker="zhao")
                await store.close_intake(intake_id, actor="zhao", reason="已发放救助金")
                assert (await store.get(intake_id)).status is IntakeStatus.CLOSED
            await store.add_user("boss", "supervisor", PASSWORD)
            await store.add_user("liu", "staff", PASSWORD)
            return ids
        finally:
            await services.aclose()

    # Playwright's sync API runs an event loop in this thread: write from another one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, write()).result()


def sign_in_as(page, served, name: str, target: str = "/console") -> None:
    page.goto(f"{served.base_url}/console/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#signin")
    page.wait_for_load_state()
    page.goto(f"{served.base_url}{target}")


def test_a_queue_of_forty_is_readable_filtered_and_a_chosen_intake_claimed(served, browser, tmp_path):
    seed(tmp_path)
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 768})
    sign_in(page, served)
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 40  # 50 rows a page: the forty fit on one
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no sideways scrolling
    scores = [int(s) for s in page.locator("table.queue .score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    urgent = page.locator("table.queue .score.urgent").count()
    assert 0 < urgent < 40 / 3
    first = rows.first.inner_text()
    assert "*" in first and "人户" in first and "：" in first  # masked name, household, the reason for the score
    # those who wrote of a crisis lead, their own words quoted as the reason
    reasons = page.locator("table.queue .reason").all_inner_texts()
    assert all(r.startswith("居民自述：「") for r in reasons[:10]) and not reasons[10].startswith("居民自述")
    page.screenshot(path=str(OUTPUT / "console-queue-40.png"))

    page.select_option("#f-channel", "phone")
    page.select_option("#f-outcome", "met")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r".*channel=phone.*"))
    filtered = page.locator("table.queue tbody tr")
    assert 0 < filtered.count() <= 10
    assert all(text.split("\n")[-1] == "电话热线" for text in  # the channel as its label, not its stored value
               page.locator("table.queue tbody tr td:nth-child(2)").all_inner_texts())
    assert set(page.locator("table.queue .outcome").all_inner_texts()) == {"可能符合"}
    page.screenshot(path=str(OUTPUT / "console-queue-filtered.png"))

    chosen = filtered.nth(filtered.count() - 1)  # the least urgent of them, not the next in line
    chosen_id = chosen.get_attribute("data-intake")
    chosen.locator("button.claim").click()
    page.wait_for_url(re.compile(rf".*/console/intakes/{chosen_id}\?done=claimed$"))
    assert "由您处理" in page.inner_text("#decide")
    assert page.locator("#summary").bounding_box()["y"] < page.locator("#answers").bounding_box()["y"]
    assert page.locator("#decide").bounding_box()["x"] > page.locator("#answers").bounding_box()["x"]  # beside
    assert page.locator("#urgency tr").count() == 7
    page.screenshot(path=str(OUTPUT / "console-intake-claimed.png"))

    page.goto(f"{served.base_url}/console/queue?q={chosen_id}")
    assert page.locator("table.queue tbody tr").count() == 1 and "zhao" not in page.inner_text("table.queue")


def test_refer_then_accept_the_same_intake_and_record_the_partners_answer(served, browser, resident):
    intake_id = resident.apply()
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 768})
    sign_in(page, served)
    page.goto(f"{served.base_url}/console/intakes/{intake_id}")
    page.click("#claim")
    page.wait_for_url(re.compile(r".*done=claimed$"))
    # the resident's consent to the first matched charity, heard by phone, recorded before the referral
    assert page.locator("button.refer").count() == 0
    recipient = page.locator(".consent-needed").first.get_attribute("data-programme")
    page.locator("#consents details:has(form) > summary").click()
    page.locator('.consent-form select[name="recipient"]').select_option(recipient)
    page.click(".record-consent")
    page.wait_for_url(re.compile(r".*done=consent_recorded"))
    programme = page.locator("button.refer").first
    name = page.locator("#referrals .match strong").first.inner_text()
    programme.click()
    page.wait_for_url(re.compile(r".*done=referred$"))
    assert "审核中" in page.inner_text("#intake-status") and "已转介" in page.inner_text("#referrals")
    assert any(name in m for m in resident.messages())

    page.check("#confirm-accept")
    page.click("#accept")
    page.wait_for_url(re.compile(r".*done=accepted$"))
    assert "已受理" in page.inner_text("#intake-status")
    assert any("已受理" in m for m in resident.messages())
    page.screenshot(path=str(OUTPUT / "console-referred-and-accepted.png"), full_page=True)

    referral = page.locator("#referrals .referral").first
    referral.locator("summary").click()
    referral.locator('select[name="status"]').select_option("helped")
    referral.locator('input[name="help"]').fill("住院押金资助")
    referral.locator('input[name="amount"]').fill("5000")
    referral.locator("button.record-referral").click()
    page.wait_for_url(re.compile(r".*done=referral_recorded#referrals$"))
    assert "已获帮扶" in page.inner_text("#referrals") and "5000 元" in page.inner_text("#referrals")
    assert "住院押金资助" in page.inner_text("#ledger")
    told = resident.messages()
    assert len(told) == 1 and "住院押金资助" in told[0] and name.split("（")[0] in told[0]
    page.locator("#referrals").screenshot(path=str(OUTPUT / "console-partner-answer.png"))
    page.locator("#ledger").screenshot(path=str(OUTPUT / "console-ledger.png"))


def test_a_supervisor_draws_a_return_visit_sample_and_the_desk_records_an_outcome(served, browser, tmp_path):
    ids = seed(tmp_path, closed=6)
    OUTPUT.mkdir(exist_ok=True)
    supervisor = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 768})
    sign_in_as(supervisor, served, "boss", "/console/return-visits")
    supervisor.fill("#sample-size", "4")
    supervisor.click("#draw")
    supervisor.wait_for_url(re.compile(r".*done=drawn$"))
    assert supervisor.locator("#pending li").count() == 4
    assert re.search(r"4\s+0 \(0%\)", supervisor.inner_text("#rates"))

    desk = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 768})
    sign_in_as(desk, served, "liu", "/console/phone/visits")
    assert desk.locator("#visits tbody tr").count() == 4
    assert "+86139" in desk.inner_text("#visits")  # the number to ring
    first = desk.locator("#visits tbody tr").first
    first.locator('select[name="outcome"]').select_option("still_in_need")
    first.locator('input[name="note"]').fill("孩子又住院了")
    desk.screenshot(path=str(OUTPUT / "phone-return-visits.png"))
    first.locator("button.save-visit").click()
    desk.wait_for_url(re.compile(r".*done=recorded$"))
    assert desk.locator("#visits tbody tr").count() == 3

    supervisor.goto(f"{served.base_url}/console/return-visits")
    assert re.search(r"4\s+1 \(25%\)\s+1 \(100%\)", supervisor.inner_text("#rates"))
    done = supervisor.inner_text("#done")
    assert "仍有困难（新建申请）" in done and "孩子又住院了" in done
    new_intake = supervisor.locator("#done a").last.inner_text().lstrip("#")
    assert int(new_intake) > max(ids)  # a new intake, queued again
    supervisor.screenshot(path=str(OUTPUT / "console-return-visits.png"), full_page=True)
