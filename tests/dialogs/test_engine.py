"""The engine on its own: whole conversations, every way back, every kind of bad input."""
from __future__ import annotations

import json
from datetime import date

import pytest

from dialogs.events import (FileRefused, MoreInfoClosed, MoreInfoRequested, MoreInfoSaved, SubmitFailed, Submitted,
                            Unsupported, Voice)
from dialogs.engine import Context, handle
from dialogs.messages import AnswerQuestion, Attachment, Inbound, Submit, SubmitMoreInfo
from dialogs.texts import t as LOCALES
from knowledge.params import load_params
from tests import golden

CTX = Context(today=date(2026, 11, 23), districts=load_params().city_districts)


class Chat:
    """A conversation driven step by step, keeping every turn."""

    def __init__(self, locale: str = "zh") -> None:
        self.state = None
        self.turns = []
        self.ctx = Context(today=CTX.today, districts=CTX.districts, default_locale=locale)

    def send(self, inbound: Inbound):
        turn = handle(self.state, inbound, self.ctx)
        json.dumps(turn.state)  # always JSON-safe
        self.state = turn.state
        self.turns.append(turn)
        return turn

    def text(self, value: str):
        return self.send(Inbound(text=value))

    def option(self, value: str):
        return self.send(Inbound(option=value))

    def replay(self, steps):
        for kind, value in steps:
            if kind == "text":
                self.text(value)
            elif kind == "option":
                self.option(value)
            else:
                content_type, data = golden.RECEIPTS[value]
                self.send(Inbound(attachments=(Attachment(f"id-{value}", value, content_type, len(data)),)))
        return self.turns[-1]

    @property
    def step(self):
        return (self.state or {}).get("step")

    def last_text(self) -> str:
        return "\n".join(r.text for r in self.turns[-1].replies)

    def options(self) -> list[str]:
        return [o.value for r in self.turns[-1].replies for o in r.options]


def until(chat: Chat, step: str, locale: str = "zh") -> Chat:
    """Replay the golden answers until the conversation reaches `step`."""
    for kind, value in golden.steps(locale):
        if chat.step == step:
            return chat
        chat.replay([(kind, value)])
    assert chat.step == step
    return chat


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_golden_application_reaches_submission_with_every_answer(locale):
    chat = Chat(locale)
    turn = chat.replay(golden.steps(locale))
    submits = [e for e in turn.effects if isinstance(e, Submit)]
    assert len(submits) == 1
    golden.check_application(submits[0].application, locale)
    assert submits[0].locale == locale
    done = chat.send(Inbound(event=Submitted(42)))
    assert "42" in done.replies[0].text
    assert chat.state["flow"] is None and chat.state["answers"] == {} and chat.state["intake_id"] == 42


def test_english_first_message_picks_english():
    chat = Chat("zh")
    chat.text("Hello there")
    assert chat.state["locale"] == "en"
    assert "Shanqiao" in chat.last_text()


def test_every_question_shows_where_the_resident_is():
    chat = until(Chat(), "income.wages")
    assert chat.last_text().startswith("4/8 家庭收入\n")


def test_back_returns_to_previous_question_and_keeps_answers():
    chat = until(Chat(), "applicant.phone")
    chat.text("返回")
    assert chat.step == "applicant.id_number"
    assert chat.state["answers"]["applicant"]["name"] == "陈美玲"
    assert chat.state["answers"]["applicant"]["id_number"] == golden.APPLICANT_ID
    chat.option("_back")
    assert chat.step == "applicant.name"
    chat.text("陈美玲")
    chat.text(golden.APPLICANT_ID)
    assert chat.step == "applicant.phone"


def test_back_at_first_question_says_so():
    chat = until(Chat(), "consent")
    chat.text("上一步")
    assert chat.step == "consent"
    assert "第一个问题" in chat.last_text()


def test_cancel_keeps_answers_and_resume_restores_them():
    chat = until(Chat(), "income.transfers")
    chat.text("取消")
    assert chat.step == "income.transfers"  # nothing happens before confirming
    chat.option("yes")
    assert chat.state["flow"] is None
    assert "resume" in chat.options()
    chat.option("resume")
    assert chat.step == "income.transfers"
    assert chat.state["answers"]["income"]["wages"]["amount"] == 24000


