"""On a text channel every option can be typed: its number, its whole label, or a clear part of it, in both languages."""
from __future__ import annotations

import copy

import pytest

from dialogs.flows import hardship as flow
from dialogs.steps import get_answer
from tests import golden
from tests.dialogs.test_engine import Chat
from tests.walk import answer

CHOICE_STEPS = [s.id for s in flow.STEPS if s.kind in ("choice", "yesno", "multi")]
GUARDED = {"members.relationship": ("option", "child"), "members.id_number": ("text", golden.CHILD_ID)}
_AT: dict[tuple[str, str], dict] = {}


def at(step_id: str, locale: str) -> Chat:
    chat = Chat(locale)
    if (step_id, locale) not in _AT:
        walker = Chat(locale)
        walker.text("开始申请" if locale == "zh" else "apply")
        agree = flow.BY_ID[step_id].when is not None
        while walker.step != step_id:
            kind, value = answer(walker.step, walker.options(), locale, agree=agree)
            if step_id == "members.guardian" and walker.step in GUARDED:  # asked only for a child under 14
                kind, value = GUARDED[walker.step]
            walker.option(value) if kind == "option" else walker.text(value)
            assert len(walker.turns) < 200
        _AT[(step_id, locale)] = {"state": walker.state, "options": walker.turns[-1].replies}
    chat.state = copy.deepcopy(_AT[(step_id, locale)]["state"])
    return chat


def offered(step_id: str, locale: str) -> list[tuple[str, str]]:
    at(step_id, locale)
    return [(o.value, o.label) for r in _AT[(step_id, locale)]["options"] for o in r.options]


def stored(chat: Chat, step_id: str):
    step = flow.BY_ID[step_id]
    return get_answer(chat.state["answers"], step, chat.state["item"] if step.group else None) if not step.control \
        else None


def cases():
    for locale in ("zh", "en"):
        for step_id in CHOICE_STEPS:
            for number, (value, label) in enumerate(offered(step_id, locale), start=1):
                yield pytest.param(locale, step_id, number, value, label, id=f"{locale}-{step_id}-{value}")


@pytest.mark.parametrize("locale, step_id, number, value, label", list(cases()))
def test_every_option_typed_as_its_label(locale, step_id, number, value, label):
    chat = at(step_id, locale)
    before = copy.deepcopy(chat.state)
    chat.text(label)
    step = flow.BY_ID[step_id]
    if value == "_back":
        assert chat.step == before["history"][-1][0]
        return
    assert chat.step != step_id or step.kind == "multi" and value not in ("_done", "_none"), chat.last_text()
    if step.control:
        return
    got = stored(chat, step_id) if chat.step != step_id else None
    if step.kind == "multi":
        assert got == ([] if value in ("_done", "_none") else [value])
    elif step.kind == "yesno":
        assert got is (value == "yes")
    elif step_id == "consent":
        assert chat.state["flow"] == (None if value == "disagree" else flow.FLOW)
    else:
        assert got == value


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_real_option_typed_as_its_number(locale):
    for step_id in CHOICE_STEPS:
        real = [(v, label) for v, label in offered(step_id, locale) if not v.startswith("_")]
        for number, (value, _) in enumerate(real, start=1):
            chat = at(step_id, locale)
            chat.text(str(number))
            assert chat.step != step_id, (step_id, number, chat.last_text())


@pytest.mark.parametrize("locale, step_option, typed", [
    ("zh", "medical", "医疗"), ("zh", "medical", "医疗（医保报销后自付）"), ("zh", "medical", "医疗(医保报销后自付)"),
    ("zh", "rehabilitation", "康复"), ("zh", "dibao", "低保"), ("zh", "none", "都没有"), ("zh", "dibao_edge", "低保边缘"),
    ("zh", "grandparent", "祖父母"), ("zh", "grandchild", "外孙子女"), ("zh", "agree", "同意"),
    ("en", "medical", "medical"), ("en", "medical", "Medical (after insurance)"), ("en", "dibao", "低保"),
    ("en", "tekun", "extreme-poverty"), ("en", "sibling", "sister"), ("en", "none", "none of these"),
    ("en", "education", "EDUCATION"),
])
def test_a_clear_part_of_a_label(locale, step_option, typed):
    step_id = next(s.id for s in flow.STEPS if step_option in s.options)
    chat = at(step_id, locale)
    chat.text(typed)
    assert chat.step != step_id, chat.last_text()
    if step_id != "consent":
        assert stored(chat, step_id) in (step_option, [step_option])  # a choice, or a tick-box


@pytest.mark.parametrize("locale, typed", [("zh", "发送完毕"), ("en", "Finished sending"), ("en", "finished sending.")])
def test_files_done_typed(locale, typed):
    step_id = next(s.id for s in flow.STEPS if s.kind == "files")
    chat = at(step_id, locale)
    chat.text(typed)
    assert chat.step != step_id


@pytest.mark.parametrize("locale, typed", [("zh", "选好了"), ("zh", "都没有"), ("en", "Done"), ("en", "None of these")])
def test_multi_finish_words_typed_after_presses(locale, typed):
    step_id = next(s.id for s in flow.STEPS if s.kind == "multi")
    chat = at(step_id, locale)
    chat.option(flow.BY_ID[step_id].options[-1])
    chat.text(typed)
    expected = [flow.BY_ID[step_id].options[-1]] if typed in ("选好了", "Done") else []
    assert chat.step != step_id and stored(chat, step_id) == expected


def test_an_unclear_part_is_refused_with_the_choices():
    step_id = next(s.id for s in flow.STEPS if "grandparent" in s.options)
    chat = at(step_id, "en")
    chat.text("grand")
    assert chat.step == step_id and "choose" in chat.last_text().lower()
