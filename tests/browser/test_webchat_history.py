"""The web chat remembers: a reload shows the conversation so far with the resume code said again, and a new
device that resumes with the code shows what was said on the first one."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import golden
from tests.browser.conftest import CODE, OUTPUT, PHONE, apply_until_code, bot_says, type_in

pytestmark = pytest.mark.browser


def test_a_reload_and_a_new_device_show_the_conversation_so_far_with_the_code(served, browser):
    OUTPUT.mkdir(exist_ok=True)
    first, page, said = apply_until_code(browser, served)
    code = CODE.search(said).group(1)
    page.locator(".msg.bot").last.get_by_role("button", name="海珠区").click()
    bot_says(page, "地址")

    page.reload()
    bot_says(page, "地址")
    earlier = page.locator(".msg.earlier")
    said = earlier.all_inner_texts()
    assert "陈美玲" in said and "海珠区" in said  # a pressed button as its label, never its value
    assert "haizhu" not in page.locator("#log").inner_text() and not any(s.startswith("/") for s in said)
    # numbers typed are shown back masked, as the summary shows them
    assert golden.APPLICANT_ID not in page.locator("#log").inner_text()
    assert any(s.startswith(golden.APPLICANT_ID[:4]) and "*" in s for s in said)
    expect(page.locator("#resume-code")).to_contain_text(code)
    assert any(code in s for s in said) and not any("****-****" in s for s in said)  # where it was first said
    # the open question comes last, and is answered as before
    expect(page.locator(".msg.bot").last).to_contain_text("地址")
    type_in(page, "海珠区江南大道中100号", "健康信息")
    page.screenshot(path=str(OUTPUT / "webchat-after-reload.png"), full_page=True)
    first.close()

    # another device: no cookie; the code brings the application and what was said with it
    second = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = second.new_page()
    page.goto(f"{served.base_url}/chat#resume={code}")
    bot_says(page, "后四位")
    type_in(page, golden.PHONE[-4:], "核对成功")
    said = page.locator(".msg.earlier").all_inner_texts()
    assert "陈美玲" in said and "海珠区" in said and "海珠区江南大道中100号" in said
    assert page.locator("#log").inner_text().index("陈美玲") < page.locator("#log").inner_text().index("核对成功")
    expect(page.locator(".msg.bot").last).to_contain_text("健康信息")
    page.reload()  # and this device remembers it too
    bot_says(page, "健康信息")
    assert "陈美玲" in page.locator(".msg.earlier").all_inner_texts()
    expect(page.locator("#resume-code")).to_contain_text(code)
    page.screenshot(path=str(OUTPUT / "webchat-resumed-elsewhere.png"), full_page=True)
    second.close()