def test_cancel_can_be_withdrawn():
    chat = until(Chat(), "assets.owned")
    chat.send(Inbound(command="cancel"))
    chat.option("no")
    assert chat.step == "assets.owned" and chat.state["flow"] == "hardship"


def test_declining_consent_stores_nothing():
    chat = until(Chat(), "consent")
    chat.option("disagree")
    assert chat.state["flow"] is None and chat.state["answers"] == {}


def test_edit_from_summary_returns_to_summary():
    chat = until(Chat(), "summary")
    chat.option("edit")
    chat.option("1")
    assert "applicant.phone" in chat.options()
    chat.option("applicant.phone")
    assert chat.step == "applicant.phone"
    chat.text("13900139000")
    assert chat.step == "summary"
    assert "+86139****9000" in chat.last_text()
    assert chat.state["answers"]["members"][1]["name"] == "黄小宇"  # the rest untouched


def test_edit_a_member_and_tick_more_spending_from_summary():
    chat = until(Chat(), "summary")
    chat.option("edit")
    chat.option("2")
    chat.option("2")  # the second member
    chat.option("members.name")
    chat.text("黄小雨")
    assert chat.step == "summary"
    assert chat.state["answers"]["members"][1]["name"] == "黄小雨"
    chat.option("edit")
    chat.option("6")
    chat.option("spending.kinds")
    chat.option("medical")
    chat.option("education")
    chat.option("_done")
    # only the newly ticked category's amount is asked; the medical amount and receipts stay
    assert chat.step == "spending.education"
    chat.text("6000")
    assert chat.step == "summary"
    spending = chat.state["answers"]["spending"]
    assert spending["kinds"] == ["medical", "education"] and spending["education"]["amount"] == 6000
    assert spending["medical"]["amount"] == 68000 and len(spending["receipts"]) == 2


def test_edit_flags_to_disability_asks_the_grade_then_returns():
    chat = until(Chat(), "summary")
    chat.option("edit")
    chat.option("1")
    chat.option("applicant.flags")
    chat.text("1,2")
    assert chat.step == "applicant.disability_grade"
    chat.option("2")
    # a grade says who is unable to work only with its kind (特困人员认定办法 第五条（三）)
    assert chat.step == "applicant.disability_kind"
    chat.option("mental")
    assert chat.step == "summary"
    assert chat.state["answers"]["applicant"]["flags"] == ["serious_illness", "disability"]
    assert chat.state["answers"]["applicant"]["disability_grade"] == "2"
    assert chat.state["answers"]["applicant"]["disability_kind"] == "mental"


@pytest.mark.parametrize("bad, key_words", [
    ("44010619880512003", "18位"),          # too short
    ("440106198805120038", "校验位"),       # wrong check digit
    ("abcdefghijklmnopqr", "18位"),
    ("😀😀", "18位"),
])
def test_bad_id_numbers_are_explained_and_asked_again(bad, key_words):
    chat = until(Chat(), "applicant.id_number")
    chat.text(bad)
    assert chat.step == "applicant.id_number"
    assert key_words in chat.last_text()
    assert chat.state["answers"]["applicant"]["name"] == "陈美玲"


@pytest.mark.parametrize("bad", ["12345", "1380013800", "phone", "+1 202", "☎️"])
def test_bad_phone_numbers_are_explained(bad):
    chat = until(Chat(), "applicant.phone")
    chat.text(bad)
    assert chat.step == "applicant.phone"
    assert "电话号码好像不对" in chat.last_text()


@pytest.mark.parametrize("bad, words", [("-3000", "负数"), ("很多钱", "没看懂"), ("💰💰", "没看懂"),
                                        ("3.5.5", "没看懂"), ("99999999999", "太大")])
def test_bad_money_is_explained(bad, words):
    chat = until(Chat(), "income.wages")
    chat.text(bad)
    assert chat.step == "income.wages"
    assert words in chat.last_text()


