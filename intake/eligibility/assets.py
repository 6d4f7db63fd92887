"""Asset rules (Guangdong 低保 rules, used also for 低保边缘 and 支出型): money, homes, vehicles, business."""
from __future__ import annotations

from typing import Any

from intake import household as app_figures
from knowledge.params import PolicyParams, day_en, day_zh

from intake.eligibility.checks import MET, NOT_MET, UNKNOWN, check, exact, members_missing, shown
from intake.eligibility.results import Check

# vehicles that never count: disability mobility vehicles, motorcycles and e-bikes
EXEMPT_VEHICLES = ("motorcycle", "disability_vehicle")


def financial_assets(application: dict, params: PolicyParams) -> Check:
    """Financial assets per counted member at most the per-person limit (24 months of the standard)."""
    limit_parameter, months = params["financial_assets_limit_per_capita"], params["financial_assets_months"]
    limit = exact(limit_parameter.value)
    held, size = app_figures.financial_assets(application), app_figures.household_size(application)
    figures: dict[str, Any] = {"months": shown(exact(months.value)), "limit_per_capita": shown(limit)}
    parameters = (limit_parameter, months)
    missing = (["assets.financial"] if held is None else []) + (members_missing(application) if size is None else [])
    if missing:
        return check("financial_assets", UNKNOWN, params, figures | {"missing": missing}, parameters)
    per_capita = exact(held) / size
    figures |= {"financial": shown(exact(held)), "household_size": size, "per_capita": shown(per_capita)}
    return check("financial_assets", MET if per_capita <= limit else NOT_MET, params, figures, parameters)


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
