"""Resume codes as residents type them, the digits that unlock them, and what the transcript keeps."""
from __future__ import annotations

from datetime import date

import pytest

from dialogs.events import MoreInfoRequested, ResumeCode, ResumeFound, ResumeLocked, ResumeOk
from dialogs.engine import Context, handle
from dialogs.messages import CheckResume, FindResume, Inbound, KeepResumeCode
from dialogs.resume_codes import for_transcript, four_digits, last_four, masked, typed_code

CTX = Context(today=date(2026, 11, 30))


@pytest.mark.parametrize("typed", ["继续 ABCD-EFGH", "继续ABCDEFGH", "resume abcd efgh", "Resume: ABCD EFGH",
                                   "续办码：ABCD－EFGH", "/resume ABCDEFGH", "继续申请 abcd-efgh", "ＡＢＣＤ－ＥＦＧＨ",
                                   "continue ABCD_EFGH"])
def test_a_code_is_found_however_it_is_typed(typed):
    assert typed_code(typed, bare=True) == "ABCDEFGH"


@pytest.mark.parametrize("typed", ["继续", "继续申请", "resume", "ABCD-EFG", "继续 ABCD-EFG1", "继续 ABCD-EFGO",
                                   "13800138000", "440106198805120037", "继续 " + "A" * 40, "我想继续申请 ABCD"])
def test_what_is_not_a_code(typed):
    assert typed_code(typed, bare=True) is None


def test_a_bare_code_counts_only_where_no_answer_could_look_like_one():
    assert typed_code("ABCD-EFGH", bare=True) == "ABCDEFGH"
    assert typed_code("ABCD-EFGH", bare=False) is None
    assert typed_code("ABCDEFGH", bare=True) is None  # a word of eight letters is not taken for a code
    assert typed_code("resume ABCD-EFGH", bare=False) == "ABCDEFGH"


@pytest.mark.parametrize("typed, digits", [("8000", "8000"), ("8 0 0 0", "8000"), ("１２３４", "1234"),
                                           ("13800138000", "8000"), ("+86 138-0013-8000", "8000"),
                                           ("800", None), ("80000", None), ("八千", None), ("abcd", None)])
def test_the_last_four_digits(typed, digits):
    assert four_digits(typed) == digits


def test_what_staff_read_in_the_transcript_hides_the_code_and_the_digits():
    assert masked("您的续办码：ABCD-EFGH，网页：http://x/chat#resume=ABCD-EFGH") == \
        "您的续办码：****-****，网页：http://x/chat#resume=****-****"
    assert masked("对话编号 P260503-K7Q2M") == "对话编号 P260503-K7Q2M"
    assert for_transcript("resume abcd efgh", checking=False) == "****-****"
    assert for_transcript("8000", checking=True) == "****"
    assert for_transcript("8000", checking=False) == "8000"
    assert last_four("+8613800138000") == "8000" and last_four("12") is None


def walk(state, *messages):
    turn = None
    for message in messages:
        turn = handle(state, message, CTX)
        state = turn.state
    return turn


def test_the_phone_answer_asks_for_a_code_and_the_code_is_shown_with_the_status():
    turn = walk(None, Inbound(text="你好"), Inbound(option="start"), Inbound(option="agree"), Inbound(text="陈美玲"),
                Inbound(text="440106198805120037"), Inbound(text="13800138000"))
    assert turn.effects == [KeepResumeCode("8000", None)]
    made = handle(turn.state, Inbound(event=ResumeCode("ABCDEFGH", "http://x/chat#resume=ABCD-EFGH", new=True)), CTX)
    assert "ABCD-EFGH" in made.replies[0].text and made.state["resume"]["code"] == "ABCDEFGH"
    status = handle(made.state, Inbound(command="status"), CTX)
    assert any("续办码：ABCD-EFGH" in r.text for r in status.replies)
    # a corrected phone keeps the code with the new digits
    corrected = walk(made.state, Inbound(text="返回"), Inbound(text="13900139999"))
    assert corrected.effects == [KeepResumeCode("9999", "ABCDEFGH")]