@pytest.mark.parametrize("form, amount", [("3000", 3000), ("3,000元", 3000), ("3千", 3000), ("1.2万", 12000),
                                          ("一万二", 12000), ("¥3,000", 3000)])
def test_everyday_money_forms(form, amount):
    chat = until(Chat(), "income.wages")
    chat.text(form)
    assert chat.state["answers"]["income"]["wages"] == {"amount": amount, "estimated": False}


def test_unknown_figure_can_be_estimated_and_is_marked():
    chat = until(Chat(), "income.transfers")
    chat.option("_unknown")
    assert chat.step == "income.transfers"
    chat.text("5000")
    assert chat.state["answers"]["income"]["transfers"] == {"amount": 5000, "estimated": True}
    assert chat.step == "assets.financial"


def test_emoji_name_is_refused_politely():
    chat = until(Chat(), "applicant.name")
    chat.text("😀")
    assert chat.step == "applicant.name"
    assert "表情" in chat.last_text()


def test_empty_and_huge_messages_keep_the_step():
    chat = until(Chat(), "applicant.address")
    chat.text("   ")
    assert chat.step == "applicant.address" and "没有收到" in chat.last_text()
    chat.text("长" * 10_000)
    assert chat.step == "applicant.address" and "太长" in chat.last_text()
    chat.text("长" * 10_001)
    assert chat.step == "applicant.address" and "太长" in chat.last_text()
    assert chat.state["answers"]["applicant"]["phone"] == "+8613800138000"


def test_situation_over_limit_is_refused_not_truncated():
    chat = until(Chat(), "situation")
    chat.text("难" * 2001)
    assert chat.step == "situation"
    assert "2000" in chat.last_text()


def test_question_mid_application_is_answered_and_the_step_asked_again():
    chat = until(Chat(), "spending.medical")
    turn = chat.text("孩子的学费算不算刚性支出？")
    assert [type(e) for e in turn.effects] == [AnswerQuestion]
    assert turn.effects[0].question.rstrip("?？") == "孩子的学费算不算刚性支出"
    assert chat.step == "spending.medical"
    assert "医疗费自己付了多少" in chat.last_text()


def test_ask_command_works_anywhere():
    chat = until(Chat(), "applicant.name")
    turn = chat.send(Inbound(command="ask", text="外地户口能申请吗"))
    assert isinstance(turn.effects[0], AnswerQuestion)
    assert chat.step == "applicant.name"


def test_old_keyboard_is_refused_and_changes_nothing():
    chat = until(Chat(), "assistance")
    old = chat.state["asked"] - 3
    chat.send(Inbound(option="dibao", data={"asked": old}))
    assert chat.step == "assistance"
    assert "之前问题的按钮" in chat.last_text()
    assert "assistance" not in chat.state["answers"]


def test_files_outside_the_receipt_step_are_not_taken():
    chat = until(Chat(), "applicant.name")
    chat.send(Inbound(attachments=(Attachment("x", "a.jpg", "image/jpeg", 10),)))
    assert chat.step == "applicant.name" and "还不需要上传" in chat.last_text()


def test_refused_files_and_stickers_get_a_reply():
    chat = until(Chat(), "spending.receipts")
    chat.send(Inbound(event=FileRefused("too_large", 10)))
    assert "10MB" in chat.last_text() and chat.step == "spending.receipts"
    chat.send(Inbound(event=Unsupported()))
    assert chat.step == "spending.receipts" and "无法处理" in chat.last_text()
    chat.send(Inbound(event=Voice()))  # a voice note: said plainly how to answer instead, the question again
    assert chat.step == "spending.receipts" and "语音" in chat.last_text() and "无法处理" not in chat.last_text()


def test_cancel_while_idle_says_there_is_nothing_to_cancel():
    chat = Chat()
    chat.send(Inbound(command="cancel"))
    assert "不需要取消" in chat.last_text() and chat.state["flow"] is None


def test_status_during_an_application_says_it_is_not_submitted_yet():
    from dialogs.messages import ShowStatus

    chat = until(Chat(), "applicant.name")
    chat.send(Inbound(command="status"))
    assert ShowStatus("zh", filling=True) in chat.turns[-1].effects


