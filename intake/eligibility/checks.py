"""The rules, one function each: (application, params) -> Check. Exact arithmetic, no figures here."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from dialogs import application as app_figures
from knowledge.params import PolicyParams

from intake.eligibility.results import Check, Outcome

MET, NOT_MET, UNKNOWN = Outcome.MET, Outcome.NOT_MET, Outcome.UNKNOWN
ALREADY_COVERED = ("dibao", "tekun", "dibao_edge")
ASSISTANCE_VALUES = ("none", "temporary", *ALREADY_COVERED)


def exact(value: int | float) -> Fraction:
    """A parameter or amount as an exact fraction (0.6 is three fifths, not 0.59999...)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def shown(value: Fraction | int | float | None) -> int | float | None:
    """A figure as stored and shown: whole yuan stay integers, others keep two decimals."""
    if value is None:
        return None
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    # beyond float precision the cents no longer matter; keep the figure an exact integer
    if abs(value) >= 10**15:
        return round(value)
    return round(float(value), 2)


def registration(application: dict, params: PolicyParams) -> Check:
    """Household registration in one of the city's districts."""
    district = (application.get("applicant") or {}).get("district")
    if not district:
        return Check("registration", UNKNOWN, {"missing": ["district"]})
    figures: dict[str, Any] = {"district": district}
    if district in params.city_districts:
        figures["district_label"] = {loc: params.district_label(district, loc) for loc in ("zh", "en")}
        return Check("registration", MET, figures)
    return Check("registration", NOT_MET, figures)


def not_already_covered(application: dict, params: PolicyParams) -> Check:
    """Not already a 低保, 特困 or 低保边缘 household."""
    assistance = application.get("assistance")
    if assistance not in ASSISTANCE_VALUES:
        return Check("not_already_covered", UNKNOWN, {"missing": ["assistance"]})
    outcome = NOT_MET if assistance in ALREADY_COVERED else MET
    return Check("not_already_covered", outcome, {"assistance": assistance})


def _income_line(key: str, application: dict, line_per_capita_annual: Fraction, *, strict: bool,
                 figures: dict[str, Any], parameters: tuple) -> Check:
    """Per-capita income against a line; a partial sum already over the line settles it."""
    size = app_figures.household_size(application)
    known, missing_sources = app_figures.known_income(application)
    missing = [f"income.{source}" for source in missing_sources]
    figures = {**figures, "annual_income": shown(known), "missing": missing}
    if size is None:
        figures["missing"] = ["household_size", *missing]
        return Check(key, UNKNOWN, figures, parameters)
    per_capita = exact(known) / size
    figures |= {
        "household_size": size,
        "per_capita_annual_income": shown(per_capita),
        "per_capita_monthly_income": shown(per_capita / app_figures.MONTHS_PER_YEAR),
    }
    below = per_capita < line_per_capita_annual if strict else per_capita <= line_per_capita_annual
    if not below:
        return Check(key, NOT_MET, figures, parameters, "partial" if missing else "")
    return Check(key, UNKNOWN if missing else MET, figures, parameters)


def income_below_disposable(application: dict, params: PolicyParams) -> Check:
    """Per-capita annual income below last year's urban per-capita disposable income."""
    parameter = params["resident_disposable_income_last_year"]
    line = exact(parameter.value)
    return _income_line("income_below_disposable", application, line, strict=True,
                        figures={"line": shown(line)}, parameters=(parameter,))


def income_below_dibao(application: dict, params: PolicyParams) -> Check:
    """Per-capita monthly income below the 低保 standard."""
    parameter = params["dibao_standard"]
    line = exact(parameter.value)
    return _income_line("income_below_dibao", application, line * app_figures.MONTHS_PER_YEAR, strict=True,
                        figures={"line": shown(line)}, parameters=(parameter,))


def income_within_marginal(application: dict, params: PolicyParams) -> Check:
    """Per-capita monthly income at most the 低保边缘 multiple of the 低保 standard."""
    multiple, standard = params["marginal_income_multiple"], params["dibao_standard"]
    line = exact(multiple.value) * exact(standard.value)
    figures = {"line": shown(line), "multiple": shown(exact(multiple.value)), "dibao_standard": shown(exact(standard.value))}
    return _income_line("income_within_marginal", application, line * app_figures.MONTHS_PER_YEAR, strict=False,
                        figures=figures, parameters=(multiple, standard))


