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
    # the 2025 notice ran to 2026-06-01 and no newer one was found: 1309 is carried, not verified
    today = params.on("2026-11-30")
    rendered = render_figures("低保标准为{{dibao_standard}}。", today, document="t")
    assert today["dibao_standard"].uncertain
    assert rendered.text == "低保标准为1309元/人/月（2025年1月1日起）。"
    assert "待核实" not in rendered.text
    assert rendered.params == ("dibao_standard",)
    english = render_figures("{{dibao_standard|value}} yuan.", today, document="t", locale="en")
    assert english.text == "1309 yuan (from 1 January 2025)."


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
    assert rendered.params == ("rigid_expenditure_ratio", "dibao_standard", "marginal_income_multiple")


def test_the_date_goes_after_the_unit_the_sentence_writes(params):
    today = params.on("2026-11-30")
    rendered = render_figures("不超过{{dibao_standard|value}}元，以及{{dibao_standard|value}}与{{marginal_income_line|value}}元。",
                              today, document="t")
    # one bracket per clause, with the latest day of the figures in it
    assert rendered.text == (f"不超过1309元{applies_from('2025-01-01')}，"
                             f"以及1309与1963.5元{applies_from('2025-06-01')}。")


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
