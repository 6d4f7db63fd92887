"""Figures derived from an application record (docs/application.md); `None` means unknown."""
from __future__ import annotations

import math
from typing import Any

from dialogs.flows.hardship import DISABILITY_GRADES, EXPENSE_CATEGORIES, INCOME_SOURCES, MEMBER_FLAGS

__all__ = ["DISABILITY_GRADES", "EXPENSE_CATEGORIES", "INCOME_SOURCES", "MEMBER_FLAGS"]
MONTHS_PER_YEAR = 12
# the age of majority (民法典 第十七条), a definition rather than a policy figure
ADULT_AGE = 18
# relationships (to the applicant) under which a minor's parents are not the applicant
NOT_PARENT_OF = ("grandchild", "sibling", "other")


def money_amount(value: Any) -> int | float | None:
    """The yuan amount of a Money, or None when skipped or malformed."""
    if not isinstance(value, dict):
        return None
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return None
    if isinstance(amount, float):
        # NaN and infinity are not amounts; whole floats (e.g. from 1.2万) become yuan
        if not math.isfinite(amount) or amount < 0:
            return None
        return int(amount) if amount.is_integer() else amount
    return amount if amount >= 0 else None


def people(application: dict) -> list[dict]:
    """The applicant followed by the other household members (whatever has been answered)."""
    applicant = application.get("applicant")
    members = application.get("members") or []
    return [p for p in [applicant, *members] if isinstance(p, dict)]


def household_size(application: dict) -> int | None:
    """Applicant plus members; None until the members question has been answered."""
    members = application.get("members")
    if not isinstance(members, list):
        return None
    return 1 + len(members)


def known_income(application: dict) -> tuple[int | float, tuple[str, ...]]:
    """The sum of the income figures given, and the sources still unknown."""
    income = application.get("income")
    if not isinstance(income, dict):
        return 0, INCOME_SOURCES
    total, missing = 0, []
    for source in INCOME_SOURCES:
        amount = money_amount(income.get(source))
        if amount is None:
            missing.append(source)
        else:
            total += amount
    return total, tuple(missing)


def annual_income(application: dict) -> int | float | None:
    """Household income over the last 12 months, all sources; None if any is unknown."""
    total, missing = known_income(application)
    return None if missing else total


def per_capita_annual_income(application: dict) -> float | None:
    """Annual income per household member."""
    income, size = annual_income(application), household_size(application)
    return None if income is None or size is None else income / size


def per_capita_monthly_income(application: dict) -> float | None:
    """Monthly income per household member."""
    income, size = annual_income(application), household_size(application)
    return None if income is None or size is None else income / (size * MONTHS_PER_YEAR)


def known_rigid_expenditure(application: dict) -> tuple[int | float, int]:
    """The sum of the expense figures given, and how many entries have no figure.

    Before the expenses question is answered the count of missing entries is -1, meaning
    "the list itself is unknown".
    """
    expenses = application.get("expenses")
    if not isinstance(expenses, list):
        return 0, -1
    total, missing = 0, 0
    for entry in expenses:
        amount = money_amount(entry.get("amount")) if isinstance(entry, dict) else None
        if amount is None:
            missing += 1
        else:
            total += amount
    return total, missing


def rigid_expenditure_total(application: dict) -> int | float | None:
    """Rigid expenditure over the last 12 months; None if the list or any figure is unknown."""
    total, missing = known_rigid_expenditure(application)
    return None if missing else total


def expenses_by_category(application: dict) -> dict[str, int | float | None]:
    """Rigid expenditure per category present; a category with any unknown entry is None."""
    totals: dict[str, int | float | None] = {}
    for entry in application.get("expenses") or []:
        if not isinstance(entry, dict) or entry.get("category") not in EXPENSE_CATEGORIES:
            continue
        category, amount = entry["category"], money_amount(entry.get("amount"))
        if category in totals and totals[category] is None:
            continue
        totals[category] = None if amount is None else (totals.get(category) or 0) + amount
    return totals


def financial_assets(application: dict) -> int | float | None:
    """Deposits, funds, stocks and cash held by the household."""
    assets = application.get("assets")
    return money_amount(assets.get("financial")) if isinstance(assets, dict) else None


def asset_count(application: dict, kind: str) -> int | None:
    """Homes or vehicles owned (`kind` is "homes" or "vehicles")."""
    assets = application.get("assets")
    count = assets.get(kind) if isinstance(assets, dict) else None
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return None
    return count


def business_registered(application: dict) -> bool | None:
    """Whether anyone in the household has registered a business."""
    assets = application.get("assets")
    value = assets.get("business_registered") if isinstance(assets, dict) else None
    return value if isinstance(value, bool) else None


def has_disability(person: dict) -> bool:
    """Flagged disabled, or given a disability grade."""
    return "disability" in (person.get("flags") or []) or str(person.get("disability_grade")) in DISABILITY_GRADES


def household_flags(application: dict) -> set[str]:
    """Every member flag held by anyone in the household (a graded disability counts)."""
    flags: set[str] = set()
    for person in people(application):
        flags.update(f for f in person.get("flags") or [] if f in MEMBER_FLAGS)
        if has_disability(person):
            flags.add("disability")
    return flags


def minors(application: dict) -> list[dict]:
    """Household members known to be under the age of majority."""
    members = application.get("members") or []
    return [m for m in members if isinstance(m, dict) and isinstance(m.get("age"), int) and m["age"] < ADULT_AGE]


def children_without_parents(application: dict) -> bool:
    """A minor who is not the applicant's child, living with no adult child of the applicant.

    E.g. grandparents raising grandchildren, or an older sibling raising younger ones.
    """
    members = [m for m in application.get("members") or [] if isinstance(m, dict)]
    adult_children = [
        m for m in members
        if m.get("relationship") == "child" and not (isinstance(m.get("age"), int) and m["age"] < ADULT_AGE)
    ]
    return any(m.get("relationship") in NOT_PARENT_OF for m in minors(application)) and not adult_children


def urgent_reasons(application: dict) -> list[str]:
    """Why an intake should go to the front of the queue, as codes (may be empty)."""
    flags = household_flags(application)
    reasons = [flag for flag in ("serious_illness", "disability", "elderly_alone") if flag in flags]
    if children_without_parents(application):
        reasons.append("children_without_parents")
    if application.get("sudden_event") is True:
        reasons.append("sudden_event")
    return reasons


def is_urgent(application: dict) -> bool:
    """Serious illness, disability, children or elderly alone, or a sudden event."""
    return bool(urgent_reasons(application))
