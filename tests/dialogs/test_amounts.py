"""Amounts with their period: monthly answers are converted to the 12 months the record keeps and confirmed once,
a bare figure keeps the question's period, two figures or other periods are asked back, cents stay as typed."""
from __future__ import annotations

import re

import pytest

from dialogs.flows import hardship as flow
from dialogs.numbers import parse_money
from dialogs.validators import Invalid
from tests.dialogs.test_engine import Chat, until
from tests.dialogs.test_id_numbers import walk_to
from tests.walk import answer, steps_of_kind

YEARLY = [step for step in steps_of_kind("money") if flow.BY_ID[step].period == "year"]
CJK = re.compile(r"[\u3400-\u9fff]")

# (locale, what the resident types, the figure said per month)
MONTHLY = [
    ("zh", "每月5000", 5000), ("zh", "月薪5000", 5000), ("zh", "一个月三千五", 3500), ("zh", "三千五一个月", 3500),
    ("zh", "每月工资5000元", 5000), ("zh", "5000元/月", 5000), ("zh", "一月五千", 5000),
    ("zh", "每個月三千五蚊", 3500), ("zh", "一個月3500", 3500), ("zh", "三千五一個月", 3500),  # Cantonese
    ("en", "1500 a month", 1500), ("en", "5k/month", 5000), ("en", "1,500 per month", 1500),
    ("en", "RMB 1500 monthly", 1500), ("en", "1500/mo", 1500),
]


@pytest.mark.parametrize("locale, words, monthly", MONTHLY)
def test_a_monthly_answer_is_confirmed_once_and_stored_for_12_months(locale, words, monthly):
    chat = until(Chat(locale), "income.wages", locale)
    chat.text(words)
    assert chat.step == "income.wages" and "wages" not in chat.state["answers"]["income"]
    asked = chat.last_text()
    yearly = f"{monthly * 12:,}"
    if locale == "zh":
        assert f"每月{monthly:,}元，一年约{yearly}元，对吗？" in asked
    else:
        assert f"{monthly:,} yuan a month is about {yearly} yuan a year. Is that right?" in asked
        assert not CJK.search(asked)
    assert chat.options()[:2] == ["yes", "no"]
    chat.option("yes")
    assert chat.step == "income.transfers"
    assert chat.state["answers"]["income"]["wages"] == {
        "amount": monthly * 12, "estimated": False, "said": {"words": words, "amount": monthly, "period": "month"}}


@pytest.mark.parametrize("locale, yes", [("zh", "对"), ("zh", "是"), ("zh", "啱"), ("zh", "1"), ("en", "yes"),
                                         ("en", "correct")])
def test_the_conversion_can_be_confirmed_in_words(locale, yes):
    chat = until(Chat(locale), "income.wages", locale)
    chat.text("每月5000" if locale == "zh" else "5000 a month")
    chat.text(yes)
    assert chat.state["answers"]["income"]["wages"]["amount"] == 60000 and chat.step == "income.transfers"


@pytest.mark.parametrize("no", ["不对", "否", "唔啱", "no", "2"])
def test_no_to_the_conversion_asks_the_amount_again_and_stores_nothing(no):
    chat = until(Chat(), "income.wages")
    chat.text("每月5000")
    chat.text(no)
    assert chat.step == "income.wages" and "wages" not in chat.state["answers"]["income"]
    assert "请重新填写金额" in chat.last_text() and "工资一共多少" in chat.last_text()
    chat.text("50000")  # the year's figure this time: taken as it is
    assert chat.state["answers"]["income"]["wages"] == {"amount": 50000, "estimated": False}


def test_a_new_figure_typed_at_the_confirmation_replaces_the_first():
    chat = until(Chat(), "income.wages")
    chat.text("每月5000")
    chat.text("每月4500")
    assert "每月4,500元，一年约54,000元" in chat.last_text()
    chat.text("随便")  # neither yes, no nor an amount: the confirmation stays
    assert "请回答「对」或「不对」" in chat.last_text() and "一年约54,000元" in chat.last_text()
    chat.option("yes")
    assert chat.state["answers"]["income"]["wages"]["amount"] == 54000


@pytest.mark.parametrize("locale, words, amount, period", [
    ("zh", "3000", 3000, None), ("zh", "1500", 1500, None), ("zh", "年收入3万", 30000, "year"),
    ("zh", "一年一共36000元", 36000, "year"), ("zh", "过去12个月一共3万", 30000, "year"),
    ("en", "18000 a year", 18000, "year"), ("en", "per year 18000", 18000, "year"), ("en", "1500", 1500, None),
])
def test_a_bare_or_yearly_figure_is_the_12_months_figure_without_a_confirmation(locale, words, amount, period):
    chat = until(Chat(locale), "income.wages", locale)
    chat.text(words)
    assert chat.step == "income.transfers"
    stored = chat.state["answers"]["income"]["wages"]
    assert stored["amount"] == amount and stored["estimated"] is False
    assert stored.get("said") == (None if period is None else {"words": words, "amount": amount, "period": period})


