"""Income and spending rules: net income per counted member against each programme's line.

Comparisons follow the texts: income "低于" a line is strictly below it; rigid spending must "超出"
(exceed) the local share of income.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from intake import household as app_figures
from knowledge.params import Parameter, PolicyParams

from intake.eligibility.checks import MET, NOT_MET, UNKNOWN, check, exact, members_missing, shown
from intake.eligibility.results import Check

MONTHS = app_figures.MONTHS_PER_YEAR


def _income_line(key: str, application: dict, params: PolicyParams, line_per_capita_annual: Fraction,
                 figures: dict[str, Any], parameters: tuple[Parameter, ...]) -> Check:
    """Per-capita net income strictly below a line; a partial sum already at the line settles it."""
    known, missing_sources = app_figures.known_income(application)
    missing = [f"income.{source}" for source in missing_sources]
    excluded = app_figures.excluded_income(application)
    figures = {**figures, "annual_income": shown(exact(known)), "missing": missing}
    if excluded:
        figures["excluded"] = sorted(excluded)
    size = app_figures.household_size(application)
    if size is None:
        figures["missing"] = [*members_missing(application), *missing]
        return check(key, UNKNOWN, params, figures, parameters)
    per_capita = exact(known) / size
    figures |= {
        "household_size": size,
        "per_capita_annual_income": shown(per_capita),
        "per_capita_monthly_income": shown(per_capita / MONTHS),
    }
    if per_capita >= line_per_capita_annual:
        return check(key, NOT_MET, params, figures, parameters, "partial" if missing else "")
    return check(key, UNKNOWN if missing else MET, params, figures, parameters)


def income_below_disposable(application: dict, params: PolicyParams) -> Check:
    """Per-capita annual income below last year's per-capita disposable income of the city's residents."""
    parameter = params["resident_disposable_income_last_year"]
    line = exact(parameter.value)
    return _income_line("income_below_disposable", application, params, line, {"line": shown(line)}, (parameter,))


def income_below_dibao(application: dict, params: PolicyParams) -> Check:
    """Per-capita monthly income below the 低保 standard (monthly average of the months asked)."""
    parameter, months = params["dibao_standard"], params["dibao_income_lookback_months"]
    line = exact(parameter.value)
    figures = {"line": shown(line), "months": shown(exact(months.value))}
    return _income_line("income_below_dibao", application, params, line * MONTHS, figures, (parameter, months))


def income_below_marginal(application: dict, params: PolicyParams) -> Check:
    """Per-capita monthly income below the 低保边缘 line (1.5 times the 低保 standard)."""
    line_parameter, multiple = params["marginal_income_line"], params["marginal_income_multiple"]
    line = exact(line_parameter.value)
    figures = {"line": shown(line), "multiple": shown(exact(multiple.value))}
    return _income_line("income_below_marginal", application, params, line * MONTHS, figures,
                        (line_parameter, multiple))


def counted_spending(application: dict) -> tuple[dict[str, int | float | None], list[str]]:
    """Rigid spending by national category, and the categories left out and why.

    Education counts from kindergarten to undergraduate: where every student in the household
    studies beyond that, the education amount is left out.
    """
    by_category = dict(app_figures.expenses_by_category(application))
    left_out = []
    students = [m for m in app_figures.people(application) if "student" in (m.get("flags") or [])]
    if "education" in by_category and students and all(m.get("study_level") == "postgraduate" for m in students):
        del by_category["education"]
        left_out.append("education_postgraduate")
    return by_category, left_out


def rigid_expenditure(application: dict, params: PolicyParams) -> Check:
    """Rigid spending over the last 12 months exceeds the set share of household net income."""
    ratio_parameter, lookback = params["rigid_expenditure_ratio"], params["expense_lookback_months"]
    parameters = (ratio_parameter, lookback)
    ratio = exact(ratio_parameter.value)
    key = "rigid_expenditure"
    income, income_missing = app_figures.known_income(application)
    missing = [f"income.{source}" for source in income_missing]
    if app_figures.spending_kinds(application) is None:
        figures = {"annual_income": shown(exact(income)), "ratio_percent": shown(ratio * 100),
                   "months": shown(exact(lookback.value)), "missing": [*missing, "spending.kinds"]}
        return check(key, UNKNOWN, params, figures, parameters)
    by_category, left_out = counted_spending(application)
    unknown = [f"spending.{kind}" for kind, amount in by_category.items() if amount is None]
    spent = sum((exact(a) for a in by_category.values() if a is not None), Fraction(0))
    income = exact(income)
    figures = {
        "expenditure": shown(spent), "annual_income": shown(income), "ratio_percent": shown(ratio * 100),
        "required": shown(ratio * income), "categories": sorted(by_category), "left_out": left_out,
        "months": shown(exact(lookback.value)), "missing": missing + unknown,
    }
    # a known total can only grow with the unknown amounts, so these settle the rule early
    if not income_missing and spent > ratio * income and spent > 0:
        return check(key, MET, params, figures, parameters, "zero_income" if income == 0 else "")
    if not unknown and spent == 0:
        return check(key, NOT_MET, params, figures, parameters, "none")
    if not unknown and spent <= ratio * income:
        return check(key, NOT_MET, params, figures, parameters, "partial" if income_missing else "")
    return check(key, UNKNOWN, params, figures, parameters)
