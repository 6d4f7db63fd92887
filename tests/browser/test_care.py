"""The web chat for everyone, in a phone-sized Chromium: axe (WCAG 2.0/2.1/2.2 A and AA) finds nothing at the
start, at an option question, at an amount question answered wrongly, at the receipt step, at the pre-screen
result after filing and on the resume page, in the standard page and in 长辈版; in 长辈版 text is ≥ 18 px
(≥ 30 px at the largest), every control ≥ 60 × 60 px, lines ≥ 1.3; a whole application is made with the
keyboard alone, focus always showing and never under the input bar; a message read meanwhile leaves the
open question as it was; the page reflows at 320 px (a 640 px window at 200 % zoom); codes and digits can be
pasted; 朗读 plays audio in Mandarin, Cantonese and English,
and falls back to the browser's own voice, or says in words that it cannot read. The console's queue, intake
page and decision panel pass the same audit."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from bot import webchat
from tests import golden
from tests.browser.conftest import OUTPUT
from tests.browser.test_console import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
CODE = re.compile(r"续办码：([0-9A-Z]{4}-[0-9A-Z]{4})")
AXE = Axe()
STEPS = golden.steps()
AMOUNT_STEP = STEPS.index(("text", "2.4万"))  # the wages amount comes next
RECEIPTS_DONE = max(i for i, (kind, _) in enumerate(STEPS) if kind == "file") + 1  # both receipts sent
CONTROLS = "button:visible, #help, label.file, #text"
RESULT = "初步结果"  # the pre-screen result, said once the application is filed


@pytest.fixture(autouse=True)
def whole_applications(monkeypatch):
    """Room for a whole application in a test: the page's 30 messages a minute per resident is far above
    typing speed, but a test answers faster than anyone types."""
    monkeypatch.setattr(webchat, "RATE_BURST", 200)


@contextmanager
def phone(browser, url: str, locale: str = "zh-CN", **options):
    """A new device (its own cookie and storage) with the chat open at `url`."""
    context = browser.new_context(viewport=PHONE, locale=locale, **options)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


def bot_says(page, words: str):
    expect(page.locator(".msg.bot", has_text=words).last).to_be_visible(timeout=10_000)


def audit(page, where: str) -> None:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert results.violations_count == 0, f"{where}:\n{results.generate_report()}"


def elder_sizes(page, *, text: float = 18) -> None:
    """Body text, line height and the size of every control the resident can press, as the browser drew them."""
    measured = page.evaluate("""selector => {
        const box = e => e.getBoundingClientRect();
        const style = e => getComputedStyle(e);
        return {
          texts: [...document.querySelectorAll('.msg, .options button, #text')].map(e => ({
              size: parseFloat(style(e).fontSize),
              line: parseFloat(style(e).lineHeight) / parseFloat(style(e).fontSize),
              what: e.textContent.slice(0, 20)})),
          controls: [...document.querySelectorAll(selector)].filter(e => box(e).width > 0).map(e => ({
              w: box(e).width, h: box(e).height, what: e.id || e.textContent.slice(0, 20)})),
        };
    }""", CONTROLS.replace(":visible", ""))
    assert measured["texts"] and measured["controls"]
    for t in measured["texts"]:
        assert t["size"] >= text and t["line"] >= 1.3, t
    for c in measured["controls"]:
        assert c["w"] >= 60 and c["h"] >= 60, c


def reflows(page) -> None:
    """At 320 px wide (a 640 px window at 200 % zoom, or 1280 px at 400 %) nothing is cut off or needs
    sideways scrolling."""
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, width
        outside = page.evaluate("""() => [...document.querySelectorAll('button, a, input, label, .msg')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > 320); })
            .map(e => e.id || e.textContent.slice(0, 20))""")
        assert outside == []
    finally:
        page.set_viewport_size(PHONE)


def focused(page) -> dict | None:
    """The focused control, where it is drawn and whether its focus ring shows; None on the page itself."""
    return page.evaluate("""() => { const e = document.activeElement, form = document.getElementById('composer');
        if (!e || e === document.body) return null;
        const drawn = e.id === 'file' ? e.closest('label') : e;  // the file picker shows focus on its label
        const r = drawn.getBoundingClientRect(), s = getComputedStyle(drawn);
        return {what: e.id || e.textContent.trim().slice(0, 30), enabled: !e.disabled, inBar: form.contains(e),
                top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
                vw: innerWidth, vh: innerHeight, bar: form.getBoundingClientRect().top,
                ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }""")


def in_sight(place: dict) -> None:
    """A focused control is drawn, inside the window, above the input bar (unless in it), with its ring."""
    assert place["width"] > 0 and place["ring"], place
    assert place["top"] >= 0 and place["left"] >= 0 and place["right"] <= place["vw"] + 1, place
    assert place["bottom"] <= (place["vh"] if place["inBar"] else place["bar"]) + 1, place


def key(page, name: str) -> dict | None:
    page.keyboard.press(name)
    place = focused(page)
    if place is not None:
        in_sight(place)
    return place


def focus_stays_in_sight(page) -> None:
    """Tab through every control: each one that gets focus is on screen and not under the fixed input bar."""
    count = page.locator("button:enabled:visible, a:visible, input").count()
    page.locator("body").focus()
    for _ in range(count + 2):
        key(page, "Tab")


def press_by_keyboard(page, name: str) -> None:
    """Tab to the newest enabled button called `name` and press Enter, as a resident without a mouse does."""
    for _ in range(page.locator("button:enabled:visible, a:visible, input").count() + 2):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == name:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"no button {name!r} reached with Tab")


def upload(page, name: str) -> None:
    content_type, data = golden.RECEIPTS[name]
    page.set_input_files("#file", files=[{"name": name, "mimeType": content_type, "buffer": data}])


def fast_forward(page, steps) -> None:
    """Golden steps through the page's own sending code (what pressing the buttons and typing do)."""
    for kind, value in steps:
        if kind == "file":
            with page.expect_response("**/web/chat"):
                upload(page, value)
        else:
            page.evaluate("([kind, value]) => send({[kind]: value})", [kind, value])


class Keyboard:
    """A resident who answers with the keyboard only: Tab and Shift+Tab to an answer, Enter or Space to press
    it, typing in the text field; every focus on the way is checked with `in_sight`. Buttons are found by the
    labels the page shows (the values of the golden steps are looked up in the page's last answer)."""

    def __init__(self, page) -> None:
        self.page, self.labels = page, {}
        page.on("response", self._options)

    def _options(self, response) -> None:
        if response.url.endswith("/web/chat") and response.ok:
            for reply in response.json().get("replies", []):
                self.labels.update({o["value"]: o["label"] for o in reply.get("options", [])})

    def _turn(self, act) -> None:
        """`act` sends one message; wait for the answer to it to be shown (not just for something read
        meanwhile, which the page fetches on its own)."""
        self.page.evaluate("document.querySelectorAll('.msg.bot').forEach(m => m.dataset.before = '1')")
        with self.page.expect_response("**/web/chat") as answered:
            act()
        last = answered.value.json()["replies"][-1]["text"]
        self.page.wait_for_function("""text => [...document.querySelectorAll('.msg.bot:not([data-before])')]
            .some(m => m.textContent.startsWith(text))""", arg=last)

    def _reach(self, wanted) -> None:
        place = focused(self.page)
        back = bool(place and place["inBar"])  # from the text field, the answers are just behind it
        for _ in range(80):
            if place and place["enabled"] and wanted(place["what"]):
                return
            place = key(self.page, "Shift+Tab" if back else "Tab")
        raise AssertionError(f"not reached with the keyboard; focus ends at {place}")

    def press(self, value: str, with_key: str = "Enter") -> None:
        label = self.labels[value]
        self._reach(lambda what: what == label)
        self._turn(lambda: self.page.keyboard.press(with_key))
        place = focused(self.page)
        assert place is not None, "focus fell back to the page after an answer"
        in_sight(place)

    def type(self, text: str) -> None:
        self._reach(lambda what: what == "text")
        self.page.keyboard.type(text)
        self._turn(lambda: self.page.keyboard.press("Enter"))

    def attach(self, name: str) -> None:
        content_type, data = golden.RECEIPTS[name]
        self._reach(lambda what: what == "file")
        with self.page.expect_file_chooser() as chooser:
            self.page.keyboard.press("Space")
        self._turn(lambda: chooser.value.set_files(files=[{"name": name, "mimeType": content_type, "buffer": data}]))

    def step(self, kind: str, value: str) -> None:
        if kind == "option":
            self.press(value, "Space" if value.startswith("_") else "Enter")  # both keys press a button
        else:
            {"text": self.type, "file": self.attach}[kind](value)


def read_aloud(page, message, lang: str) -> None:
    """Press 朗读 on `message`: the page asks for it in `lang` and gets WAV audio back."""
    heard = []

    def through(route):
        response = route.fetch()
        heard.append((route.request.post_data_json, response.status, response.headers, response.body()))
        route.fulfill(response=response)

    page.route("**/web/speech", through)
    try:
        with page.expect_response("**/web/speech"):
            message.locator("button.read").click()
    finally:
        page.unroute("**/web/speech")
    (asked, status, headers, audio), = heard
    assert asked["lang"] == lang and asked["text"]
    assert status == 200 and headers["content-type"] == "audio/wav"
    assert audio[:4] == b"RIFF" and len(audio) > 20_000


# a stand-in for the browser's speech synthesis with the given voices, recording what it is asked to say
BROWSER_VOICES = """voices => {
    window.spoken = [];
    const synth = {getVoices: () => voices, cancel: () => {}, addEventListener: () => {},
                   speak: u => { window.spoken.push({text: u.text, lang: u.lang});
                                 setTimeout(() => u.onend && u.onend(), 0); }};
    Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
    window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
}"""


def reads_without_the_server(page, message) -> None:
    """The server cannot speak (espeak-ng missing: 503): 朗读 uses the browser's Chinese voice; a browser
    without one says in words that reading aloud is not available."""
    page.route("**/web/speech", lambda route: route.fulfill(status=503, body="{}"))
    try:
        page.evaluate(BROWSER_VOICES, [{"lang": "en-GB", "name": "English"}, {"lang": "zh-CN", "name": "普通话"}])
        message.locator("button.read").click()
        page.wait_for_function("() => window.spoken.length > 0")
        (said,) = page.evaluate("window.spoken")
        assert said["lang"] == "zh-CN" and said["text"][:10] in message.inner_text(), said
        expect(message.locator(".note")).to_have_count(0)
        page.evaluate(BROWSER_VOICES, [{"lang": "en-GB", "name": "English"}])
        message.locator("button.read").click()
        expect(message.locator(".note")).to_have_text(re.compile("不能朗读"))
        assert page.evaluate("window.spoken") == []
    finally:
        page.unroute("**/web/speech")


def apply_until_the_amount(page, name: str) -> str:
    """长辈版: start, the consent option question, the first answers, the wages amount answered wrongly;
    the resume code."""
    bot_says(page, "请选择您要办理的事项")
    audit(page, f"{name}: start")
    elder_sizes(page)
    reflows(page)
    press_by_keyboard(page, "开始申请")
    bot_says(page, "收入和财产")
    audit(page, f"{name}: an option question")
    page.screenshot(path=str(OUTPUT / f"webchat-{name}-question.png"))
    elder_sizes(page)
    page.click("#bigger")
    elder_sizes(page, text=30)
    reflows(page)
    page.screenshot(path=str(OUTPUT / "webchat-elder-largest.png"))
    page.click("#bigger")
    focus_stays_in_sight(page)
    press_by_keyboard(page, "同意并继续")
    bot_says(page, "姓名")
    fast_forward(page, STEPS[3:6])
    code = CODE.search(page.locator(".msg.bot", has_text="续办码").last.inner_text()).group(1)
    fast_forward(page, STEPS[6:AMOUNT_STEP])
    bot_says(page, "工资一共多少")
    wrong_amount(page, name, lambda: (page.fill("#text", "很多钱"), page.press("#text", "Enter")))
    elder_sizes(page)
    focus_stays_in_sight(page)
    return code


def wrong_amount(page, name: str, answer) -> None:
    """A wrong answer at the wages amount is told in words what went wrong and how to write it."""
    before = page.locator(".msg.bot").count()
    answer()
    expect(page.locator(".msg.bot").nth(before)).to_be_visible(timeout=10_000)
    page.wait_for_load_state("networkidle")
    told = "\n".join(page.locator(".msg.bot").all_inner_texts()[before:])
    assert "3千" in told and "工资" in told, told
    audit(page, f"{name}: an amount question after a wrong answer")
    reflows(page)
    page.screenshot(path=str(OUTPUT / f"webchat-{name}-amount.png"))


def at_the_receipts(page, name: str) -> None:
    bot_says(page, "票据")
    page.screenshot(path=str(OUTPUT / f"webchat-{name}-receipts.png"))
    audit(page, f"{name}: the receipt step")
    reflows(page)


def at_the_result(page, name: str) -> None:
    bot_says(page, RESULT)
    page.screenshot(path=str(OUTPUT / f"webchat-{name}-filed.png"))  # what the resident sees when it comes
    audit(page, f"{name}: the pre-screen result")
    reflows(page)
    page.locator(".msg.bot", has_text=RESULT).last.screenshot(path=str(OUTPUT / f"webchat-{name}-result.png"))


def resume_with_pasted_digits(browser, served, code: str, elder: bool, name: str) -> None:
    """Another device opens the resume link (长辈版) or has the code pasted in; the last four digits of the
    phone are pasted, not typed."""
    url = served.base_url + ("/chat?elder=1" if elder else "/chat") + (f"#resume={code}" if elder else "")
    with phone(browser, url, permissions=["clipboard-read", "clipboard-write"]) as page:
        if not elder:
            bot_says(page, "请选择您要办理的事项")
            page.evaluate("words => navigator.clipboard.writeText(words)", f"继续 {code}")
            page.focus("#text")
            page.keyboard.press("Control+V")
            expect(page.locator("#text")).to_have_value(f"继续 {code}")
            page.press("#text", "Enter")
        bot_says(page, "后四位")
        audit(page, f"{name}: the resume page")
        if elder:
            elder_sizes(page)
        page.evaluate("digits => navigator.clipboard.writeText(digits)", golden.PHONE[-4:])
        page.focus("#text")
        page.keyboard.press("Control+V")
        expect(page.locator("#text")).to_have_value(golden.PHONE[-4:])
        page.press("#text", "Enter")
        bot_says(page, "核对成功")


def test_elder_mode_is_large_accessible_remembered_and_reads_aloud(served, browser):
    OUTPUT.mkdir(exist_ok=True)
    with phone(browser, served.base_url + "/chat?elder=1") as page:
        expect(page.locator("#elder")).to_have_attribute("aria-pressed", "true")
        assert "elder" in page.evaluate("document.documentElement.className")
        code = apply_until_the_amount(page, "elder")

        question = page.locator(".msg.bot.current")
        expect(question).to_contain_text("3千")
        read_aloud(page, question, "zh")
        page.click("#voice")
        read_aloud(page, question, "yue")
        page.click("#voice")
        reads_without_the_server(page, question)
        # read as they arrive once the resident asks for it: the current question at once, then each new one
        with page.expect_response("**/web/speech"):
            page.click("#autoread")
        with page.expect_request(lambda r: r.url.endswith("/web/speech") and "亲友" in r.post_data_json["text"]):
            page.fill("#text", "2.4万")
            page.press("#text", "Enter")
        page.click("#autoread")

        # on to the receipts and the pre-screen result, as large and as accessible
        fast_forward(page, STEPS[AMOUNT_STEP + 1:RECEIPTS_DONE])
        at_the_receipts(page, "elder")
        elder_sizes(page)
        # something read meanwhile comes without answers of its own: the open question keeps its answers
        # and its frame, and the screen stays where it is
        # (the page's own fetch of waiting messages is held back meanwhile, so this one is the only one)
        page.route("**/web/messages", lambda route: route.fulfill(json={"replies": []}))
        where = page.evaluate("scrollY")
        page.evaluate("show([{text: '有1张票据没能识别出金额。', options: []}], true)")
        bot_says(page, "有1张票据没能识别出金额。")
        expect(page.locator(".msg.bot.current").get_by_role("button", name="发送完毕")).to_be_enabled()
        assert page.evaluate("scrollY") == where
        page.unroute("**/web/messages")
        fast_forward(page, STEPS[RECEIPTS_DONE:])
        at_the_result(page, "elder")
        elder_sizes(page)
        # the long result shows its first lines; the rest is one press away, and read aloud whole
        result = page.locator(".msg.bot", has_text=RESULT).last
        words = result.locator(".words")
        assert words.evaluate("e => e.scrollHeight > e.clientHeight + 100")
        more = result.get_by_role("button", name="展开全文")
        expect(more).to_have_attribute("aria-expanded", "false")
        more.click()
        expect(result.get_by_role("button", name="收起")).to_have_attribute("aria-expanded", "true")
        assert words.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
        audit(page, "elder: the pre-screen result unfolded")

        # remembered on the device: the plain address opens 长辈版 again, and the switch turns it off
        again = page.context.new_page()
        again.goto(served.base_url + "/chat")
        expect(again.locator("#elder")).to_have_attribute("aria-pressed", "true")
        expect(again.locator("#autoread")).to_have_attribute("aria-pressed", "false")
        again.click("#elder")
        assert "elder" not in again.evaluate("document.documentElement.className")
        expect(again.locator("#autoread")).to_be_hidden()
        again.close()
        resume_with_pasted_digits(browser, served, code, True, "elder")


def test_a_whole_application_by_keyboard_alone_on_the_standard_page(served, browser):
    """Tab, Shift+Tab, Enter, Space and typing only, from the first screen to the filed application and its
    resume code; at every focus the control shows its ring, inside the window and above the input bar."""
    OUTPUT.mkdir(exist_ok=True)
    with phone(browser, served.base_url + "/chat") as page:
        expect(page.get_by_role("button", name="大字版 / 长辈版")).to_be_visible()
        expect(page.get_by_role("link", name="找人工 / 打电话 12345")).to_have_attribute("href", "tel:12345")
        expect(page.locator("#attach")).to_have_text("附件")
        expect(page.get_by_role("log")).to_be_attached()
        bot_says(page, "请选择您要办理的事项")
        audit(page, "standard: start")
        reflows(page)
        resident = Keyboard(page)
        resident.labels.update(start="开始申请")  # the first question came before the resident's first key
        page.locator("body").focus()
        for n, (kind, value) in enumerate(STEPS[1:], start=1):  # the page itself says the first hello
            if (kind, value) == ("text", "2.4万"):
                wrong_amount(page, "standard", lambda: resident.type("很多钱"))
            resident.step(kind, value)
            if n == 1:
                bot_says(page, "收入和财产")
                audit(page, "standard: an option question")
                page.screenshot(path=str(OUTPUT / "webchat-standard-question.png"))
            if n == RECEIPTS_DONE - 1:
                at_the_receipts(page, "standard")
        at_the_result(page, "standard")
        said = "\n".join(page.locator(".msg.bot").all_inner_texts())
        code = CODE.search(said).group(1)
        assert "申请已提交" in said, said[-400:]
    resume_with_pasted_digits(browser, served, code, False, "standard")


def test_english_start_reads_aloud_and_the_audit_finds_faults(served, browser):
    with phone(browser, served.base_url + "/chat", "en-GB") as page:
        bot_says(page, "Please choose what you would like to do")
        audit(page, "English start")
        # the audit can fail: a field without a label and grey on grey text are found
        page.evaluate("""() => { const i = document.createElement('input'); i.type = 'text';
            const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#ccc';
            document.getElementById('log').append(i, p); }""")
        results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
        found = {violation["id"] for violation in results.response["violations"]}
        assert {"label", "color-contrast"} <= found, found
        page.evaluate("document.querySelectorAll('#log > input, #log > p').forEach(e => e.remove())")
        read_aloud(page, page.locator(".msg.bot").last, "en")


def test_the_console_queue_an_intake_page_and_the_decision_panel_are_accessible(served, browser, resident):
    intake_id = resident.apply()
    page = browser.new_page(locale="zh-CN", viewport={"width": 1200, "height": 900})
    refused = []  # what the console's content security policy blocked, as the browser logs it
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    try:
        sign_in(page, served)
        expect(page.locator(f'tr[data-intake="{intake_id}"]')).to_be_visible()
        audit(page, "console queue")
        page.click("#claim-next")
        page.wait_for_url(f"**/console/intakes/{intake_id}")
        audit(page, "console intake page")
        # every decision open at once: accept, reject, ask for more, close
        page.evaluate("document.querySelectorAll('#decide details').forEach(d => d.open = true)")
        expect(page.locator("#decide details[open]")).to_have_count(page.locator("#decide details").count())
        audit(page, "console decision panel")
        assert refused == []
    finally:
        page.close()
