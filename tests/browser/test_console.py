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
    assert "紧急" in row.inner_text() and "等待受理" in row.inner_text()
    page.screenshot(path=str(OUTPUT / "console-queue.png"), full_page=True)

    page.click("#claim-next")
    page.wait_for_url(f"**/console/intakes/{intake_id}")
    assert "由您处理" in page.inner_text("#decide")
    assert "440106198805120037" in page.inner_text("#answers")  # unmasked for the caseworker
    assert "符合" in page.inner_text("#prescreen")
    page.screenshot(path=str(OUTPUT / "console-intake.png"), full_page=True)

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