def test_language_switch_mid_application():
    chat = until(Chat(), "assets.owned")
    chat.send(Inbound(command="lang", text="en"))
    assert chat.state["locale"] == "en"
    assert "own or run any of these" in chat.last_text()


def test_start_again_mid_application_continues():
    chat = until(Chat(), "assets.owned")
    chat.send(Inbound(command="start", text="poster-haizhu"))
    assert chat.step == "assets.owned"
    assert chat.state["source"] == "poster-haizhu"


def test_submit_failure_keeps_everything():
    chat = until(Chat(), "summary")
    chat.option("confirm")
    answers = json.dumps(chat.state["answers"], sort_keys=True)
    chat.send(Inbound(event=SubmitFailed()))
    assert chat.step == "summary"
    assert json.dumps(chat.state["answers"], sort_keys=True) == answers


def test_caseworker_request_reopens_exactly_the_items_and_returns_answers():
    chat = Chat()
    chat.replay(golden.steps())
    chat.send(Inbound(event=Submitted(7)))
    chat.send(Inbound(event=MoreInfoRequested(7, ("applicant.phone", "documents"), "请补充诊断证明")))
    assert chat.step == "applicant.phone" and "请补充诊断证明" in chat.last_text()
    chat.text("13900139000")
    assert chat.step == "more_info.documents"
    chat.send(Inbound(attachments=(Attachment("d1", "diagnosis.pdf", "application/pdf", 100),)))
    turn = chat.option("_done")
    assert [type(e) for e in turn.effects] == [SubmitMoreInfo]
    effect = turn.effects[0]
    assert effect.intake_id == 7
    assert effect.answers["applicant.phone"] == "+8613900139000"
    assert effect.answers["documents"][0]["name"] == "diagnosis.pdf"


def test_reopen_during_a_new_application_keeps_it():
    chat = until(Chat(), "income.wages")
    chat.send(Inbound(event=MoreInfoRequested(3, ("situation",), "")))
    chat.text("补充说明")
    chat.send(Inbound(event=MoreInfoSaved(3)))
    assert chat.state["flow"] == "hardship" and chat.step == "income.wages"
    assert chat.state["answers"]["applicant"]["name"] == "陈美玲"


def test_both_locales_have_the_same_texts():
    assert set(LOCALES["zh"]) == set(LOCALES["en"])


def test_no_state_and_an_option_means_expired_and_asks_again():
    turn = handle(None, Inbound(option="yes", data={"asked": 5}), CTX)
    assert "过期" in turn.replies[0].text
    assert turn.replies[-1].options  # the menu, a way forward


def test_back_inside_a_caseworker_request_asks_the_previous_item_again():
    chat = Chat()
    chat.replay(golden.steps())
    chat.send(Inbound(event=Submitted(9)))
    chat.send(Inbound(event=MoreInfoRequested(9, ("applicant.phone", "applicant.address", "situation"))))
    chat.text("13900139000")
    assert chat.step == "applicant.address"
    chat.text("返回")
    assert chat.step == "applicant.phone"
    chat.text("13700137000")
    chat.text("新地址")
    turn = chat.text("情况有变化")
    effect = turn.effects[0]
    assert isinstance(effect, SubmitMoreInfo)
    assert set(effect.answers) == {"applicant.phone", "applicant.address", "situation"}
    assert effect.answers["applicant.phone"] == "+8613700137000"


def test_cancelling_a_request_returns_to_the_application_with_no_question_pending():
    chat = until(Chat(), "income.wages")
    chat.send(Inbound(event=MoreInfoRequested(4, ("situation",))))
    chat.text("取消")
    chat.option("yes")  # the request is set aside, the application comes back
    assert chat.state["flow"] == "hardship" and chat.step == "income.wages"
    assert chat.state["pending"] is None
    chat.text("是")  # not the answer to a cancel question any more
    assert chat.state["flow"] == "hardship" and chat.state["answers"]["applicant"]["name"] == "陈美玲"


