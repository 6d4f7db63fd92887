"""临时救助 (temporary assistance) rules, Guangzhou 2021 细则: who may apply where, and the need.

Emergencies count within a month of the event; spending within the 12 months counted. The caps are
recorded with the figures so that the caseworker and the resident see what the programme can give.
"""
from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from intake import household as app_figures
from knowledge.params import PolicyParams

from intake.eligibility.checks import MET, NOT_MET, UNKNOWN, check, exact, shown
from intake.eligibility.income import counted_spending
from intake.eligibility.results import Check

# receipts 细则 第六条 asks for: education, medical at a 定点 institution, care in hospital (住院照料);
# basic living costs alone are not the need this programme meets
QUALIFYING = ("medical", "education")
MAYBE_QUALIFYING = ("rehabilitation", "other")


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _emergency_in_window(application: dict, params: PolicyParams) -> bool | None:
    """A sudden event within the emergency window before the application date; None if undated."""
    happened = app_figures.sudden_date(application)
    if app_figures.sudden_event(application) is not True:
        return False
    if happened is None:
        return None
    try:
        day = date.fromisoformat(happened)
    except ValueError:
        return None  # a record edited by hand: the date cannot be read, so it is as if undated
    window = int(params["temporary_emergency_window_months"].value)
    return months_before(params.day, window) <= day <= params.day


def temporary_residence(application: dict, params: PolicyParams) -> Check:
    """Hukou in the city, or a residence permit or a year's residence here."""
    applicant = app_figures.applicant(application)
    district = applicant.get("district")
    years = params["temporary_residence_years"]
    figures: dict[str, Any] = {"years": shown(exact(years.value))}
    if not district:
        return check("temporary_residence", UNKNOWN, params, figures | {"missing": ["district"]}, (years,))
    if district in params.city_districts:
        return check("temporary_residence", MET, params, figures, (years,), "hukou")
    residence = applicant.get("residence")
    if residence in ("permit", "one_year"):
        return check("temporary_residence", MET, params, figures, (years,), residence)
    if residence != "neither":
        return check("temporary_residence", UNKNOWN, params, figures | {"missing": ["applicant.residence"]}, (years,))
    if _emergency_in_window(application, params):
        # the national 2023 opinion lets emergencies be helped where they happen, whatever the hukou
        return check("temporary_residence", UNKNOWN, params, figures, (years,), "emergency")
    return check("temporary_residence", NOT_MET, params, figures, (years,))


def temporary_need(application: dict, params: PolicyParams) -> Check:
    """A sudden event within the emergency window, or education, 定点 medical or hospital-care spending
    within the spending window (细则 第五、六条)."""
    emergency_window = params["temporary_emergency_window_months"]
    spending_window = params["temporary_spending_window_months"]
    standard = exact(params["dibao_standard"].value)
    size = app_figures.household_size(application)
    cap, emergency_max = params["temporary_family_cap_per_year"], params["temporary_emergency_max_months"]
    spending_max = params["temporary_spending_max_months"]
    figures: dict[str, Any] = {
        "emergency_months": shown(exact(emergency_window.value)),
        "spending_months": shown(exact(spending_window.value)),
        "family_cap": shown(exact(cap.value)),
        "emergency_cap": shown(exact(emergency_max.value) * standard),
    }
    if size is not None:
        figures["spending_cap"] = shown(min(exact(spending_max.value) * standard * size, exact(cap.value)))
    parameters = (emergency_window, spending_window, params["dibao_standard"], emergency_max, spending_max, cap)
    emergency = _emergency_in_window(application, params)
    if emergency:
        return check("temporary_need", MET, params, figures, parameters, "emergency")
    kinds = app_figures.spending_kinds(application)
    if kinds is None:
        return check("temporary_need", UNKNOWN, params, figures | {"missing": ["spending.kinds"]}, parameters)
    by_category, _ = counted_spending(application)
    qualifying = {kind: by_category[kind] for kind in QUALIFYING if kind in by_category}
    known = [exact(amount) for amount in qualifying.values() if amount is not None]
    if any(known):
        figures["expenditure"] = shown(sum(known))
        return check("temporary_need", MET, params, figures, parameters, "spending")
    unknown = [f"spending.{kind}" for kind, amount in qualifying.items() if amount is None]
    if unknown:
        return check("temporary_need", UNKNOWN, params, figures | {"missing": unknown}, parameters)
    # rehabilitation or other costs may be hospital care (住院照料) or medical receipts: the 镇街 looks
    maybe = [exact(by_category[kind]) for kind in MAYBE_QUALIFYING if by_category.get(kind)]
    if maybe:
        figures["expenditure"] = shown(sum(maybe))
        return check("temporary_need", UNKNOWN, params, figures, parameters, "maybe")
    if emergency is None:
        return check("temporary_need", UNKNOWN, params, figures | {"missing": ["spending.sudden_date"]}, parameters)
    if any(by_category.get(kind) is None for kind in MAYBE_QUALIFYING if kind in by_category):
        missing = [f"spending.{kind}" for kind in MAYBE_QUALIFYING if kind in by_category and by_category[kind] is None]
        return check("temporary_need", UNKNOWN, params, figures | {"missing": missing}, parameters)
    late = app_figures.sudden_event(application) is True
    basic_only = bool(by_category.get("basic_living"))
    return check("temporary_need", NOT_MET, params, figures, parameters,
                 "too_late" if late else ("basic_only" if basic_only else ""))
