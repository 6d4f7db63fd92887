"""Income and spending rules: net income per counted member against each programme's line.

Comparisons follow the texts: income "低于" a line is strictly below it; rigid spending must "超出"
(exceed) the local share of income.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from intake import household as app_figures
from knowledge.params import Parameter, PolicyParams

from intake.eligibility.checks import MET, NOT_MET, UNKNOWN, Line, check, exact, margin, members_missing, shown
from intake.eligibility.results import Check

MONTHS = app_figures.MONTHS_PER_YEAR


def _income_line(key: str, application: dict, params: PolicyParams, line_per_capita_annual: Fraction,
                 figures: dict[str, Any], parameters: tuple[Parameter, ...], *, bound: bool = False) -> Check:
    """Per-capita net income strictly below a line; a partial sum already at the line settles it.

    Where some relatives may or may not count (a legal duty the answers cannot tell), the rule is
    settled only when every possible household size gives the same answer. `bound`: the line is a
    floor of the real one, so an income at or above it is to be checked, not refused.
    """
    known, missing_sources = app_figures.known_income(application)
    missing = [f"income.{source}" for source in missing_sources]
    excluded = app_figures.excluded_income(application)
    income = exact(known)
    figures = {**figures, "annual_income": shown(income), "missing": missing}
    if excluded:
        figures["excluded"] = sorted(excluded)
    sizes = app_figures.household_size_range(application)
    if sizes is None or sizes[0] == 0:
        figures["missing"] = [*members_missing(application), *missing]
        return check(key, UNKNOWN, params, figures, parameters)
    fewest, most = sizes
    per_capita = income / fewest
    figures |= {"household_size": fewest, "per_capita_annual_income": shown(per_capita),
                "per_capita_monthly_income": shown(per_capita / MONTHS)}
    # the household's 12-month total against the line times the members counted
    strictest = Line(line_per_capita_annual * fewest, bound=bound)
    if fewest != most:
        # a relative who may or may not count: income is the household's, not per person, so
        # leaving them out may take their earnings out too. Only an income below the line even
        # with the fewest members settles it.
        figures |= {"household_size_most": most, "missing": [*members_missing(application), *missing]}
        if not missing and strictest.meets(income):
            return check(key, MET, params, figures, parameters)
        return check(key, UNKNOWN, params, figures, parameters)
    if missing:
        # the income given so far can only grow: already at the line settles it
        if not strictest.meets(income) and not bound:
            return check(key, NOT_MET, params, figures, parameters, "partial")
        return check(key, UNKNOWN, params, figures, parameters)
    outcome = strictest.outcome(income)
    return check(key, outcome, params, figures | {"margin": margin(strictest, income, "income")}, parameters,
                 "floor" if outcome == UNKNOWN else "")


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
    return _income_line("income_below_dibao", application, params, line * MONTHS, figures, (parameter, months),
                        bound=parameter.at_least)


def income_below_marginal(application: dict, params: PolicyParams) -> Check:
    """Per-capita monthly income below the 低保边缘 line (1.5 times the 低保 standard)."""
    line_parameter, multiple = params["marginal_income_line"], params["marginal_income_multiple"]
    line = exact(line_parameter.value)
    figures = {"line": shown(line), "multiple": shown(exact(multiple.value))}
    return _income_line("income_below_marginal", application, params, line * MONTHS, figures,
                        (line_parameter, multiple), bound=line_parameter.at_least)


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
    needed = Line(ratio * income, "above")
    if not income_missing and needed.meets(spent):
        # more income raises the share required: met while income stays below spending / ratio
        room = Line(spent / ratio, "below") if ratio else None
        figures |= {"margin": margin(room, income, "income")} if room and not unknown else {}
        return check(key, MET, params, figures, parameters, "zero_income" if income == 0 else "")
    if not unknown and not needed.meets(spent):
        figures |= {} if income_missing else {"margin": margin(needed, spent, "spending")}
        variant = "none" if spent == 0 else ("partial" if income_missing else "")
        return check(key, NOT_MET, params, figures, parameters, variant)
    return check(key, UNKNOWN, params, figures, parameters)
