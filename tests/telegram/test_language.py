"""The resident's Telegram app language: an English app gets English from /start, on both runtimes."""
from __future__ import annotations

import pytest

from dialogs.texts import t
from tests.telegram.harness import TelegramResident, running_bot


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_an_english_client_gets_english_from_start(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling"):
        english, chinese = TelegramResident(fake, 810001), TelegramResident(fake, 810002)
        fake.speaks(810001, "en-GB")
        await english.text("/start")
        assert t("en", "idle.menu") in english.said()
        await english.option("start")
        assert "income and assets" in english.said()  # the consent question, in English
        await chinese.text("/start")
        assert t("zh", "idle.menu") in chinese.said()
