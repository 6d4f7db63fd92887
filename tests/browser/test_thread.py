"""A caseworker and a resident talk on the web chat through the intake's thread (three messages, with delivery
state and the 「居民有回复」 mark), then the document checklist asks the resident for what is missing in one click."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import golden
from tests.browser.conftest import CODE, OUTPUT, PHONE, bot_says, type_in
from tests.browser.test_console import sign_in

pytestmark = pytest.mark.browser
POLL_MS = 16_000  # the web chat asks for waiting messages every 15 s: its clock is moved on instead of waited for


def test_a_caseworker_and_a_resident_talk_on_the_web_chat_and_the_checklist_asks_for_the_missing(
        served, browser, resident):
    OUTPUT.mkdir(exist_ok=True)
    # the resident fills the application in a partner app up to the summary, then confirms it on the web chat
    steps = golden.steps()
    for index, (kind, value) in enumerate(steps[:-1]):
        resident.send(kind, value)
        if index == 5:  # the phone number brings the resume code
            code = CODE.search("\n".join(r["text"] for r in resident.last["replies"])).group(1)
    chat = browser.new_context(viewport=PHONE, locale="zh-CN")
    web = chat.new_page()
    web.clock.install()
    web.goto(f"{served.base_url}/chat#resume={code}")
    bot_says(web, "后四位")
    type_in(web, golden.PHONE[-4:], "核对成功")
    type_in(web, "确认提交", "申请已提交")
    intake_id = int(re.search(r"申请编号：(\d+)", web.locator(".msg.bot", has_text="申请已提交").last.inner_text()).group(1))

    # 1. the caseworker writes first: a canned reply and their own words, sent on the web chat
    console = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
    staff = console.new_page()
    sign_in(staff, served)
    staff.goto(f"{served.base_url}/console/intakes/{intake_id}")
    assert "网页聊天" in staff.inner_text("#thread")
    staff.click("#thread-compose > summary")  # folded while the thread is empty
    staff.select_option("#thread-canned", "received")
    staff.fill("#thread-text", "请问孩子在哪所学校上学？")
    staff.click("#thread-send")
    staff.wait_for_url(re.compile(rf".*/console/intakes/{intake_id}\?done=message_sent#thread$"))
    first = staff.locator("#thread li.staff").last
    expect(first.locator(".delivery")).to_have_text("已送达")

    web.clock.fast_forward(POLL_MS)
    bot_says(web, "请问孩子在哪所学校上学？")
    assert "正在审核" in web.locator(".msg.bot", has_text="请问孩子").last.inner_text()  # the canned words

    # 2. the resident just answers: it lands in the thread and marks the intake in the queue
    type_in(web, "在海珠区江南小学读四年级，谢谢您。", "已经转给处理您申请")
    web.screenshot(path=str(OUTPUT / "thread-webchat-reply.png"))
    staff.goto(f"{served.base_url}/console/queue?replied=1")
    row = staff.locator(f'tr[data-intake="{intake_id}"]')
    expect(row).to_contain_text("居民有回复")
    staff.screenshot(path=str(OUTPUT / "thread-queue-replied.png"))
    staff.goto(f"{served.base_url}/console/intakes/{intake_id}")
    said = staff.locator("#thread li.resident").last
    assert "江南小学读四年级，谢谢您。" in said.inner_text() and "居民" in said.inner_text()
    expect(first.locator(".delivery")).to_have_text("已读")  # answered after it
    expect(staff.locator("#thread-replied")).to_be_visible()

    # 3. the caseworker answers; the mark goes, and the resident reads it (the page took it: read)
    staff.fill("#thread-text", "收到，谢谢。我们会尽快审核。")
    staff.click("#thread-send")
    staff.wait_for_url(re.compile(r".*done=message_sent#thread$"))
    expect(staff.locator("#thread-replied")).to_have_count(0)
    web.clock.fast_forward(POLL_MS)
    bot_says(web, "我们会尽快审核")
    web.reload()  # the conversation after a reload (GET /web/history) keeps the caseworker's words, once
    bot_says(web, "我们会尽快审核")
    expect(web.locator(".msg.bot", has_text="我们会尽快审核")).to_have_count(1)
    web.screenshot(path=str(OUTPUT / "thread-webchat.png"))
    staff.reload()
    expect(staff.locator("#thread li.staff").last.locator(".delivery")).to_have_text("已读")
    assert [t.strip() for t in staff.locator("#thread li p").all_inner_texts()][-1] == "收到，谢谢。我们会尽快审核。"
    staff.locator("#thread").screenshot(path=str(OUTPUT / "thread-console.png"))

    # the checklist: the pre-screen's programmes ask for materials; the receipts are in, the rest missing
    staff.click("#claim")
    staff.wait_for_url(re.compile(r".*done=claimed$"))
    checklist = staff.locator("#checklist")
    checklist.locator("#checklist-items > summary").click()  # folded: the counts show, the table opens
    expect(checklist.locator('tr[data-item="spending_receipts"] .cstate')).to_have_text("已收到")
    expect(checklist.locator('tr[data-item="identity"] .cstate')).to_have_text("缺")
    assert "未核实" in checklist.locator('tr[data-item="identity"]').inner_text()  # from the corpus, not checked
    bank = checklist.locator('tr[data-item="bank_account"]')
    bank.locator("details.mark > summary").click()
    bank.locator('input[name="reason"]').fill("已有低保发放账户，无需再交")
    bank.locator("button.waive").click()
    staff.wait_for_url(re.compile(r".*done=checklist_marked#checklist$"))
    expect(checklist.locator('tr[data-item="bank_account"] .cstate')).to_have_text("免交")
    missing = checklist.locator("tr.missing").count()
    assert missing >= 3
    checklist.screenshot(path=str(OUTPUT / "checklist.png"))
    staff.click("#checklist-request")
    staff.wait_for_url(re.compile(rf".*/console/intakes/{intake_id}\?done=requested$"))
    request = staff.locator("#thread li.request").last
    assert "身份证、户口簿" in request.inner_text() and "银行卡" not in request.inner_text()

    # the resident reads the request on the web chat and sends a photo of their ID card
    web.clock.fast_forward(POLL_MS)
    bot_says(web, "请拍照发来以下材料")
    asked = web.locator(".msg.bot", has_text="请拍照发来以下材料").last.inner_text()
    assert "身份证、户口簿" in asked and "银行卡" not in asked
    assert asked.count("\n") >= missing  # one line per missing item
    web.set_input_files("#file", files=[{"name": "身份证.jpg", "mimeType": "image/jpeg",
                                         "buffer": golden.RECEIPTS["receipt-hospital.jpg"][1]}])
    bot_says(web, "已收到")
    web.screenshot(path=str(OUTPUT / "checklist-webchat-request.png"))
    type_in(web, "发送完毕", "补充的信息已交给社工")

    # the caseworker ticks the ID card off against the file that came back
    staff.goto(f"{served.base_url}/console/intakes/{intake_id}?open=checklist#checklist")
    identity = checklist.locator('tr[data-item="identity"]')
    identity.locator("details.mark > summary").click()
    file_id = identity.locator('select[name="file_id"] option', has_text="身份证.jpg").get_attribute("value")
    identity.locator('select[name="file_id"]').select_option(file_id)
    identity.locator("button.mark-received").click()
    staff.wait_for_url(re.compile(r".*done=checklist_marked#checklist$"))
    expect(identity.locator(".cstate")).to_have_text("已收到")
    assert "身份证.jpg" in identity.inner_text()
    staff.screenshot(path=str(OUTPUT / "checklist-after.png"), full_page=True)
    chat.close()
    console.close()
