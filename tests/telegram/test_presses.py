"""Button presses as a resident sees them, the same on aiogram and python-telegram-bot: only an answer taken is
marked 「✓ …」, a double tap sends nothing twice, and no buttons stay live once a caseworker's request is answered."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.conversation import ConversationKey
from dialogs.texts import t
from tests import golden
from tests.intake.caseload import caseload
from tests.telegram.harness import TelegramResident, running_bot

CHAT = 830001
RUNTIMES = ["aiogram", "ptb"]


def pressable(fake) -> list[dict]:
    return [m for m in fake.bot_messages(CHAT) if m.get("reply_markup")]


def message(fake, message_id: int) -> dict:
    return next(m for m in fake.bot_messages(CHAT) if m["message_id"] == message_id)


def sent(calls) -> list:
    return [c for c in calls if c.name == "sendmessage" and c.status == 200]


async def step(app) -> str | None:
    state = await app.state.services.states.get(ConversationKey("telegram", str(CHAT)))
    return state["step"]


async def at_consent(fake, resident) -> dict:
    """From hello to the consent question; returns its message."""
    await resident.text("你好")
    await resident.option("start")
    return dict(fake.keyboard(CHAT))


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_press_refused_is_not_shown_as_the_answer(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook") as app:
        resident = TelegramResident(fake, CHAT)
        consent = await at_consent(fake, resident)
        late = fake.press(CHAT, "agree")  # tapped while the answer was being typed
        await resident.text(t("zh", "opt.consent.agree"))  # typed, not pressed: its buttons go all the same
        assert await step(app) == "applicant.name"
        assert "reply_markup" not in message(fake, consent["message_id"])
        assert [m["message_id"] > consent["message_id"] for m in pressable(fake)] == [True]  # the name question's

        # the button of an answered question: refused, and not marked as the answer
        await resident.send(late)
        assert t("zh", "old_keyboard") in resident.said() and "姓名" in resident.said()
        assert "✓" not in message(fake, consent["message_id"])["text"]
        assert await step(app) == "applicant.name"

        # a choice the question does not take (a second spouse): the question is asked again below
        await resident.replay(golden.steps()[3:18])
        relationship = dict(fake.keyboard(CHAT))  # as it was: the fake's message changes with edits
        assert await step(app) == "members.relationship"
        await resident.option("spouse")
        assert await step(app) == "members.relationship"
        closed = message(fake, relationship["message_id"])
        assert closed["text"] == relationship["text"] and "reply_markup" not in closed  # no 「✓ 配偶」
        [again] = pressable(fake)
        assert again["message_id"] > relationship["message_id"] and again["text"] == relationship["text"]

        # an answer taken is still marked with the chosen button
        await resident.option("child")
        assert message(fake, again["message_id"])["text"].endswith("✓ 子女")
        assert await step(app) != "members.relationship"


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_double_tap_answers_once(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook") as app:
        resident = TelegramResident(fake, CHAT)
        consent = await at_consent(fake, resident)
        # two taps on the same button, both sent before the bot answered either
        first, second = fake.press(CHAT, "agree"), fake.press(CHAT, "agree")
        calls = await resident.send(first)
        assert len(sent(calls)) == 1 and "姓名" in resident.said()
        question = dict(fake.keyboard(CHAT))

        since = len(fake.calls)
        calls = await resident.send(second, reply=False)
        assert [c.name for c in calls] == []  # nothing in the chat: no message, no edit
        [answer] = [c for c in fake.calls[since:] if c.name == "answercallbackquery"]
        assert answer.status == 200 and answer.params["callback_query_id"] == second["callback_query"]["id"]
        assert not answer.params.get("text") and not answer.params.get("show_alert")  # a quiet answer
        assert message(fake, consent["message_id"])["text"].endswith(f"✓ {t('zh', 'opt.consent.agree')}")
        assert message(fake, consent["message_id"])["text"].count("✓") == 1
        assert fake.keyboard(CHAT) == question and await step(app) == "applicant.name"


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_no_buttons_stay_live_after_a_request_for_more_information_is_answered(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook") as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.text("你好")
        assert len(pressable(fake)) == 1  # the menu
        intake_id = await services.intakes.submit(caseload(1)[0], channel="telegram", user_id=str(CHAT), locale="zh")
        await services.intakes.claim("li", lease=timedelta(minutes=10), intake_id=intake_id)
        await services.intakes.request_more_info(intake_id, ["applicant.district", "assistance"], actor="li",
                                                 message="请核对")
        record = await services.intakes.get(intake_id)

        # the caseworker asks for two items; the notice asks the first, with its buttons, and only those are live
        assert await app.state.console.contact.reopen(record, ["applicant.district", "assistance"], "请核对")
        [district] = pressable(fake)
        assert "请核对" in fake.bot_messages(CHAT)[-2]["text"] + district["text"]

        # typed answers: each question's buttons go when the next is asked, and the last's when it is answered
        await resident.text("海珠区")
        [assistance] = pressable(fake)
        assert assistance["message_id"] > district["message_id"]
        await resident.text(t("zh", "opt.assistance.none"))
        assert t("zh", "more_info.saved", n=intake_id) in resident.said()
        assert pressable(fake) == []
