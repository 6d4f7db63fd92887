"""The phone page's reading of a conversation, the engine's "verified" event, and conversation numbers."""
from __future__ import annotations

import json
from datetime import date

from bot.phone import calls
from bot.phone.screen import read, spoken
from dialogs.events import MoreInfoRequested, Submitted, Verified
from dialogs.texts import t
from dialogs.engine import Context, handle
from dialogs.messages import Inbound
from knowledge.params import load_params
from tests import golden

CTX = Context(today=date(2026, 11, 23), districts=load_params().city_districts)


def conversation(steps, locale: str = "zh"):
    """The state after a resident's (or staff member's) inputs."""
    ctx = Context(today=CTX.today, districts=CTX.districts, default_locale=locale)
    state = None
    for kind, value in steps:
        inbound = Inbound(text=value) if kind == "text" else Inbound(option=value)
        state = handle(state, inbound, ctx).state
    return state


def test_a_question_with_options_is_a_script_with_numbered_choices():
    screen = read(conversation(golden.steps()[:6]), CTX)
    assert screen.step.id == "applicant.district" and screen.section == 1 and screen.choosing
    assert screen.script.startswith("户籍在广州哪个区？") and "1/8" not in screen.script
    assert screen.progress_line() == "1/8 申请人信息"
    assert [c.number for c in screen.choices] == list(range(1, len(screen.choices) + 1))
    assert screen.option_for("2") == screen.choices[1].value and screen.option_for("99") is None
    assert screen.back and "_back" not in [c.value for c in screen.choices]
    assert [status for _, _, status in screen.progress()] == ["current"] + ["todo"] * 7


def test_a_number_stays_an_answer_where_a_number_is_asked():
    screen = read(conversation(golden.steps()[:32]), CTX)
    assert screen.step.id == "assets.financial" and not screen.choosing and screen.option_for("1") is None
    money = read(conversation(golden.steps()[:30]), CTX)
    assert money.step.kind == "money" and money.option_for("1") is None
    assert [c.value for c in money.choices] == ["_unknown"]


def test_reading_a_state_changes_nothing():
    state = conversation(golden.steps()[:13])
    before = json.dumps(state, sort_keys=True)
    screen = read(state, CTX)
    assert json.dumps(state, sort_keys=True) == before and screen.asked == state["asked"]


def test_the_summary_waits_for_verification_and_the_event_records_who():
    state = conversation(golden.steps()[:-1])
    screen = read(state, CTX)
    assert screen.step.id == "summary" and screen.must_verify and screen.section == 8
    assert screen.earlier and screen.earlier[0].startswith("请核对您填写的内容")
    turn = handle(state, Inbound(event=Verified(), staff_id="liu"), CTX)
    assert turn.state["verified"] == "liu" and "工作人员 liu 已向来电人核实" in turn.replies[0].text
    assert turn.state["step"] == "summary" and not read(turn.state, CTX).must_verify
    # a resident's channel cannot raise it: without a staff id it is not understood
    anonymous = handle(state, Inbound(event=Verified()), CTX)
    assert anonymous.state["verified"] is None and "无法处理" in anonymous.replies[0].text


def test_verification_is_asked_again_for_a_new_application_and_a_call_back():
    state = handle(conversation(golden.steps()[:-1]), Inbound(event=Verified(), staff_id="liu"), CTX).state
    submitted = handle(state, Inbound(event=Submitted(7)), CTX).state
    reopened = handle(submitted, Inbound(event=MoreInfoRequested(7, ("applicant.phone",), "请核对电话")), CTX).state
    screen = read(reopened, CTX)
    assert screen.more_info and screen.must_verify and screen.intake_id == 7 and screen.section == 0
    again = handle(submitted, Inbound(option="start"), CTX).state
    assert again["verified"] is None and again["step"] == "consent"


def test_a_pending_cancel_shows_its_own_question():
    state = conversation(golden.steps()[:5] + [("text", "取消")])
    screen = read(state, CTX)
    assert "确定要取消" in screen.script and [c.value for c in screen.choices] == ["yes", "no"]
    assert screen.option_for("2") == "no"


def test_conversation_numbers_name_their_channel_and_forgive_typing():
    number = calls.new_number("station", date(2026, 5, 3))
    assert number.startswith("S260503-") and len(number) == 13
    key = calls.parse_number(number.lower().replace("-", " "))
    assert key is not None and (key.channel, key.user_id) == ("station", number)
    assert calls.parse_number("P260503-K7Q2M").channel == "phone"
    for bad in ("", "P260503-K7Q2", "X260503-K7Q2M", "P260503-K7Q2O", "12345"):
        assert calls.parse_number(bad) is None


def test_chat_instructions_are_read_to_callers_in_spoken_words():
    for locale, chat_word, said_word in (("zh", "发送「返回」", "随时跟我说"), ("en", 'send "back"', "just tell me")):
        intro = spoken(t(locale, "intro"), locale)  # said once a call begins the application
        assert chat_word not in intro and said_word in intro
    steps = golden.steps()
    at = next(n for n in range(len(steps)) if (conversation(steps[:n]) or {}).get("step") == "spending.receipts")
    receipts = read(conversation(steps[:at]), CTX)
    assert receipts.script.startswith("这些支出有票据或单据吗") and "请发票据照片" not in receipts.script
