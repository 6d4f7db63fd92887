"""A phone worker in headless Chromium takes the golden application for a caller with the keyboard alone."""
from __future__ import annotations

import asyncio
import re
import threading

import pytest

from bot.wiring import build_services
from tests import golden
from tests.bot.conftest import make_settings
from tests.bot.test_phone import chat_api_intake, comparable
from tests.browser.conftest import OUTPUT, PASSWORD

pytestmark = pytest.mark.browser
STAFF = "liu"


def served_settings(tmp_path):
    """The settings the `served` app runs with (its database file under the test's directory)."""
    return make_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}")


async def _with_services(settings, work):
    services = await build_services(settings)
    try:
        return await work(services)
    finally:
        await services.aclose()


def on_the_side(settings, work):
    """Run `work(services)` on the running app's database from a thread of its own (Playwright holds this one's loop)."""
    out = {}
    thread = threading.Thread(target=lambda: out.update(result=asyncio.run(_with_services(settings, work))))
    thread.start()
    thread.join(timeout=60)
    return out["result"]


@pytest.fixture
def reference(tmp_path):
    """The golden application sent over the HTTP chat API, in an app and database of its own."""
    return asyncio.run(chat_api_intake(tmp_path / "reference"))


@pytest.fixture
def desk_account(served, tmp_path):
    """A phone-desk account (role staff) on the running app."""
    asyncio.run(_with_services(served_settings(tmp_path), lambda s: s.intakes.add_user(STAFF, "staff", PASSWORD)))
    return STAFF


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def tab_to(page, element_id: str, limit: int = 40) -> None:
    """Press Tab until the element has the focus."""
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def enter(page, keys: str = "Enter") -> None:
    """Press a key that sends a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(keys)


def step(page) -> str:
    return page.get_attribute("#call", "data-step") or ""


def answer(page, text: str) -> None:
    """Type into the answer field, which has the focus on every question, and send with Enter."""
    assert focused(page) == "answer", (step(page), focused(page))
    page.keyboard.type(text)
    enter(page)


def pick(page, value: str) -> None:
    """Pick an option by typing its number, as read from the button."""
    number = page.get_attribute(f'#options-form button[value="{value}"]', "data-number")
    assert number, (step(page), value)
    answer(page, number)


def upload(page, name: str) -> None:
    """Tab to the file field, give it the receipt, Tab to the upload button, Enter."""
    tab_to(page, "receipt-file")
    content_type, data = golden.RECEIPTS[name]
    page.locator("#receipt-file").set_input_files(files=[{"name": name, "mimeType": content_type, "buffer": data}])
    page.keyboard.press("Tab")
    assert focused(page) == "upload"
    enter(page)


def sign_in(page, served) -> None:
    page.goto(f"{served.base_url}/console/phone")
    assert "/console/login" in page.url
    tab_to(page, "name")
    page.keyboard.type(STAFF)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    enter(page)
    assert page.url.endswith("/console/phone")


def test_a_phone_worker_takes_the_golden_application_by_keyboard(reference, served, desk_account, browser, tmp_path):
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    sign_in(page, served)

    assert focused(page) == "start"  # phone line, in Chinese: the defaults
    enter(page)
    number = re.search(r"number=([PS]\d{6}-\w{5})", page.url).group(1)
    assert step(page) == "consent" and "民政部门会依法核对" in page.inner_text("#script")
    assert "一共8个部分" in page.inner_text("#notices")  # the intro in words to say

    steps = golden.steps()[2:]
    for index, (kind, value) in enumerate(steps):
        here = step(page)
        if here == "applicant.district":
            assert page.inner_text("#progress-line") == "1/8 申请人信息"
            assert page.locator("#progress li.current").inner_text().startswith("1")
            page.screenshot(path=str(OUTPUT / "phone-question-with-options.png"), full_page=True)
            # the previous answer can be taken again: Alt+B goes back, the phone number is typed once more
            enter(page, "Alt+b")
            assert step(page) == "applicant.phone"
            answer(page, golden.PHONE)
            assert step(page) == "applicant.district"
        if here == "income.wages":
            # the caller asks a policy question: Alt+K, type, Enter, read the answer, Esc back to the call
            page.keyboard.press("Alt+k")
            assert focused(page) == "kb-q"
            page.keyboard.type("孩子的学费算不算刚性支出？")
            page.keyboard.press("Enter")
            page.locator("#kb-results .kb-answer").wait_for()
            assert "学费" in page.inner_text("#kb-results")
            page.keyboard.press("Escape")
            assert focused(page) == "answer" and step(page) == "income.wages"
        if kind == "file":
            upload(page, value)
            assert "收到，正在识别" in page.inner_text("#notices")  # read in the background, offered after
        elif kind == "text":
            answer(page, value)
        else:
            if value == "confirm":
                assert step(page) == "summary" and page.is_visible("#verify")
                assert golden.APPLICANT_ID in page.inner_text("#verify")
                page.screenshot(path=str(OUTPUT / "phone-summary.png"), full_page=True)
                enter(page, "Alt+v")
                assert "已由 liu 核实来电人" in page.inner_text("#verified")
            pick(page, value)
        assert not page.is_visible("#flash"), (index, kind, value, page.inner_text("#flash"))

    submitted = page.inner_text("#submitted")
    intake_id = int(re.search(r"申请编号 (\d+)", submitted).group(1))
    assert number in submitted

    async def stored(services):
        record = await services.intakes.get(intake_id)
        await services.queue.relay()
        return record, await services.queue.claim_next("wang")

    record, claim = on_the_side(served_settings(tmp_path), stored)
    assert claim is not None and claim.intake_id == intake_id  # queued for a caseworker
    golden.check_application(record.application)
    assert comparable(record) == comparable(reference)
    assert (record.channel, record.user_id, record.staff_id) == ("phone", number, STAFF)
    assert {a.entered_by for a in record.answers} == {STAFF}
