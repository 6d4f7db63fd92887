"""Phone and station staff run the same dialog for a caller: the whole golden application, verification,
back and edit, resuming, policy look-ups, and the intake it gives compared with one sent over the chat API."""
from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from bot.conversation import ConversationKey
from intake.models import IntakeStatus
from tests import golden
from tests.intake.console_harness import console_app

S = IntakeStatus
ASKED = re.compile(r'name="asked" value="(\d+)"')
OPTION = re.compile(r'name="option" value="([^"]*)" class="option" data-number="(\d+)"')
STEP = re.compile(r'data-step="([^"]*)"')
NUMBER = re.compile(r"number=([PS]\d{6}-[0-9A-Z]{5})")


class PhoneDesk:
    """A signed-in staff member on the phone intake page, sending what the caller says."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.number = ""
        self.html = ""
        self.error = ""

    async def start(self, channel: str = "phone", locale: str = "zh") -> str:
        response = await self.client.post("/console/phone/start", data={"csrf_token": self.client.csrf,
                                                                         "channel": channel, "locale": locale})
        assert response.status_code == 303, response.text
        self.number = NUMBER.search(response.headers["location"]).group(1)
        await self.look()
        return self.number

    async def look(self, **params: str) -> str:
        response = await self.client.get("/console/phone/call", params={"number": self.number, **params})
        assert response.status_code == 200, response.text
        self.html = response.text
        return self.html

    @property
    def asked(self) -> int:
        return int(ASKED.search(self.html).group(1))

    @property
    def step(self) -> str:
        return STEP.search(self.html).group(1)

    def options(self) -> dict[str, int]:
        """Option value -> the number staff type for it."""
        return {html.unescape(value): int(number) for value, number in OPTION.findall(self.html)}

    def says(self, words: str) -> bool:
        return words in html.unescape(self.html)

    async def send(self, path: str, *, files: Any = None, asked: int | None = None, **data: str) -> str:
        form = {"csrf_token": self.client.csrf, "number": self.number,
                "asked": str(self.asked if asked is None else asked), **data}
        response = await self.client.post(f"/console/phone/call/{path}", data=form, files=files)
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        self.error = location.partition("error=")[2]
        page = await self.client.get(location)
        assert page.status_code == 200, page.text
        self.html = page.text
        return self.error

    async def text(self, value: str) -> str:
        return await self.send("turn", text=value)

    async def option(self, value: str) -> str:
        return await self.send("turn", option=value)

    async def file(self, name: str) -> str:
        content_type, data = golden.RECEIPTS[name]
        return await self.send("files", files=[("file", (name, data, content_type))])

    async def verify(self) -> str:
        return await self.send("verify")

    async def replay(self, steps, *, typed_numbers: bool = False) -> None:
        """The caller's side of the golden application; options picked by value or by typing their number."""
        for kind, value in steps:
            if kind == "file":
                await self.file(value)
            elif kind == "text":
                await self.text(value)
            else:
                if value == "confirm" and self.error != "verify_first" and self.step == "summary":
                    assert await self.verify() == ""
                if typed_numbers:
                    assert await self.text(str(self.options()[value])) == ""
                else:
                    assert await self.option(value) == ""


async def phone_desk(harness, name: str = "liu", role: str = "staff") -> PhoneDesk:
    return PhoneDesk(await harness.staff(name, role))