def test_a_request_closed_meanwhile_restores_the_conversation():
    chat = until(Chat(), "income.wages")
    chat.send(Inbound(event=MoreInfoRequested(4, ("situation",))))
    chat.send(Inbound(event=MoreInfoClosed(4)))
    assert chat.state["flow"] == "hardship" and chat.step == "income.wages"
    assert "不需要了" in chat.last_text()


def test_saying_yes_to_members_again_resumes_the_unfinished_member():
    chat = until(Chat(), "members.name")
    chat.text("返回")       # to relationship
    chat.text("返回")       # to "anyone else?"
    assert chat.step == "members.any"
    chat.option("yes")
    assert chat.step == "members.relationship" or chat.step == "members.name"
    assert chat.state["item"] == 0


def test_back_while_adding_an_item_from_the_summary_drops_it_and_returns():
    chat = until(Chat(), "summary")
    chat.option("edit")
    chat.option("2")
    chat.option("add")
    chat.option("_back")
    assert chat.step == "summary" and chat.state["edit"] is None
    assert len(chat.state["answers"]["members"]) == 2
    chat.option("confirm")
    submitted = chat.turns[-1].effects[0].application
    assert all(m.get("relationship") for m in submitted["members"])


def test_a_denied_sudden_event_drops_its_date():
    chat = until(Chat(), "spending.kinds")
    chat.option("sudden")
    chat.option("_done")
    assert chat.step == "spending.sudden_date"
    chat.text("2026-03-05")
    chat.text("说明")
    chat.option("edit")
    chat.option("6")
    chat.option("spending.kinds")
    chat.option("_none")
    assert chat.step == "summary"
    turn = chat.option("confirm")
    application = turn.effects[0].application
    assert application["spending"]["kinds"] == [] and "sudden_date" not in application["spending"]
    assert application["applicant"]["disability_grade"] == "none"


def test_a_half_made_multiple_choice_does_not_leak():
    chat = until(Chat(), "applicant.flags")
    chat.option("unemployed")
    chat.text("返回")
    chat.text("新地址")
    assert "✓" not in chat.last_text() + "".join(o for o in chat.options())
    assert chat.state["picked"] is None


@pytest.mark.parametrize("answer", ["家里实在困难，不知道能不能申请？", "哪里都没有固定住所"])
def test_free_text_that_reads_as_a_question_can_still_be_the_answer(answer):
    chat = until(Chat(), "situation")
    turn = chat.text(answer)
    assert isinstance(turn.effects[0], AnswerQuestion)
    assert chat.step == "situation" and "_use" in chat.options()
    chat.option("_use")
    assert chat.step == "summary"
    assert chat.state["answers"]["situation"] == answer


def test_a_deep_link_code_does_not_choose_the_language():
    turn = handle(None, Inbound(command="start", text="from_community_poster"), CTX)
    assert turn.state["locale"] == "zh" and turn.state["source"] == "from_community_poster"


def test_a_press_taken_a_press_refused_and_a_double_tap():
    chat = Chat()
    chat.replay(golden.steps()[:18])  # the second member's relationship, after a spouse
    assert chat.step == "members.relationship"
    pressed = lambda value, asked: chat.send(Inbound(option=value, data={"asked": asked}))  # noqa: E731
    # refused (a second spouse): the question is asked again, marked so a chat app does not show the press as taken
    turn = pressed("spouse", chat.state["asked"])
    assert chat.step == "members.relationship" and turn.replies[-1].redraw and turn.replies[-1].options
    asked = chat.state["asked"]
    turn = pressed("child", asked)
    assert chat.step != "members.relationship" and not any(r.redraw for r in turn.replies)
    # the same button tapped again at once: nothing to say, nothing changed
    state = json.dumps(chat.state, sort_keys=True)
    assert pressed("child", asked).replies == [] and json.dumps(chat.state, sort_keys=True) == state
    # once something else was asked, that old button is explained instead
    chat.text("黄小宇")
    turn = pressed("child", asked)
    assert LOCALES("zh", "old_keyboard") in turn.replies[0].text and turn.replies[-1].redraw
