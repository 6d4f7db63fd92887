"""The resident's pre-screen on the web chat, zh and en: each condition one line with the household's
figure, the line, its day and the margin; the age of the standards said once. Screenshots go to
test-output/ for a person to look at."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import golden
from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
HEADING = {"zh": "初步结果", "en": "Preliminary result"}


@pytest.fixture
def quick_typist(monkeypatch):
    """The whole application in well under a minute is faster than the page lets a person type (30
    messages a minute): the limit is raised for this resident, before the app starts."""
    from bot import webchat

    monkeypatch.setattr(webchat, "RATE_BURST", 200)


@pytest.mark.parametrize("locale, browser_locale", [("zh", "zh-CN"), ("en", "en-GB")])
def test_the_pre_screen_a_resident_reads(quick_typist, served, browser, locale, browser_locale):
    context = browser.new_context(viewport=PHONE, locale=browser_locale)
    page = context.new_page()
    try:
        page.goto(served.base_url + "/")
        expect(page.locator(".msg.bot").last).to_be_visible(timeout=10_000)
        for kind, value in golden.steps(locale):
            if kind == "file":
                continue  # receipts are optional; the page's own send() carries the rest
            page.evaluate("async body => { await send(body); }", {kind: value})
        summary = page.locator(".msg.bot", has_text=HEADING[locale]).last
        expect(summary).to_be_visible(timeout=10_000)
        text = summary.inner_text()
        # every condition the resident reads is a verdict with their own figure; a met income line
        # says how much more income it allows, an advisory sentence says they may apply anyway
        if locale == "zh":
            assert "【符合】" in text and "再多" in text and "都可以提出申请" in text
            assert not re.search(r"[A-Za-z]{3,}", text)
            assert "待核实" not in text
        else:
            assert "[met]" in text and "Another" in text and "you may apply" in text
            assert "to be verified" not in text
        # the 2025 notice expired on 2026-06-01: said once, not after every figure
        assert len(re.findall(r"穗民规字〔2025〕2号", text)) <= 1
        # the page shows a long message's first lines; the resident opens it to read it all
        summary.get_by_role("button", name=re.compile("展开全文|Show all")).click()
        summary.scroll_into_view_if_needed()
        OUTPUT.mkdir(exist_ok=True)
        summary.screenshot(path=str(OUTPUT / f"prescreen-{locale}.png"))
        page.screenshot(path=str(OUTPUT / f"prescreen-{locale}-page.png"), full_page=False)
    finally:
        context.close()