def comparable(record) -> dict[str, Any]:
    """An intake without what differs by who typed it: channel, user, staff ids, file ids, times, numbers."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "file_id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return {
        "application": strip(record.application), "prescreen": record.prescreen, "locale": record.locale,
        "urgent": record.urgent, "status": record.status,
        "answers": [(a.path, a.value) for a in record.answers if not a.path.endswith(".file_id")],
        "attachments": [(a.name, a.content_type, a.size, a.expense_index) for a in record.attachments],
    }


async def chat_api_intake(tmp_path, locale: str = "zh"):
    """The same golden application sent by a resident over the HTTP chat API, in an app of its own."""
    async with console_app(tmp_path / "chat") as harness:
        _, intake_id = await harness.submit("reference", locale)
        return await harness.store.get(intake_id)


async def test_staff_take_the_golden_application_and_the_intake_is_the_chat_apis(tmp_path):
    reference = await chat_api_intake(tmp_path)
    async with console_app(tmp_path / "phone") as harness:
        desk = await phone_desk(harness)
        await desk.start()
        assert desk.step == "consent" and desk.says("民政部门会依法核对") and desk.options() == {"agree": 1, "disagree": 2}
        assert desk.says("一共8个部分") and not desk.says("发送「返回」")  # the intro, in words to say
        await desk.replay(golden.steps()[2:])
        assert desk.says("申请已提交") and desk.says(desk.number)
        intake_id = int(re.search(r"申请编号 (\d+)", html.unescape(desk.html)).group(1))
        record = await harness.store.get(intake_id)
        golden.check_application(record.application)
        assert comparable(record) == comparable(reference)
        assert (record.channel, record.user_id, record.staff_id) == ("phone", desk.number, "liu")
        assert {a.entered_by for a in record.answers} == {"liu"} and {a.entered_by for a in reference.answers} == {None}
        assert [a.path for a in record.answers if a.path == "consent"] == ["consent"]
        transcript = [(t["who"], t["text"]) for t in record.transcript]
        assert ("staff", "agree") in transcript and not any(who == "resident" for who, _ in transcript)
        assert any("工作人员 liu 已向来电人核实姓名和身份证号码" in said for _, said in transcript)
        await harness.services.queue.relay()
        claim = await harness.services.queue.claim_next("wang")
        assert claim is not None and claim.intake_id == intake_id


async def test_typed_numbers_pick_options_in_english_at_a_station(tmp_path):
    reference = await chat_api_intake(tmp_path, "en")
    async with console_app(tmp_path / "station") as harness:
        desk = await phone_desk(harness, "amy", "caseworker")  # caseworkers may take calls too
        number = await desk.start("station", "en")
        assert number.startswith("S") and desk.says("the civil affairs office will check")
        await desk.replay(golden.steps("en")[2:], typed_numbers=True)
        record = (await harness.store.list_intakes())[0]
        record = await harness.store.get(record.id)
        assert comparable(record) == comparable(reference)
        assert (record.channel, record.locale, record.staff_id) == ("station", "en", "amy")


async def test_a_number_is_an_answer_where_the_question_wants_one(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        await desk.replay(golden.steps()[2:30])
        assert desk.step == "income.wages" and "1" not in desk.options()
        await desk.text("1")  # one yuan, not "the first option"
        state = await harness.services.states.get(ConversationKey("phone", desk.number))
        assert state["answers"]["income"]["wages"]["amount"] == 1 and desk.step == "income.transfers"
        await desk.text("0")
        await desk.text("0")
        assert desk.step == "assets.owned" and desk.options()["non_residential"] == 2
        await desk.text("2")  # here a number ticks the option
        await desk.option("_done")
        state = await harness.services.states.get(ConversationKey("phone", desk.number))
        assert state["answers"]["assets"]["owned"] == ["non_residential"] and desk.step == "spending.kinds"


async def test_a_stale_page_sends_nothing(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        await desk.option("agree")
        old = desk.asked - 1
        assert await desk.send("turn", text="陈美玲", asked=old) == "stale"
        assert desk.step == "applicant.name" and desk.says("页面不是最新的")
        state = await harness.services.states.get(ConversationKey("phone", desk.number))
        assert "name" not in state["answers"].get("applicant", {})
        assert await desk.text("") == "no_input" and desk.step == "applicant.name"


async def test_bad_answers_are_explained_and_the_question_stays(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        await desk.replay(golden.steps()[2:4])
        assert desk.step == "applicant.id_number"
        await desk.text("440106198805120038")
        assert desk.step == "applicant.id_number" and desk.says("校验位") and desk.says('id="notices"')
        assert desk.says("18 位，最后一位可以是 X")  # what staff may accept
        await desk.text(golden.APPLICANT_ID)
        assert desk.step == "applicant.phone" and not desk.says('id="notices"')


async def test_submitting_needs_the_caller_verified_first(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        await desk.replay(golden.steps()[2:-1])
        assert desk.step == "summary" and desk.says('id="verify"') and desk.says(golden.APPLICANT_ID)
        assert re.search(r'value="confirm" class="option" data-number="1"[^>]*disabled', desk.html)
        assert await desk.option("confirm") == "verify_first"
        assert await desk.text("确认") == "verify_first"
        assert await harness.store.list_intakes() == []
        assert await desk.verify() == ""
        assert desk.says("已由 liu 核实来电人") and not desk.says('id="verify"')
        assert await desk.text("1") == ""
        assert len(await harness.store.list_intakes()) == 1


async def test_back_and_edit_from_the_summary(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        await desk.replay(golden.steps()[2:5])
        assert desk.step == "applicant.phone"
        await desk.option("_back")
        assert desk.step == "applicant.id_number"
        await desk.text(golden.APPLICANT_ID)
        await desk.replay(golden.steps()[5:-1])
        assert desk.step == "summary"
        await desk.text(str(desk.options()["edit"]))
        assert desk.step == "edit.section"
        await desk.option("1")
        assert desk.step == "edit.field"
        await desk.option("applicant.name")
        assert desk.step == "applicant.name"
        await desk.text("陈美龄")
        assert desk.step == "summary" and desk.says("陈美龄")
        await desk.verify()
        await desk.option("confirm")
        [summary] = await harness.store.list_intakes()
        assert (await harness.store.get(summary.id)).application["applicant"]["name"] == "陈美龄"


async def test_resume_by_conversation_or_intake_number_never_an_online_intake(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        number = await desk.start()
        await desk.replay(golden.steps()[2:4])
        other = await phone_desk(harness, "zhou")
        resume = await other.client.post("/console/phone/resume", data={"csrf_token": other.client.csrf,
                                                                        "number": number.lower().replace("-", " ")})
        assert resume.status_code == 303 and resume.headers["location"] == f"/console/phone/call?number={number}"
        other.number = number
        await other.look()
        assert other.step == "applicant.id_number"  # where the first one left it
        _, online = await harness.submit("alice")
        for typed, error in ((str(online), "not_phone"), ("P000000-22222", "not_found"), ("99999", "not_found"),
                             ("x" * 40, "not_found")):
            response = await other.client.post("/console/phone/resume", data={"csrf_token": other.client.csrf,
                                                                              "number": typed})
            assert response.headers["location"] == f"/console/phone?error={error}"
        page = await other.client.get("/console/phone?error=not_phone")
        assert "不能在这里代填" in page.text


async def test_policy_look_up_beside_the_call(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        panel = await desk.client.get("/console/phone/kb", params={"q": "孩子的学费算不算刚性支出？", "locale": "zh"})
        assert panel.status_code == 200 and "学费" in panel.text and "依据" in panel.text
        await desk.look(q="孩子的学费算不算刚性支出？")
        assert desk.says('class="kb-answer"') and desk.step == "consent"  # the call stays where it was


async def test_refused_files_are_explained(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        await desk.replay(golden.steps()[2:37])
        assert desk.step == "spending.receipts" and desk.says('id="upload-form"')
        await desk.send("files", files=[("file", ("virus.exe", b"MZ\x90\x00", "application/octet-stream"))])
        assert desk.step == "spending.receipts" and desk.says("格式不能接收")
        assert await desk.send("files", files=[("file", ("", b"", "application/octet-stream"))]) == "no_file"


async def test_the_desk_is_for_signed_in_accounts_only(tmp_path):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness)
        await desk.start()
        anonymous = await harness.client()
        for path in ("/console/phone", "/console/phone/callbacks", f"/console/phone/call?number={desk.number}",
                     "/console/phone/static/phone.js"):
            response = await anonymous.get(path)
            assert response.status_code == 303 and response.headers["location"].startswith("/console/login")
        forged = await desk.client.post("/console/phone/call/turn", data={"number": desk.number, "asked": "1",
                                                                          "option": "agree"})
        assert forged.status_code == 403
        state = await harness.services.states.get(ConversationKey("phone", desk.number))
        assert state["step"] == "consent"


async def test_call_back_loop_from_request_to_the_caseworker(any_backend):
    harness = any_backend
    desk = await phone_desk(harness)
    await desk.start()
    await desk.replay(golden.steps()[2:])
    [summary] = await harness.store.list_intakes()
    intake_id = summary.id
    caseworker = await harness.staff("wang", "caseworker")
    await harness.services.queue.relay()
    assert (await caseworker.post("/console/claim-next", data={"csrf_token": caseworker.csrf})).status_code == 303
    response = await caseworker.post(f"/console/intakes/{intake_id}/request-info", data={
        "csrf_token": caseworker.csrf, "items": ["applicant.phone", "income.wages"], "note": "请核对电话和工资"})
    assert response.headers["location"].endswith("done=requested")

    listing = (await desk.client.get("/console/phone/callbacks")).text
    row = re.search(rf'<tr data-intake="{intake_id}">(.*?)</tr>', listing, re.S).group(1)
    for shown in ("陈美玲", "+8613800138000", "请核对电话和工资", "电话", "工资", "wang", desk.number):
        assert shown in row
    reads = await harness.services.access.recent(intake_id=intake_id, actor="liu")
    assert [(r.via, r.detail) for r in reads] == [("phone", "call-back list")]  # the caller's details were read
    assert "有 1 件申请等待补充信息回电" in (await desk.client.get("/console/phone")).text

    # someone else on the desk rings back; the questions wait until the caller is verified
    other = await phone_desk(harness, "zhou")
    link = re.search(r'href="(/console/phone/call\?number=[^"]+)"', row).group(1)
    other.number = NUMBER.search(link).group(1)
    await other.look()
    assert other.step == "applicant.phone" and other.says("请核对电话和工资")  # the caseworker's note
    assert other.says('id="verify-confirm"') and other.says(golden.APPLICANT_ID) and not other.says('id="answer"')
    assert await other.text("13900139000") == "verify_first"
    assert await other.verify() == ""
    assert [n.author for n in (await harness.store.get(intake_id)).notes] == ["zhou"]
    await other.text("13900139000")
    assert other.step == "income.wages" and not other.says('id="progress"')
    await other.text("3万")
    assert other.says("补充的信息已交给社工") and other.says(str(intake_id))

    record = await harness.store.get(intake_id)
    assert record.status is S.SUBMITTED
    assert record.application["applicant"]["phone"] == "+8613900139000"
    assert record.application["income"]["wages"] == {"amount": 30000, "estimated": False}
    latest = {a.path: a.entered_by for a in record.answers}  # later rows win
    assert latest["applicant.phone"] == "zhou" and latest["income.wages"] == "zhou"
    assert latest["applicant.name"] == "liu" and latest["consent"] == "liu"
    assert ("zhou", S.NEEDS_INFORMATION, S.SUBMITTED) in [(a.actor, a.from_status, a.to_status) for a in record.audit]
    assert "callbacks-empty" in (await desk.client.get("/console/phone/callbacks")).text

    await harness.services.queue.relay()
    assert (await caseworker.post("/console/claim-next", data={"csrf_token": caseworker.csrf})).status_code == 303
    page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
    assert re.search(r'class="returned" data-path="applicant.phone">\+8613900139000', page)
    assert re.search(r'class="returned" data-path="income.wages">30,000元', page)
    assert "由工作人员 liu 代为录入" in page and "zhou" in page


async def handed_over(harness):
    """A call liu begins and zhou finishes; the intake it gave."""
    first = await phone_desk(harness, "liu")
    await first.start()
    await first.replay(golden.steps()[2:5])
    second = await phone_desk(harness, "zhou")
    second.number = first.number
    await second.look()
    await second.replay(golden.steps()[5:])
    [summary] = await harness.store.list_intakes()
    return summary


async def test_a_handover_mid_call_keeps_who_entered_each_answer(tmp_path):
    async with console_app(tmp_path) as harness:
        summary = await handed_over(harness)
        entered = {a.path: a.entered_by for a in (await harness.store.get(summary.id)).answers}
        assert entered["applicant.name"] == "liu" and entered["applicant.phone"] == "zhou"


TRANSCRIPT_LINE = re.compile(r'<li class="(\w+)"><span class="who">[^<]*(?:<span class="staff-id">([^<]*)</span>)?</span> ')


async def test_the_intake_pages_transcript_names_who_typed_each_line(tmp_path):
    async with console_app(tmp_path) as harness:
        summary = await handed_over(harness)
        caseworker = await harness.staff("wang", "caseworker")
        page = (await caseworker.get(f"/console/intakes/{summary.id}")).text
        section = page[page.index('id="transcript"'):page.index('id="audit"')]
        lines = TRANSCRIPT_LINE.findall(section)
        typed = [staff for who, staff in lines if who == "staff"]
        assert len(typed) > 30 and set(typed) == {"liu", "zhou"}
        assert typed.index("zhou") > 0 and "liu" not in typed[typed.index("zhou"):]  # handed over once
        assert all(staff == "" for who, staff in lines if who != "staff")  # the bot's lines name nobody


SCRIPT = re.compile(r'<p class="say"[^>]*>(.*?)</p>', re.S)
SCREEN_WORDS = {"zh": ("点选", "点「", "点击", "按钮", "下面", "输入", "发送"),
                "en": ("press", "tap", "click", "button", "type", "below", "enter")}


@pytest.mark.parametrize("locale", ["zh", "en"])
async def test_every_script_reads_aloud_without_screen_words(tmp_path, locale):
    async with console_app(tmp_path) as harness:
        desk = await phone_desk(harness, "liu")
        await desk.start(locale=locale)
        scripts = []
        for kind, value in golden.steps(locale)[2:]:
            scripts.append(html.unescape(SCRIPT.search(desk.html or await desk.look()).group(1)))
            await desk.replay([(kind, value)])
        assert len(scripts) > 30
        found = [(s, w) for s in scripts for w in SCREEN_WORDS[locale] if w in s.lower()]
        assert found == []


async def test_the_desk_lists_its_open_calls_to_resume(tmp_path):
    async with console_app(tmp_path) as harness:
        first = await phone_desk(harness, "liu")
        number = await first.start()
        await first.replay(golden.steps()[2:5])
        second = await phone_desk(harness, "zhou")
        other = await second.start()
        page = (await second.client.get("/console/phone")).text
        assert page.index(other) < page.index(number)  # newest first
        row = page[page.index(f'data-call="{number}"'):]
        assert "liu" in row[:400] and "申请人信息" in row[:400]
        second.number = number
        await second.look()
        await second.replay(golden.steps()[5:])
        page = (await second.client.get("/console/phone")).text
        assert number not in page and other in page  # submitted: off the list
