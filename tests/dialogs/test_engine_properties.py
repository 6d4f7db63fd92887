"""Random inbound messages never break the engine, and its state always survives JSON."""
from __future__ import annotations

import json
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.engine import Context, handle
from dialogs.events import (Edited, FileRefused, MoreInfoClosed, MoreInfoRequested, MoreInfoSaved, Repeat, RightsFailed,
                            RightsOpened, StaffMessage, SubmitFailed, Submitted, Unsupported)
from dialogs.flows.hardship import BY_ID
from dialogs.messages import Attachment, Inbound
from knowledge.params import load_params
from tests import golden

UNFILLED = re.compile(r"\{(n|total|name|max|got|count|limit|items|reason|note|titles|status|date)\}")
CTX = Context(today=date(2026, 11, 23), districts=load_params().city_districts)
WORDS = ["返回", "取消", "跳过", "完成", "不知道", "继续", "是", "否", "确认", "修改", "English", "中文", "help",
         "3000", "1.2万", "一万二", "-5", "😀", "", " ", "什么是刚性支出？", golden.APPLICANT_ID, golden.PHONE,
         "每月5000", "1500 a month", "3000-4000", "对", "不对"]
OPTIONS = ["start", "resume", "status", "agree", "disagree", "yes", "no", "_back", "_skip", "_done", "_none",
           "_unknown", "_cancel", "confirm", "edit", "add", "delete", "1", "2", "6", "medical", "spouse",
           "serious_illness", "haizhu", "applicant.phone", "members.name", "nonsense"]

inbound = st.one_of(
    st.builds(Inbound, text=st.one_of(st.sampled_from(WORDS), st.text(max_size=40))),
    st.builds(Inbound, option=st.sampled_from(OPTIONS), data=st.one_of(st.just({}), st.fixed_dictionaries(
        {"asked": st.integers(-2, 200)}))),
    st.builds(Inbound, command=st.sampled_from(["start", "help", "cancel", "status", "lang", "ask", "bogus"]),
              text=st.one_of(st.none(), st.text(max_size=10))),
    st.builds(Inbound, attachments=st.just((Attachment("f", "r.jpg", "image/jpeg", 10),))),
    st.builds(Inbound, event=st.sampled_from([
        Submitted(3), SubmitFailed(), FileRefused(), Unsupported(), Edited(), MoreInfoSaved(3),
        MoreInfoRequested(3, ("situation", "documents")), MoreInfoClosed(3), Repeat(), StaffMessage(3, "请补充"),
        RightsOpened(3), RightsFailed()])),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(inbound, min_size=1, max_size=60), st.integers(0, len(golden.steps()) - 1))
def test_engine_never_raises_and_state_round_trips(messages, prefix):
    state = None
    for kind, value in golden.steps()[:prefix]:  # start somewhere inside a real application
        message = Inbound(text=value) if kind == "text" else Inbound(option=value) if kind == "option" else \
            Inbound(attachments=(Attachment("f", value, "image/jpeg", 10),))
        state = handle(state, message, CTX).state
    for message in messages:
        turn = handle(state, message, CTX)
        assert json.loads(json.dumps(turn.state)) == turn.state
        state = turn.state
        # there is always a way forward: the conversation is idle or at a known step
        assert state["flow"] is None or state["step"] in BY_ID or state["step"].startswith("edit.")
        for reply in turn.replies:
            assert reply.text and not UNFILLED.search(reply.text)


def test_a_state_saved_by_the_previous_version_is_upgraded_and_continues():
    from datetime import date

    from dialogs.engine import Context, handle
    from dialogs.messages import Inbound
    from dialogs.state import STATE_VERSION, upgrade

    ctx = Context(today=date(2026, 11, 30))
    state = handle(None, Inbound(option="start"), ctx).state
    old = {**state, "v": 1, "transcript": [{"who": "resident", "text": "你好"}] * 400}
    upgraded = upgrade(dict(old))
    assert upgraded["v"] == STATE_VERSION and "transcript" not in upgraded
    turn = handle(old, Inbound(command="status"), ctx)
    assert turn.state["step"] == state["step"] and "transcript" not in turn.state
    assert upgrade({"v": 99, "step": "x"}) is None  # a state this version cannot read starts afresh


def test_a_resident_saved_at_a_question_the_application_no_longer_asks_goes_on_with_every_answer():
    from datetime import date

    from dialogs.engine import Context, handle
    from dialogs.flows.hardship import BY_ID
    from dialogs.messages import Inbound
    from dialogs.state import RETIRED_STEPS

    ctx = Context(today=date(2026, 11, 30))
    answers = {"consent": True, "applicant": {"name": "陈美玲"}, "assets": {"financial": {"amount": 2000, "estimated": False},
                                                                        "homes": 1}}
    for retired, resumed in RETIRED_STEPS.items():
        assert resumed in BY_ID and retired not in BY_ID
        saved = {"v": 2, "flow": "hardship", "step": retired, "item": 0, "locale": "zh", "answers": answers,
                 "history": [["applicant.name", None], [retired, 0]], "asked": 9, "pending": None, "edit": None,
                 "source": None, "intake_id": None, "cancelled": None, "reopen": None, "stash": None, "verified": None}
        turn = handle(saved, Inbound(command="start"), ctx)
        assert turn.state["step"] == resumed
        assert turn.state["answers"]["applicant"]["name"] == "陈美玲"
        assert [retired, 0] not in turn.state["history"]
