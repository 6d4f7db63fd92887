"""How much the golden household (three people, two medical bills) is asked and has to read.

A question is a position (step, member or expense number) the conversation asks, from consent to
the summary's confirmation; each is counted once, however often it is shown again (a tick in a
multiple choice, a receipt received). Prompt characters are those of the message that first asks
it: progress line, question and hint; button labels and the summary's list of answers are not
prompts. The idle menu before the application is not part of it.
"""
from __future__ import annotations

from datetime import date

import pytest

from dialogs.engine import Context, handle
from dialogs.messages import Attachment, Inbound
from knowledge.params import load_params
from tests import golden

MAX_QUESTIONS = 33  # 30, and the three separate consents the law asks for (health, finances, a child under 14)
MAX_PROMPT_CHARACTERS = 3100  # 2500, and the three consents' questions with what a no means (~570 in English)


def asked(locale: str) -> list[tuple[tuple[str, int | None], str]]:
    """Each position asked in the golden application, with the text of its first asking."""
    ctx = Context(today=date(2026, 11, 23), districts=load_params().city_districts, default_locale=locale)
    state, seen = None, []
    for kind, value in golden.steps(locale):
        if kind == "file":
            content_type, data = golden.RECEIPTS[value]
            inbound = Inbound(attachments=(Attachment(f"id-{value}", value, content_type, len(data)),))
        else:
            inbound = Inbound(text=value) if kind == "text" else Inbound(option=value)
        turn = handle(state, inbound, ctx)
        state = turn.state
        position = (state["step"], state["item"])
        if state["flow"] and position not in [p for p, _ in seen]:
            seen.append((position, turn.replies[-1].text))
    return seen


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_the_golden_household_is_asked_little_and_reads_little(locale):
    questions = asked(locale)
    characters = sum(len(text) for _, text in questions)
    print(f"{locale}: {len(questions)} questions, {characters} prompt characters")
    assert questions[0][0] == ("consent", None) and questions[-1][0] == ("summary", None)
    assert len(questions) <= MAX_QUESTIONS, [p for p, _ in questions]
    assert characters <= MAX_PROMPT_CHARACTERS
