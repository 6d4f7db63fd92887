"""A resident on the web chat gets a resume code, leaves, carries on in a partner app and submits there; after a
caseworker asks for more information in the console they come back in a new browser (another device: no
cookie) with the code's link, read the request and answer it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import golden
from tests.browser.conftest import CODE, OUTPUT, PHONE, apply_until_code, bot_says, type_in
from tests.browser.test_console import sign_in

pytestmark = pytest.mark.browser
NOTE = "请补充最近一年的工资总额（扣除个税和社保后）"


def test_a_new_browser_with_the_resume_code_reads_and_answers_the_caseworkers_request(served, browser, resident):
    OUTPUT.mkdir(exist_ok=True)
    first, page, issued = apply_until_code(browser, served)
    code = CODE.search(issued).group(1)
    assert "户籍" in page.locator(".msg.bot").last.inner_text()
    link = page.locator(".msg.bot", has_text="续办码").last.locator("a")
    assert link.get_attribute("href").endswith(f"/chat#resume={code}")  # the link can be opened from the message
    page.screenshot(path=str(OUTPUT / "resume-code-issued.png"), full_page=True)

    first.close()  # the resident leaves the web chat ...

    # ... and carries on in a partner app on the HTTP chat API with the same code
    resident.send("text", f"继续 {code}")
    resident.send("text", golden.PHONE[-4:])
    assert resident.last["state"]["step"] == "applicant.district"
    for kind, value in golden.steps()[6:]:
        resident.send(kind, value)
    intake_id = resident.last["state"]["intake_id"]
    assert intake_id and code in "\n".join(r["text"] for r in resident.last["replies"])

    console = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
    staff = console.new_page()
    sign_in(staff, served)
    staff.click("#claim-next")
    staff.wait_for_url(f"**/console/intakes/{intake_id}")
    staff.click("#request-form >> xpath=ancestor::details/summary")
    staff.check('input[name="items"][value="income.wages"]')
    staff.fill("#request-note", NOTE)
    staff.click("#request-info")
    staff.wait_for_url(re.compile(rf".*/console/intakes/{intake_id}\?done=requested$"))

    # a new browser: no cookie, nothing of the first conversation; the resume link types the code
    second = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = second.new_page()
    page.goto(f"{served.base_url}/chat#resume={code}")
    bot_says(page, "后四位")
    assert "#resume" not in page.url  # the code does not stay in the address bar or the history
    expect(page.locator(".msg.me").last).to_have_text(f"继续 {code}")
    type_in(page, "1234", "还可以试4次")
    type_in(page, golden.PHONE[-4:], "核对成功")
    bot_says(page, NOTE)
    bot_says(page, f"编号{intake_id}")
    expect(page.locator(".msg.bot").last).to_contain_text("工资一共多少")
    page.screenshot(path=str(OUTPUT / "resume-request-read.png"), full_page=True)

    type_in(page, "3万", "补充的信息已交给社工")
    second.close()

    staff.goto(f"{served.base_url}/console/queue")
    staff.click("#claim-next")
    staff.wait_for_url(f"**/console/intakes/{intake_id}")
    assert "居民已回复" in staff.inner_text("#requests")
    assert "30,000" in staff.locator('#requests dd.returned[data-path="income.wages"]').inner_text()
    console.close()
