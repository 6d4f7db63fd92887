"""Asset rules (Guangdong 低保 rules, used also for 低保边缘 and 支出型): money, homes, vehicles, business."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from intake import household as app_figures
from knowledge.params import PolicyParams, day_en, day_zh

from intake.eligibility.checks import MET, NOT_MET, UNKNOWN, Line, check, exact, margin, members_missing, shown
from intake.eligibility.results import Check

# vehicles that never count: disability mobility vehicles, motorcycles and e-bikes
EXEMPT_VEHICLES = ("motorcycle", "disability_vehicle")
Rule = Callable[[dict, PolicyParams], Check]


def financial_assets(application: dict, params: PolicyParams) -> Check:
    """Financial assets per counted member at most the per-person limit (24 months of the standard)."""
    limit_parameter, months = params["financial_assets_limit_per_capita"], params["financial_assets_months"]
    limit = exact(limit_parameter.value)
    held, sizes = app_figures.financial_assets(application), app_figures.household_size_range(application)
    figures: dict[str, Any] = {"months": shown(exact(months.value)), "limit_per_capita": shown(limit)}
    parameters = (limit_parameter, months)
    missing = (["assets.financial"] if held is None else []) + (members_missing(application) if sizes is None else [])
    if missing or sizes is None or held is None or sizes[0] == 0:
        return check("financial_assets", UNKNOWN, params, figures | {"missing": missing}, parameters)
    fewest, most = sizes
    held = exact(held)
    figures |= {"financial": shown(held), "household_size": fewest, "per_capita": shown(held / fewest)}
    strictest = Line(limit * fewest, "at_most", bound=limit_parameter.at_least)
    if fewest != most:
        # as for income: the savings of a relative who may not count may not be the household's
        figures |= {"household_size_most": most, "missing": members_missing(application)}
        outcome = MET if strictest.meets(held) else UNKNOWN
        return check("financial_assets", outcome, params, figures, parameters)
    outcome = strictest.outcome(held)
    return check("financial_assets", outcome, params, figures | {"margin": margin(strictest, held, "financial")},
                 parameters, "floor" if outcome == UNKNOWN else "")


def loosened(rule: Rule) -> Rule:
    """The same asset rule where the text lets the locality loosen it and Guangzhou's own limit was
    not found (刚性支出困难家庭认定办法 第四条: 参照…或者适当放宽): beyond it, the 镇街 checks."""
    def loosened_rule(application: dict, params: PolicyParams) -> Check:
        found = rule(application, params)
        if found.outcome != NOT_MET:
            return found
        return replace(found, outcome=UNKNOWN, variant="to_check")
    loosened_rule.__name__ = loosened_rule.__qualname__ = f"loosened_{rule.__name__}"
    loosened_rule.__doc__ = rule.__doc__
    return loosened_rule


def _owned(key: str, application: dict, params: PolicyParams) -> list[str] | Check:
    owned = app_figures.assets_owned(application)
    if owned is None:
        return check(key, UNKNOWN, params, {"missing": ["assets.owned"]})
    return owned


def homes(application: dict, params: PolicyParams) -> Check:
    """No more homes than the limit (one)."""
    owned = _owned("homes", application, params)
    if isinstance(owned, Check):
        return owned
    parameter = params["max_homes"]
    figures = {"limit": shown(exact(parameter.value))}
    return check("homes", NOT_MET if "second_home" in owned else MET, params, figures, (parameter,))


def non_residential(application: dict, params: PolicyParams) -> Check:
    """No shop, office, garage or parking space."""
    owned = _owned("non_residential", application, params)
    if isinstance(owned, Check):
        return owned
    parameter = params["max_non_residential_properties"]
    return check("non_residential", NOT_MET if "non_residential" in owned else MET, params, {}, (parameter,))


def vehicles(application: dict, params: PolicyParams) -> Check:
    """No car; motorcycles, e-bikes and disability vehicles are exempt; from 2026-01-01 the only
    vehicle used to earn a living is assessed rather than refused."""
    owned = _owned("vehicles", application, params)
    if isinstance(owned, Check):
        return owned
    limit, livelihood = params["max_vehicles"], params["livelihood_vehicles_allowed"]
    exempt = [v for v in EXEMPT_VEHICLES if v in owned]
    change = next((p for p in params.values_of("livelihood_vehicles_allowed") if p.value >= 1), None)
    figures: dict[str, Any] = {"exempt": exempt}
    if change is not None:
        figures["livelihood_from"] = {"zh": day_zh(change.effective_date), "en": day_en(change.effective_date)}
    if "car" not in owned:
        return check("vehicles", MET, params, figures, (limit,), "exempt" if exempt else "")
    for_living = app_figures.livelihood_vehicle(application)
    if for_living is None:
        return check("vehicles", UNKNOWN, params, figures | {"missing": ["assets.livelihood_vehicle"]},
                     (limit, livelihood))
    if for_living and exact(livelihood.value) >= 1:
        return check("vehicles", UNKNOWN, params, figures, (limit, livelihood), "livelihood")
    return check("vehicles", NOT_MET, params, figures, (limit, livelihood), "livelihood_before" if for_living else "")


def business(application: dict, params: PolicyParams) -> Check:
    """No registered business; a small family shop without employees can be reviewed, not refused."""
    owned = _owned("business", application, params)
    if isinstance(owned, Check):
        return owned
    if "business" in owned:
        return check("business", NOT_MET, params)
    if "small_shop" in owned:
        return check("business", UNKNOWN, params, variant="review")
    return check("business", MET, params)


ASSET_CHECKS = (financial_assets, homes, non_residential, vehicles, business)
# 支出型 (and 临时救助, which follows the same provincial tests): beyond the 低保边缘 limits, to be checked
LOOSENED_ASSET_CHECKS = tuple(loosened(rule) for rule in ASSET_CHECKS)