def test_typed_digits_are_checked_and_stopping_is_always_possible():
    found = walk(None, Inbound(text="继续 ABCD-EFGH"))
    assert found.effects == [FindResume("ABCDEFGH")] and not found.replies
    asking = handle(found.state, Inbound(event=ResumeFound("ABCDEFGH")), CTX)
    assert "后四位" in asking.replies[-1].text
    assert handle(asking.state, Inbound(text="8000"), CTX).effects == [CheckResume("ABCDEFGH", "8000")]
    again = handle(asking.state, Inbound(text="我不记得了"), CTX)
    assert not again.effects and "4个数字" in again.replies[-1].text and again.state["resume_check"]
    stopped = handle(asking.state, Inbound(text="取消"), CTX)
    assert stopped.state["resume_check"] is None and "不用续办码" in stopped.replies[0].text
    locked = handle(asking.state, Inbound(event=ResumeLocked(1500)), CTX)
    assert "25分钟" in locked.replies[0].text and locked.state["resume_check"] is None


def test_an_application_in_progress_here_is_never_overwritten():
    busy = walk(None, Inbound(text="你好"), Inbound(option="start"), Inbound(text="resume ABCD-EFGH"))
    assert busy.effects == [FindResume("ABCDEFGH")]
    told = handle(busy.state, Inbound(event=ResumeFound("ABCDEFGH")), CTX)
    assert "取消" in told.replies[0].text and not told.state.get("resume_check") and told.state["step"] == "consent"


def test_a_pressed_button_ends_a_check_waiting_for_digits():
    asking = handle(walk(None, Inbound(text="继续 ABCD-EFGH")).state,
                    Inbound(event=ResumeFound("ABCDEFGH")), CTX)
    started = handle(asking.state, Inbound(option="start"), CTX)
    assert started.state["resume_check"] is None and started.state["step"] == "consent"
    named = walk(started.state, Inbound(option="agree"), Inbound(text="陈美玲"))
    assert named.state["answers"]["applicant"]["name"] == "陈美玲"


def test_a_telegram_deep_link_carries_the_code():
    assert walk(None, Inbound(command="start", text="resume-ABCDEFGH")).effects == [FindResume("ABCDEFGH")]
    assert walk(None, Inbound(command="resume", text="abcd efgh")).effects == [FindResume("ABCDEFGH")]
    told = walk(None, Inbound(command="resume"))
    assert not told.effects and "继续 ABCD-EFGH" in told.replies[0].text


def test_a_request_read_on_a_channel_with_push_is_shown_again_with_its_note():
    """On Telegram the request was delivered to the old chat; where the code is typed it is said again."""
    idle = walk(None, Inbound(text="你好")).state
    idle["resume"] = {"code": "ABCDEFGH", "link": "http://x/chat#resume=ABCD-EFGH"}
    reopened = handle(idle, Inbound(event=MoreInfoRequested(7, ("income.wages",), "请补充工资")), CTX)
    taken = handle(reopened.state, Inbound(event=ResumeOk()), CTX)
    said = [r.text for r in taken.replies]
    assert "核对成功" in said[0] and "ABCD-EFGH" in said[0]
    assert "请补充工资" in said[1] and "编号7" in said[1]
    assert "工资" in said[-1] and taken.state["step"] == "income.wages"
    # a waiting copy of the open question is not shown twice
    question = reopened.replies[-1]
    again = handle(reopened.state, Inbound(event=ResumeOk(waiting=(
        {"text": reopened.replies[0].text, "options": []},
        {"text": question.text, "options": [[o.label, o.value] for o in question.options]}))), CTX)
    texts = [r.text for r in again.replies]
    assert texts.count(question.text) == 1 and texts[1].startswith("社工给您的消息") and "请补充工资" in texts[1]
