"""The separate consents: health data, financial data and a child's data are each asked on their own, just
before the questions that need them; each answer is its own RecordConsent; a no leaves those questions for the
caseworker and the application still goes on to be filed."""
from __future__ import annotations

import pytest

from dialogs import consents
from dialogs.messages import RecordConsent, Submit
from dialogs.summary import summary_text
from dialogs.texts import t
from tests import golden
from tests.dialogs.test_engine import Chat


def recorded(chat: Chat) -> list[tuple[str, bool, str | None]]:
    return [(e.purpose, e.granted, e.notice_version) for turn in chat.turns for e in turn.effects
            if isinstance(e, RecordConsent)]


def filed(chat: Chat) -> dict:
    [submit] = [e for e in chat.turns[-1].effects if isinstance(e, Submit)]
    return submit.application


def asked(chat: Chat) -> list[tuple[str, int | None]]:
    positions = []
    for turn in chat.turns:
        position = (turn.state["step"], turn.state["item"])
        if turn.state["flow"] and position not in positions:
            positions.append(position)
    return positions


def asked_steps(chat: Chat) -> list[str]:
    return [step for step, _ in asked(chat)]


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_each_consent_is_its_own_question_just_before_what_it_covers(locale):
    chat = Chat(locale)
    chat.replay(golden.steps(locale))
    order = asked(chat)
    assert order.index(("consents.health", None)) + 1 == order.index(("applicant.flags", None))
    assert ("members.guardian", 0) not in order  # the spouse is an adult
    assert order.index(("members.id_number", 1)) + 1 == order.index(("members.guardian", 1))
    assert order.index(("consents.financial", None)) + 1 == order.index(("income.sources", None))
    prompts = {turn.state["step"]: turn.replies[-1] for turn in chat.turns if turn.state["flow"]}
    for step in ("consents.health", "consents.financial", "members.guardian"):
        reply = prompts[step]
        assert t(locale, f"q.{step}", n=2) in reply.text
        assert [o.value for o in reply.options][:2] == ["yes", "no"]  # a yes and a no, nothing folded in
    v = consents.NOTICE_VERSION
    assert recorded(chat) == [(consents.ECONOMIC_CHECK, True, v), (consents.HEALTH, True, v),
                              (consents.CHILD, True, v), (consents.FINANCIAL, True, v)]
    golden.check_application(filed(chat), locale)


def test_no_to_health_data_skips_the_situation_ticks_and_still_files():
    chat = Chat()
    chat.replay(golden.steps(health=False))
    assert "applicant.flags" not in asked_steps(chat) and "members.flags" not in asked_steps(chat)
    said = "\n".join(r.text for turn in chat.turns for r in turn.replies)
    assert t("zh", "consents.left") in said
    application = filed(chat)
    assert application["consents"] == {"health": False, "financial": True}
    assert application["follow_up"] == {"consents.health": consents.NO_CONSENT}
    for person in (application["applicant"], *application["members"]):
        assert "flags" not in person and "disability_grade" not in person  # not "none": unknown
    assert application["income"]["wages"] == {"amount": 24000, "estimated": False}  # the rest is as given
    assert (consents.HEALTH, False, consents.NOTICE_VERSION) in recorded(chat)


def test_no_to_financial_data_skips_income_and_assets_and_still_files():
    chat = Chat("en")
    chat.replay(golden.steps("en", financial=False))
    steps = asked_steps(chat)
    assert not any(s.startswith(("income.", "assets.")) for s in steps)
    application = filed(chat)
    assert application["consents"] == {"health": True, "financial": False}
    assert application["follow_up"] == {"consents.financial": consents.NO_CONSENT}
    assert "income" not in application and "assets" not in application
    assert application["spending"]["medical"] == {"amount": 68000, "estimated": False}
    assert recorded(chat)[-1] == (consents.FINANCIAL, False, consents.NOTICE_VERSION)


def test_a_child_under_14_waits_for_the_guardian_and_without_one_is_left_for_the_caseworker():
    chat = Chat()
    chat.replay(golden.steps(guardian=False))
    application = filed(chat)
    spouse, child = application["members"]
    assert "guardian" not in spouse  # an adult is not asked
    assert child["relationship"] == "child" and child["guardian"] is False
    assert child["name"] is None and child["id_number"] is None
    assert "flags" not in child and "disability_grade" not in child
    assert spouse["disability_grade"] == "none"  # asked, and not disabled
    assert child["follow_up"] == {"name": consents.NO_CONSENT, "id_number": consents.NO_CONSENT,
                                  "guardian": consents.NO_CONSENT}
    assert spouse["name"] == "黄志强"  # the rest of the household is as given
    assert (consents.CHILD, False, consents.NOTICE_VERSION) in recorded(chat)
    summary = summary_text(application, "zh", chat.ctx.districts, chat.state)
    assert "黄小宇" not in summary and t("zh", "value.left") in summary


def test_going_back_to_a_no_and_saying_yes_asks_what_it_covers():
    chat = Chat()
    steps = golden.steps(health=False)
    chat.replay(steps[:9])  # said no to health data: on to the household
    assert chat.step == "members.any"
    chat.option("_back")
    assert chat.step == "consents.health"
    chat.option("yes")
    assert chat.step == "applicant.flags" and "follow_up" not in chat.state["answers"]
    assert [r[:2] for r in recorded(chat)][-2:] == [(consents.HEALTH, False), (consents.HEALTH, True)]
