"""Monthly amounts on Telegram (real aiogram and python-telegram-bot code against the fake Bot API): the
conversion is confirmed with a button and the 12 months' figure reaches the caseworker with the words said."""
from __future__ import annotations

import re

import pytest

from tests import golden
from tests.telegram.harness import TelegramResident, running_bot

CJK = re.compile(r"[\u3400-\u9fff]")


def with_wages(locale: str, words: str) -> list[tuple[str, str]]:
    """The golden application with the wages said per month, then confirmed with the button."""
    steps = golden.steps(locale)
    at = steps.index(("text", "2.4万" if locale == "zh" else "24,000"))
    return steps[:at] + [("text", words), ("option", "yes")] + steps[at + 1:]


@pytest.mark.parametrize("runtime, locale, words, confirmation", [
    ("aiogram", "zh", "每月2000", "每月2,000元，一年约24,000元，对吗？"),
    ("ptb", "zh", "每個月二千蚊", "每月2,000元，一年约24,000元，对吗？"),  # Cantonese
    ("aiogram", "en", "2000 a month", "2,000 yuan a month is about 24,000 yuan a year. Is that right?"),
])
async def test_a_monthly_wage_is_confirmed_and_filed_for_12_months(tmp_path, fake, runtime, locale, words,
                                                                   confirmation):
    chat = 700300 + len(words)
    steps = with_wages(locale, words)
    at = steps.index(("text", words))
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling") as app:
        resident = TelegramResident(fake, chat)
        await resident.replay(steps[:at + 1])
        asked = resident.said()
        assert confirmation in asked
        if locale == "en":
            assert not CJK.search(asked)
        await resident.replay(steps[at + 1:])
        [summary] = await app.state.services.intakes.list_for_user("telegram", str(chat))
        application = (await app.state.services.intakes.get(summary.id)).application
    assert application["income"]["wages"] == {
        "amount": 24000, "estimated": False, "said": {"words": words, "amount": 2000, "period": "month"}}
