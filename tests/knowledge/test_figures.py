"""Placeholders in corpus text become the figures of the parameter file."""
from __future__ import annotations

import pytest

from knowledge.errors import MalformedDocument, UnknownParameter
from knowledge.figures import applies_from, format_number, render_figures
from knowledge.params import load_params


@pytest.fixture(scope="module")
def params():
    return load_params()


def test_an_unverified_figure_is_shown_with_the_day_it_applies_from(params):
    # 80,501 was never found in a Guangzhou text: never presented as certain
    today = params.on("2026-11-30")
    rendered = render_figures("收入线{{resident_disposable_income_last_year}}。", today, document="t")
    assert today["resident_disposable_income_last_year"].uncertain
    assert rendered.text == "收入线80501元/人/年（2025年1月1日起）。"
    assert "待核实" not in rendered.text
    english = render_figures("{{resident_disposable_income_last_year|value}} yuan.", today, document="t", locale="en")
    assert english.text == "80501 yuan (from 1 January 2025)."


def test_a_figure_past_its_notice_is_not_marked_one_by_one(params):
    # the 2025 notice ran to 2026-06-01 and no newer one was found: the answer says so once, the
    # figure itself carries no bracket that reads like a start date
    today = params.on("2026-11-30")
    rendered = render_figures("低保标准为{{dibao_standard}}。", today, document="t")
    assert today["dibao_standard"].uncertain and today["dibao_standard"].expired_on == "2026-06-01"
    assert rendered.text == "低保标准为1309元/人/月。"
    assert rendered.params == ("dibao_standard",)


def test_a_derived_figure_carries_its_own_day_and_source(params):
    # 24 × the standard is the asset limit, which applies from 2025-06-01 (not the standard's 2025-01-01)
    template = "每人不超过{{dibao_standard*financial_assets_months|value}}元"
    before = render_figures(template, params.on("2025-03-01"), document="t")
    assert before.text == "每人不超过29712元（2024年6月1日起）"  # a floor of the raised 2024 limit
    after = render_figures(template, params.on("2025-07-01"), document="t")
    assert after.text == "每人不超过31416元" and after.params == ("financial_assets_limit_per_capita",)
    assert params.on("2025-07-01")["financial_assets_limit_per_capita"].effective_date == "2025-06-01"


def test_a_figure_verified_on_the_day_has_no_bracket(params):
    rendered = render_figures("低保标准为{{dibao_standard}}。", params.on("2025-07-01"), document="t")
    assert rendered.text == "低保标准为1309元/人/月。"


def test_figures_follow_the_day(params):
    template = "{{marginal_income_line|value}}"
    assert render_figures(template, params.on("2025-05-31"), document="t").text.startswith("1857")
    assert render_figures(template, params.on("2025-06-01"), document="t").text == "1963.5"


def test_a_certain_figure_has_no_mark(params):
    rendered = render_figures("{{reconsideration_days}}内", params, document="t")
    assert not params["reconsideration_days"].uncertain
    assert rendered.text == f"{params.value('reconsideration_days')}{params['reconsideration_days'].unit}内"


def test_percent_product_and_literal_factors(params):
    ratio = params.value("rigid_expenditure_ratio")
    line = params.value("dibao_standard") * params.value("marginal_income_multiple")
    rendered = render_figures(
        "达到{{rigid_expenditure_ratio|percent}}；每月{{dibao_standard*marginal_income_multiple|value}}元；"
        "{{60000*rigid_expenditure_ratio|value}}元",
        params,
        document="t",
    )
    assert f"{format_number(ratio * 100)}%" in rendered.text
    assert f"每月{format_number(line)}元" in rendered.text
    assert f"{format_number(60000 * ratio)}元" in rendered.text
    # the line is a parameter of its own (1.5 × the standard), cited with its own day
    assert rendered.params == ("rigid_expenditure_ratio", "marginal_income_line")


def test_the_date_goes_after_the_unit_the_sentence_writes(params):
    # late 2024: the 2024 notice's figures were not found, so 1238 and 1857 are floors, unverified
    day = params.on("2024-12-31")
    rendered = render_figures("不超过{{dibao_standard|value}}元，以及{{dibao_standard|value}}与{{marginal_income_line|value}}元。",
                              day, document="t")
    # one bracket per clause, with the latest day of the figures in it
    assert rendered.text == (f"不超过1238元{applies_from('2024-06-01')}，"
                             f"以及1238与1857元{applies_from('2024-06-01')}。")


@pytest.mark.parametrize("value, text", [(2052.0, "2052"), (1.5, "1.5"), (1778.4, "1778.4"), (0.125, "0.12"), (0, "0")])
def test_number_format(value, text):
    assert format_number(value) == text


def test_unknown_parameter_names_the_document(params):
    with pytest.raises(UnknownParameter) as caught:
        render_figures("{{no_such_figure}}", params, document="dibao")
    assert (caught.value.name, caught.value.document) == ("no_such_figure", "dibao")


@pytest.mark.parametrize("template", ["{{dibao_standard|bold}}", "{{dibao standard}}", "{{2*3}}", "{{dibao_standard"])
def test_unreadable_placeholders_are_refused(params, template):
    with pytest.raises(MalformedDocument):
        render_figures(template, params, document="t")
