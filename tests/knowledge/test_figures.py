"""Placeholders in corpus text become the figures of the parameter file."""
from __future__ import annotations

import pytest

from knowledge.errors import MalformedDocument, UnknownParameter
from knowledge.figures import UNCERTAIN_MARK, format_number, render_figures
from knowledge.params import load_params


@pytest.fixture(scope="module")
def params():
    return load_params()


def test_a_figure_with_its_unit_and_the_uncertain_mark(params):
    rendered = render_figures("低保标准为{{dibao_standard}}。", params, document="t")
    standard = params["dibao_standard"]
    assert rendered.text == f"低保标准为{format_number(standard.value)}{standard.unit}{UNCERTAIN_MARK}。"
    assert rendered.params == ("dibao_standard",)


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


def test_the_mark_goes_after_the_unit_the_sentence_writes(params):
    rendered = render_figures("不超过{{max_homes|value}}套，以及{{max_homes|value}}与{{max_homes|value}}套。", params, document="t")
    assert rendered.text == f"不超过1套{UNCERTAIN_MARK}，以及1与1套{UNCERTAIN_MARK}。"


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
