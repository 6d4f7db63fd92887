"""The shape of every answer: a short answer, at most three supporting lines, the sources on their own line,
no half sentences; other cities declined in one sentence with where to ask."""
from __future__ import annotations

import re

import pytest

from knowledge.documents import CORPUS_DIR
from knowledge.evaluation import half_path, load_questions
from knowledge.shape import LEAD_CHARS, LEAD_WORDS, SUPPORT_LINES, fit, shape
from knowledge.texts import text

_ENDS = re.compile(r"[。！？）」”.!?)\"]$")


async def test_every_answer_of_the_tuning_half_has_the_shape(answerer):
    for q in load_questions(half_path("tune")):
        answer = await answerer.answer(q.question, q.locale)
        if not answer.confident:
            continue
        lines = answer.text.splitlines()
        english = answer.text.startswith(tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        *body, sources = lines
        assert sources.startswith("Sources: " if english else "来源："), q.question
        assert 1 <= len(body) <= 1 + SUPPORT_LINES, q.question
        lead = body[0]
        assert (len(lead.split()) <= LEAD_WORDS) if english else (len(lead) <= LEAD_CHARS), q.question
        for line in body:
            assert _ENDS.search(line), (q.question, line)  # every line ends where a sentence ends
        assert "文中数字" not in answer.text and "Figures and the dates" not in answer.text


def test_a_long_sentence_is_cut_where_a_clause_ends_and_closed():
    sentence = "甲" * 70 + "，" + "乙" * 70 + "。"
    assert fit(sentence, LEAD_CHARS, "zh") == "甲" * 70 + "。"
    words = " ".join(["word"] * 40) + ", " + " ".join(["more"] * 40) + "."
    assert fit(words, LEAD_WORDS, "en") == " ".join(["word"] * 40) + "."


def test_a_list_is_answered_by_naming_its_items():
    units = ["需要带：", "· 身份证：本人的。", "· 户口簿：全家的。", "· 银行卡：本人名下。", "· 票据：近一年的。"]
    shaped = shape(units, "zh", is_list=True)
    assert shaped.lead == "需要带：身份证、户口簿、银行卡、票据。"
    assert len(shaped.support) == SUPPORT_LINES


@pytest.mark.parametrize("question, place", [("深圳的低保标准是多少", "深圳"), ("佛山的临时救助最多给多少", "佛山"),
                                             ("How much is dibao in Shenzhen", "Shenzhen")])
async def test_another_city_is_declined_with_where_to_ask(answerer, question, place):
    answer = await answerer.answer(question)
    assert not answer.confident and answer.sources == []
    assert answer.text == text("en" if question.isascii() else "zh", "elsewhere", place=place)
    assert place in answer.text and "1309" not in answer.text


@pytest.mark.parametrize("question", ["我户口在广州，现在在深圳打工，可以在广州申请临时救助吗",
                                      "女儿考上了中山大学，学费住宿费要一万多，有没有资助"])
async def test_a_question_about_guangzhou_that_names_another_city_is_answered(answerer, question):
    # a city's name heading a longer one (中山大学, 北京路) is not that city
    answer = await answerer.answer(question)
    assert answer.confident


def test_a_list_s_heads_and_its_whole_items_are_named_apart():
    units = ["· 个人：不少于2个月。", "· 急难型：最多3个月。", "· 每户每年合计最多5万元。"]
    shaped = shape(units, "zh", is_list=True)
    assert shaped.lead == "个人、急难型；每户每年合计最多5万元。"
    # the first clauses of sentences are no names for a list's items
    steps = ["可以申请急难型临时救助：", "· 先找镇街说明情况，当场受理。", "· 情况紧急的，镇街可以先行救助。"]
    assert shape(steps, "zh", is_list=True).lead == "可以申请急难型临时救助。"
    conditions = ["同时符合下面的条件：", "· 无劳动能力。", "· 无生活来源。", "· 没有义务人，或者义务人没有能力。"]
    assert shape(conditions, "zh", is_list=True).lead == "同时符合下面的条件：无劳动能力、无生活来源、没有义务人。"


def test_no_passage_points_at_text_an_answer_may_not_show():
    for path in sorted(CORPUS_DIR.rglob("*.md")):
        body = path.read_text(encoding="utf-8")
        assert not re.search(r"上面(?:的|清单)|上述|(?:see|listed|shown) above|on the checklist", body), path.name


async def test_the_longer_answer_says_what_the_short_one_left_out(answerer):
    short = await answerer.answer("临时救助能给多少钱")
    longer = await answerer.answer("临时救助能给多少钱", more=True)
    assert short.longer and not longer.longer
    assert longer.text.startswith(short.text.splitlines()[0])
    assert len(longer.text.splitlines()) > len(short.text.splitlines())
    assert longer.text.splitlines()[-1].startswith("来源：")
