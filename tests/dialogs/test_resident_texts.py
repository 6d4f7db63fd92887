"""What a resident reads: no internal markers, codes or raw values; a way to attach and to skip; back keeps answers."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dialogs.flows import hardship as flow
from dialogs.messages import Attachment, Inbound
from dialogs.texts import t as LOCALES
from tests.dialogs.test_engine import Chat
from tests.walk import answer

RAW_VALUES = {value for step in flow.STEPS for value in step.options if not value.isdigit()} - {"other", "none"}
STEP_CODE = re.compile(r"\b(q|opt|hint|label|invalid|section|value|files|leave|back)\.[a-z_]{2,}")


def walk_everything(locale: str, channel: str | None = None) -> Chat:
    """Every branch (all yes, all situations), a receipt, a slip at each checked step, a step back, then submit."""
    chat = Chat(locale)
    chat.ctx = replace(chat.ctx, channel=channel)
    chat.text("开始申请" if locale == "zh" else "apply")
    went_back = False
    for _ in range(300):
        step = chat.step
        kind, value = answer(step, chat.options(), locale, agree=True)
        if flow.BY_ID[step].kind in ("money", "count", "id_number", "phone", "date"):
            chat.text("??")  # a slip: explained, asked again
        if flow.BY_ID[step].kind == "files" and "_skip" in chat.options():
            chat.send(Inbound(attachments=(Attachment("f1", "receipt.jpg", "image/jpeg", 10),)))
            kind, value = "option", "_done"
        if flow.BY_ID[step].kind == "text" and not went_back and chat.state["history"]:
            went_back = True
            chat.option("_back")
            chat.option("_keep")
        if step == "summary":
            return chat
        chat.option(value) if kind == "option" else chat.text(value)
    raise AssertionError("did not reach the summary")


def shown(chat: Chat) -> list[str]:
    return [piece for turn in chat.turns for reply in turn.replies
            for piece in (reply.text, *(o.label for o in reply.options))]


def test_an_english_conversation_carries_no_chinese_punctuation_or_amount_forms():
    for text in shown(walk_everything("en")):
        assert not any(mark in text for mark in "【】：「」、"), text
        assert "3千" not in text and "1.2万" not in text, text


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("channel", ["web", "telegram", "api:partner", "terminal"])
def test_nothing_internal_reaches_the_resident(locale, channel):
    chat = walk_everything(locale, channel)
    texts = shown(chat)
    for text in texts:
        assert "示例" not in text and "(example)" not in text and "待核实" not in text and "to be verified" not in text
        assert not re.search(r"/(status|ask|help|start|lang|cancel)\b", text), text
        assert not STEP_CODE.search(text), text
        assert "。，" not in text and "0个文件" not in text and "0 file(s)" not in text, text
        words = set(re.findall(r"[A-Za-z_]+", text))
        raw = RAW_VALUES if locale == "zh" else {v for v in RAW_VALUES if "_" in v}  # English words may be values too
        assert not words & raw, (words & raw, text)
    summary = chat.last_text()
    assert ("未附票据" if locale == "zh" else "no receipts attached") in summary or "1" in summary


@pytest.mark.parametrize("channel, words", [("telegram", "📎"), ("web", "附件"), ("terminal", "/file"),
                                            ("api:partner", "发送照片")])
def test_the_receipts_question_says_how_to_attach_here_and_can_be_skipped(channel, words):
    step_id = next(s.id for s in flow.STEPS if s.kind == "files")
    chat = Chat()
    chat.ctx = replace(chat.ctx, channel=channel)
    chat.text("开始申请")
    for _ in range(300):  # every tick, so the spending that asks for receipts is among them
        if chat.step == step_id:
            break
        kind, value = answer(chat.step, chat.options(), agree=True)
        chat.option(value) if kind == "option" else chat.text(value)
    assert chat.step == step_id
    assert words in chat.last_text()
    assert "_skip" in chat.options() and "_done" not in chat.options()
    chat.send(Inbound(attachments=(Attachment("f1", "r.jpg", "image/jpeg", 10),)))
    assert "_done" in chat.options() and "_skip" not in chat.options()


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_back_shows_the_earlier_answer_and_keeps_it(locale):
    chat = Chat(locale)
    chat.text("开始申请" if locale == "zh" else "apply")
    name_step = next(s.id for s in flow.STEPS if s.kind == "name")
    while chat.step != name_step:
        chat.option(answer(chat.step, chat.options(), locale)[1])
    chat.text("陈美玲")
    after = chat.step
    chat.text("返回" if locale == "zh" else "back")
    assert chat.step == name_step and "陈美玲" in chat.last_text() and "_keep" in chat.options()
    chat.text("保留原答案" if locale == "zh" else "Keep this answer")
    assert chat.step == after and chat.state["answers"]["applicant"]["name"] == "陈美玲"
    chat.option("_back")
    chat.text("陈小玲")
    assert chat.step == after and chat.state["answers"]["applicant"]["name"] == "陈小玲"


def test_every_text_exists_in_both_languages():
    assert set(LOCALES["zh"]) == set(LOCALES["en"])
