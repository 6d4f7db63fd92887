"""The intake page as a caseworker reads it: their language only, the summary first, reasons before
citations, about two screens for a three-person household, labels as the questions asked them."""
from __future__ import annotations

import re

from dialogs.texts import t
from tests.browser.conftest import OUTPUT
from tests.browser.test_console import sign_in

WIDTH = 1280
TWO_SCREENS = 1800  # px at 1280 wide
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{3,}(?:[ ,]+[A-Za-z]{2,}){2,}")  # three English words in a row


def test_the_intake_page_reads_for_a_caseworker_in_chinese_and_english(served, browser, resident):
    intake_id = resident.apply()  # the golden three-person household, in Chinese
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(locale="zh-CN", viewport={"width": WIDTH, "height": 900})
    sign_in(page, served)
    for locale in ("zh", "en"):
        page.goto(f"{served.base_url}/console/intakes/{intake_id}?lang={locale}")
        page.wait_for_load_state()
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"{locale}: {height} px tall at {WIDTH} wide")
        page.screenshot(path=str(OUTPUT / f"console-intake-{locale}.png"), full_page=True)
        assert height <= TWO_SCREENS
        # the summary card comes first
        cards = page.locator("main section.card")
        assert cards.first.get_attribute("id") == "summary"
        assert page.locator("#summary").bounding_box()["y"] < page.locator("#answers").bounding_box()["y"]
        # each rule's reason reads plainly; its sources are folded under it
        prescreen = page.locator("#prescreen")
        prescreen.locator("details:not(.sources) > summary").first.click()
        rules = prescreen.locator("table.checks tr")
        assert rules.count() >= 5
        assert prescreen.locator("table.checks details.sources").count() >= rules.count() - 1
        shown = prescreen.inner_text()
        assert "依据：" not in shown and "Source:" not in shown and "【" not in shown
        prescreen.locator("table.checks details.sources > summary").first.click()
        prescreen.screenshot(path=str(OUTPUT / f"console-intake-rules-{locale}.png"))
        folded = prescreen.locator("table.checks details.sources").first.text_content()
        assert ("《" in folded) if locale == "zh" else ("Source" in folded or "《" in folded)
        # labels say what the questions and their options said
        labels = page.locator("#answers dt").all_inner_texts()
        assert t(locale, "opt.sources.transfers") in labels and t(locale, "opt.kinds.medical") in labels
        # every button the resident pressed reads as its label, never as its value
        page.locator("#transcript summary").click()
        transcript = page.locator("#transcript").inner_text()
        assert not re.search(r"(?<![\w.-])_[a-z]+", transcript)
        assert t(locale, "opt.done") in transcript or t("zh", "opt.done") in transcript
        if locale == "zh":
            # nothing but Chinese where the caseworker reads: no English notes, not even folded away
            # (a charity's sources keep their own titles, some of them English articles)
            for where in ("#summary", "#answers", "#prescreen", "#referrals .match > p"):
                for everything in page.locator(where).all_text_contents():
                    assert not ENGLISH_PHRASE.search(everything), (where, ENGLISH_PHRASE.search(everything))


def test_a_resident_who_wrote_of_a_crisis_is_flagged_on_the_page_with_their_words(served, browser, resident):
    golden_words = "我在化疗，丈夫失业，孩子上学，家里很困难。"
    from tests import golden
    steps = [(kind, "家里已经断粮了，孩子三天没吃饱饭。" if value == golden_words else value)
             for kind, value in golden.steps("zh")]
    for kind, value in steps:
        resident.send(kind, value)
    intake_id = resident.last["state"]["intake_id"]
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(locale="zh-CN", viewport={"width": WIDTH, "height": 900})
    sign_in(page, served)
    page.goto(f"{served.base_url}/console/intakes/{intake_id}")
    note = page.locator("#statement-note")
    assert note.is_visible() and note.bounding_box()["y"] < page.locator("#urgency").bounding_box()["y"]
    assert "请尽快联系居民：断粮" in note.inner_text() and "「家里已经断粮了，孩子三天没吃饱饭」" in note.inner_text()
    assert "紧急" in page.inner_text("#summary")
    page.screenshot(path=str(OUTPUT / "console-intake-crisis-zh.png"))
    page.goto(f"{served.base_url}/console/queue")
    row = page.locator(f'table.queue tr[data-intake="{intake_id}"]')
    assert "居民自述：「家里已经断粮了，孩子三天没吃饱饭」（断粮）" in row.inner_text()