def rigid_expenditure(application: dict, params: PolicyParams) -> Check:
    """Rigid expenditure of at least the set share of household annual income (and more than nothing)."""
    parameter = params["rigid_expenditure_ratio"]
    ratio = exact(parameter.value)
    spent, spent_missing = app_figures.known_rigid_expenditure(application)
    income, income_missing = app_figures.known_income(application)
    spent, income = exact(spent), exact(income)
    missing = [f"income.{source}" for source in income_missing]
    if spent_missing:
        missing.append("expenses" if spent_missing < 0 else "expenses.amount")
    figures = {
        "expenditure": shown(spent), "annual_income": shown(income), "ratio_percent": shown(ratio * 100),
        "required": shown(ratio * income), "missing": missing,
    }
    key = "rigid_expenditure"
    if spent_missing < 0:
        return Check(key, UNKNOWN, figures, (parameter,))
    # a known total can only grow with the unknown entries, so these settle the rule early
    if not income_missing and spent > 0 and spent >= ratio * income:
        return Check(key, MET, figures, (parameter,), "zero_income" if income == 0 else "")
    if not spent_missing and spent == 0:
        return Check(key, NOT_MET, figures, (parameter,), "none")
    if not spent_missing and spent < ratio * income:
        return Check(key, NOT_MET, figures, (parameter,), "partial" if income_missing else "")
    return Check(key, UNKNOWN, figures, (parameter,))


def financial_assets(application: dict, params: PolicyParams) -> Check:
    """Financial assets per head within the set number of months of the 低保 standard."""
    months, standard = params["financial_assets_months"], params["dibao_standard"]
    limit = exact(months.value) * exact(standard.value)
    held, size = app_figures.financial_assets(application), app_figures.household_size(application)
    figures: dict[str, Any] = {"months": shown(exact(months.value)), "limit_per_capita": shown(limit)}
    missing = [name for name, value in (("assets.financial", held), ("household_size", size)) if value is None]
    if missing:
        return Check("financial_assets", UNKNOWN, figures | {"missing": missing}, (months, standard))
    per_capita = exact(held) / size
    figures |= {"financial": shown(exact(held)), "household_size": size, "per_capita": shown(per_capita)}
    return Check("financial_assets", MET if per_capita <= limit else NOT_MET, figures, (months, standard))


def _count_within(key: str, kind: str, parameter_name: str, application: dict, params: PolicyParams) -> Check:
    parameter = params[parameter_name]
    count = app_figures.asset_count(application, kind)
    figures: dict[str, Any] = {"limit": shown(exact(parameter.value))}
    if count is None:
        return Check(key, UNKNOWN, figures | {"missing": [f"assets.{kind}"]}, (parameter,))
    outcome = MET if exact(count) <= exact(parameter.value) else NOT_MET
    return Check(key, outcome, figures | {"count": count}, (parameter,))


def homes(application: dict, params: PolicyParams) -> Check:
    """No more homes than the limit."""
    return _count_within("homes", "homes", "max_homes", application, params)


def vehicles(application: dict, params: PolicyParams) -> Check:
    """No more motor vehicles than the limit."""
    return _count_within("vehicles", "vehicles", "max_vehicles", application, params)


def no_business(application: dict, params: PolicyParams) -> Check:
    """Nobody in the household has a registered business."""
    registered = app_figures.business_registered(application)
    if registered is None:
        return Check("no_business", UNKNOWN, {"missing": ["assets.business_registered"]})
    return Check("no_business", NOT_MET if registered else MET, {"business_registered": registered})


def sudden_need(application: dict, params: PolicyParams) -> Check:
    """A sudden event or accident, or disaster expense, in the last 12 months."""
    disaster = app_figures.expenses_by_category(application).get("disaster", 0)
    sudden = application.get("sudden_event")
    figures: dict[str, Any] = {"sudden_event": sudden if isinstance(sudden, bool) else None,
                               "disaster_expense": shown(exact(disaster)) if disaster is not None else None}
    # a disaster entry counts even before its amount is known: the event itself is the need
    has_disaster = any(isinstance(e, dict) and e.get("category") == "disaster"
                       for e in application.get("expenses") or [])
    if sudden is True:
        return Check("sudden_need", MET, figures, variant="sudden_event")
    if has_disaster and (disaster is None or disaster > 0):
        return Check("sudden_need", MET, figures, variant="disaster")
    if sudden is False and isinstance(application.get("expenses"), list):
        return Check("sudden_need", NOT_MET, figures)
    missing = [name for name, known in (("sudden_event", isinstance(sudden, bool)),
                                        ("expenses", isinstance(application.get("expenses"), list))) if not known]
    return Check("sudden_need", UNKNOWN, figures | {"missing": missing})


ASSET_CHECKS = (financial_assets, homes, vehicles, no_business)
