"""How a Telegram conversation looks, the same on aiogram and python-telegram-bot: one message per pick-several
question however many taps, only the current question pressable, a policy question answered in two messages,
/status followed by the question again."""
from __future__ import annotations

import re

import pytest

from dialogs.texts import t
from tests import golden
from tests.telegram.harness import TelegramResident, running_bot

CHAT = 820001
TO_FLAGS = golden.steps()[:9]  # up to the applicant's "which of these apply" question (pick several)


def sent(calls) -> list:
    return [c for c in calls if c.name == "sendmessage" and c.status == 200]


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_the_shape_of_a_telegram_conversation(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling"):
        resident = TelegramResident(fake, CHAT)
        await resident.replay(TO_FLAGS)
        question = fake.keyboard(CHAT)
        assert "可多选" in question["text"]

        # many taps, one message: the question is redrawn in place with the ticks
        for flag in ("患重特大疾病", "失业", "独居老人", "✓ 失业"):  # the last one unticks
            calls = await resident.send(fake.press(CHAT, flag))
            assert not sent(calls)
        redrawn = fake.keyboard(CHAT)
        assert redrawn["message_id"] == question["message_id"]
        assert "✓ 患重特大疾病" in [b["text"] for row in redrawn["reply_markup"]["inline_keyboard"] for b in row]

        # done: the question shows the answer chosen and loses its buttons; the next one is the only keyboard
        await resident.option("选好了")
        closed = next(m for m in fake.bot_messages(CHAT) if m["message_id"] == question["message_id"])
        assert "reply_markup" not in closed and closed["text"].endswith("✓ 选好了")
        pressable = [m for m in fake.bot_messages(CHAT) if m.get("reply_markup")]
        assert len(pressable) == 1 and pressable[0]["message_id"] > question["message_id"]

        # a typed answer also leaves only the new question pressable
        await resident.text("有")
        await resident.text("配偶")
        pressable = [m for m in fake.bot_messages(CHAT) if m.get("reply_markup")]
        assert len(pressable) <= 1

        # a policy question mid-application: the answer, then the same question once
        step_text = fake.bot_messages(CHAT)[-1]["text"]
        calls = await resident.text("看病花的钱怎么算")
        messages = sent(calls)
        assert len(messages) <= 2 and messages[-1].params["text"].endswith(step_text.splitlines()[-1])

        # /status: the applications, then the question again, last, with its buttons
        calls = await resident.text("/status")
        messages = sent(calls)
        assert t("zh", "status.filling") in messages[0].params["text"]  # not yet submitted, not "never applied"
        assert messages[-1].params["text"].endswith(step_text.splitlines()[-1])


async def test_a_cantonese_question_at_the_id_step_is_answered_then_the_id_asked_again(tmp_path, fake):
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="polling"):
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:4])
        step_text = fake.bot_messages(CHAT)[-1]["text"]
        assert "身份证号" in step_text
        for question in ("點樣申請支出型困難家庭", "急難嗰種臨時救助最多可以攞幾多個月"):
            messages = [m.params["text"] for m in sent(await resident.text(question))]
            assert not any(re.search(r"输入了\d+位", m) for m in messages)  # never "you entered 11 digits"
            assert len(messages) == 2 and len(messages[0]) > 20  # the answer, then the question once
            assert messages[-1].endswith(step_text.splitlines()[-1])
        await resident.text(golden.APPLICANT_ID)
        assert "电话" in fake.bot_messages(CHAT)[-1]["text"]


async def test_a_short_answer_first_and_the_rest_on_more(tmp_path, fake):
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="polling"):
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:4])
        step_line = fake.bot_messages(CHAT)[-1]["text"].splitlines()[-1]
        short, again = [m.params["text"] for m in sent(await resident.text("临时救助能给多少钱"))]
        assert short.endswith("想看详细说明，请回复「更多」。") and again.endswith(step_line)
        longer, again = [m.params["text"] for m in sent(await resident.text("更多"))]
        assert longer.startswith(short.splitlines()[0]) and len(longer.splitlines()) > len(short.splitlines()) - 1
        assert "更多" not in longer and again.endswith(step_line)
