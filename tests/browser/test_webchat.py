"""The web chat in a phone-sized headless Chromium: greeting and language choice, the browser's language, the
whole page localised, a question answered and the same step asked again."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def open_chat(browser, served, locale: str):
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.goto(served.base_url + "/")
    return context, page


def bot_says(page, words: str):
    expect(page.locator(".msg.bot", has_text=words).last).to_be_visible(timeout=10_000)


def test_a_chinese_browser_gets_a_chinese_greeting_with_a_language_choice(served, browser):
    context, page = open_chat(browser, served, "zh-CN")
    try:
        greeting = page.locator("#greeting")
        expect(greeting).to_contain_text("请选择语言")
        expect(greeting.get_by_role("button", name="中文")).to_be_enabled()
        expect(greeting.get_by_role("button", name="English")).to_be_enabled()
        expect(page.locator("#send")).to_have_text("发送")
        expect(page.locator("#attach-text")).to_contain_text("附件")
        bot_says(page, "请选择您要办理的事项")
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
    finally:
        context.close()


def test_an_english_browser_gets_english_from_the_first_message(served, browser):
    context, page = open_chat(browser, served, "en-GB")
    try:
        expect(page.locator("#greeting")).to_contain_text("Please choose a language")
        bot_says(page, "Please choose what you would like to do")
        expect(page.locator("#send")).to_have_text("Send")
        expect(page.locator("#text")).to_have_attribute("placeholder", re.compile("Type your answer"))
        expect(page.locator("#attach-text")).to_contain_text("Attach")
        assert page.title().startswith("Shanqiao")
        body = page.locator("body").inner_text()
        assert not re.search(r"[\u4e00-\u9fff]", body.replace("中文", "")), body  # not a Chinese word on the page
    finally:
        context.close()


def test_choosing_english_switches_the_page_and_the_conversation(served, browser):
    context, page = open_chat(browser, served, "zh-CN")
    try:
        bot_says(page, "请选择您要办理的事项")
        page.locator("#greeting").get_by_role("button", name="English").click()
        bot_says(page, "continue in English")
        expect(page.locator("#send")).to_have_text("Send")
        page.locator(".msg.bot").last.get_by_role("button", name="Start an application").click()
        bot_says(page, "income and assets")
        page.get_by_role("button", name="I agree, continue").click()
        bot_says(page, "name")
        page.fill("#text", "What is the dibao standard")
        page.press("#text", "Enter")
        bot_says(page, "back to where we were")
        expect(page.locator(".msg.bot").last).to_contain_text("name")
    finally:
        context.close()


def test_typed_labels_and_the_receipts_question_on_the_web(served, browser):
    context, page = open_chat(browser, served, "zh-CN")
    try:
        bot_says(page, "请选择您要办理的事项")
        for typed, then in [("开始申请", "收入和财产"), ("同意并继续", "姓名"), ("看病花的钱怎么算", "我们回到刚才的问题"),
                            ("陈美玲", "身份证")]:
            page.fill("#text", typed)
            page.press("#text", "Enter")
            bot_says(page, then)
        page.fill("#text", "440104197811052213")
        page.press("#text", "Enter")
        bot_says(page, "电话")
        assert "/status" not in page.locator("body").inner_text()
    finally:
        context.close()