@pytest.mark.parametrize("step_id", YEARLY)
@pytest.mark.parametrize("locale, period_words", [("zh", "过去12个月"), ("en", "last 12 months")])
def test_every_amount_question_names_its_period(step_id, locale, period_words):
    chat = walk_to(Chat(locale), step_id)
    assert period_words in chat.last_text()
    if locale == "en":
        assert not CJK.search(chat.last_text())  # no 3千、1.2万 in an English hint


@pytest.mark.parametrize("step_id", YEARLY)
def test_every_yearly_amount_question_takes_a_monthly_figure(step_id):
    chat = walk_to(Chat(), step_id)
    chat.text("每月1000")
    chat.option("yes")
    assert chat.step != step_id
    head, _, tail = step_id.partition(".")
    assert chat.state["answers"][head][tail]["amount"] == 12000


@pytest.mark.parametrize("words, key", [
    ("3000-4000", "只需要一个金额"), ("3000到4000", "只需要一个金额"), ("三四千", "只需要一个金额"),
    ("每月5000一年6万", "只需要一个金额"), ("3000 4000", "只需要一个金额"),
    ("每周500", "按每月或一年"), ("每天100", "按每月或一年"), ("半年3000", "按每月或一年"), ("三个月9000", "按每月或一年"),
])
def test_an_ambiguous_answer_is_asked_back_never_guessed(words, key):
    chat = until(Chat(), "income.wages")
    chat.text(words)
    assert chat.step == "income.wages" and "wages" not in chat.state["answers"]["income"]
    assert key in chat.last_text()
    chat.text(words)  # asked back once; the second time the caseworker can take it over
    assert chat.step == "income.wages" and "_leave" in chat.options()


def test_ambiguous_answers_are_explained_in_english_only():
    chat = until(Chat("en"), "income.wages", "en")
    for words in ("3000-4000", "500 a week", "lots"):
        chat.text(words)
        assert chat.step == "income.wages" and not CJK.search(chat.last_text()), chat.last_text()


def test_a_period_at_the_question_about_savings_now_is_asked_back():
    chat = until(Chat(), "assets.financial")
    chat.text("每月500")
    assert chat.step == "assets.financial" and "现在一共有多少" in chat.last_text()
    chat.text("20000")
    assert chat.state["answers"]["assets"]["financial"] == {"amount": 20000, "estimated": False}


def test_an_estimated_monthly_figure_is_converted_and_stays_an_estimate():
    chat = until(Chat(), "income.transfers")
    chat.option("_unknown")
    chat.text("大概每个月300")
    assert "每月300元，一年约3,600元，对吗？" in chat.last_text()
    chat.option("yes")
    stored = chat.state["answers"]["income"]["transfers"]
    assert stored["amount"] == 3600 and stored["estimated"] is True and stored["said"]["period"] == "month"


def go_on(chat: Chat, target: str, typed: dict[str, str]) -> Chat:
    """Answer by kind (or with `typed` at chosen steps) until the conversation reaches `target`."""
    for _ in range(100):
        if chat.step == target:
            return chat
        kind, value = ("text", typed[chat.step]) if chat.step in typed else answer(chat.step, chat.options())
        chat.option(value) if kind == "option" else chat.text(value)
    raise AssertionError(f"never reached {target}")


def test_cents_stay_as_typed_and_the_summary_shows_the_monthly_figure():
    chat = until(Chat(), "income.wages")
    chat.text("每月5000")
    chat.option("yes")
    go_on(chat, "spending.medical", {"spending.kinds": "医疗"})
    chat.text("14,293.90")
    assert chat.state["answers"]["spending"]["medical"] == {"amount": 14293.9, "estimated": False}
    go_on(chat, "summary", {})
    summary = chat.last_text()
    assert "14,293.90元" in summary and "60,000元（每月5,000元）" in summary


def test_a_monthly_figure_with_cents_keeps_them_in_the_year():
    chat = until(Chat(), "income.wages")
    chat.text("每月3,500.50")
    assert "每月3,500.50元，一年约42,006元" in chat.last_text()


def test_back_from_the_confirmation_leaves_nothing_waiting():
    chat = until(Chat(), "income.wages")
    chat.text("每月5000")
    chat.option("_back")
    assert chat.step != "income.wages" and "amount" not in chat.state and chat.state["pending"] is None


@pytest.mark.parametrize("words", ["每月5000", "5000", "1500 a month", "约3000"])
def test_the_parser_reads_the_period_said(words):
    value = parse_money(words)
    assert set(value) == {"amount", "estimated", "period"}


def test_two_periods_in_one_answer_are_refused():
    with pytest.raises(Invalid) as caught:
        parse_money("每月5000一年")
    assert caught.value.key == "invalid.money_two"
