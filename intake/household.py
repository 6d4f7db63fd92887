"""Figures derived from an application record (docs/application.md); `None` means unknown.

Records written before the application asked by tick-box (income per source, expenses as a list,
homes and vehicles as counts) are still read: they are kept in the intake store.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dialogs.flows.hardship import (
    DISABILITY_GRADES,
    EXCLUDED_INCOME,
    EXPENSE_CATEGORIES,
    INCOME_SOURCES,
    MEMBER_FLAGS,
    RIGID_KINDS,
)

__all__ = ["DISABILITY_GRADES", "EXCLUDED_INCOME", "EXPENSE_CATEGORIES", "INCOME_SOURCES", "MEMBER_FLAGS",
           "RIGID_KINDS"]
MONTHS_PER_YEAR = 12
# the age of majority (民法典 第十七条), a definition rather than a policy figure
ADULT_AGE = 18
# relationships (to the applicant) under which a minor's parents are not the applicant
NOT_PARENT_OF = ("grandchild", "sibling", "other")
# relationships with a legal duty of support (赡养、扶养、抚养) in some circumstances (民法典 婚姻家庭编)
SUPPORT_DUTY = ("spouse", "child", "parent", "grandparent", "grandchild", "sibling")
# relationships whose duty depends on what the answers do not say (民法典 第一千零七十四、一千零七十五条:
# whether parents have died or cannot provide): living together, an adult of these may or may not count
CONDITIONAL_DUTY = ("grandparent", "grandchild", "sibling")
# what the older record called its expense categories, by national rigid-spending category
_OLD_CATEGORY = {"medical": "medical", "education": "education", "rehabilitation": "rehabilitation",
                 "disaster": "other", "other": "other"}


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


def _age(person: dict) -> int | None:
    age = person.get("age")
    return age if isinstance(age, int) and not isinstance(age, bool) else None


def applicant(application: dict) -> dict:
    """The applicant's answers; empty when not given yet (or not a record the flow wrote)."""
    found = application.get("applicant")
    return found if isinstance(found, dict) else {}


def people(application: dict) -> list[dict]:
    """The applicant followed by the other people named (whatever has been answered)."""
    applicant = application.get("applicant")
    members = application.get("members") or []
    return [p for p in [applicant, *members] if isinstance(p, dict)]


# -- who counts as a household member (最低生活保障审核确认办法 第七条) ---------------------------
@dataclass(frozen=True, slots=True)
class Membership:
    """Whether one person named in the application counts as a household member, and why."""

    index: int | None  # None for the applicant, else the position in "members"
    counted: bool | None  # None: cannot tell yet
    reason: str  # a code, e.g. "spouse", "minor_child", "student", "lives_together", "postgraduate"


def membership(member: dict, index: int | None = None, *, listed_as_together: bool = False) -> Membership:
    """Spouse, minor children and dependent adult children (students up to undergraduate, those who
    cannot live independently) count; others with a legal duty of support count when they live together.

    `listed_as_together`: an older record, whose members were all asked for as people living together.
    """
    if index is None:
        return Membership(None, True, "applicant")
    relationship, age = member.get("relationship"), _age(member)
    flags = member.get("flags") or []
    if relationship not in SUPPORT_DUTY:
        return Membership(index, False, "no_support_duty" if relationship else "relationship_unknown")
    if relationship == "spouse":
        return Membership(index, True, "spouse")
    if relationship == "child":
        if age is not None and age < ADULT_AGE:
            return Membership(index, True, "minor_child")
        if "student" in flags and member.get("study_level") == "undergraduate_or_below":
            return Membership(index, True, "student")
        if has_disability(member) or "serious_illness" in flags:
            return Membership(index, True, "dependent_child")
    together = member.get("lives_together", True if listed_as_together else None)
    if together is True and relationship in CONDITIONAL_DUTY:
        # a minor grandchild or sibling living with the applicant is in the applicant's care
        if age is not None and age < ADULT_AGE and relationship != "grandparent":
            return Membership(index, True, "minor_in_care")
        return Membership(index, None, "duty_unknown")
    if together is True:
        return Membership(index, True, "lives_together")
    if together is False:
        return Membership(index, False, "postgraduate" if member.get("study_level") == "postgraduate"
                          else "lives_apart")
    if relationship == "child" and age is None:
        return Membership(index, None, "age_unknown")
    return Membership(index, None, "lives_together_unknown")


def memberships(application: dict) -> list[Membership]:
    """The applicant and every person named, each judged."""
    members = application.get("members")
    older = "expenses" in application and "spending" not in application
    judged = [membership({}, None)]
    if isinstance(members, list):
        judged += [membership(m, i, listed_as_together=older) for i, m in enumerate(members) if isinstance(m, dict)]
    return judged


def counted_people(application: dict) -> list[dict]:
    """The applicant and the members who count (unknown ones left out)."""
    members = application.get("members") or []
    return [applicant(application) if m.index is None else members[m.index] for m in memberships(application) if m.counted]


def household_size_range(application: dict) -> tuple[int, int] | None:
    """The fewest and the most members who may count, applicant included: equal when everyone's
    membership is known; None until the members question is answered."""
    if not isinstance(application.get("members"), list):
        return None
    judged = memberships(application)
    certain = sum(1 for m in judged if m.counted)
    return certain, certain + sum(1 for m in judged if m.counted is None)


def household_size(application: dict) -> int | None:
    """Members who count, applicant included; None until the members question is answered or
    while anyone's membership is unknown."""
    if not isinstance(application.get("members"), list):
        return None
    judged = memberships(application)
    if any(m.counted is None for m in judged):
        return None
    return sum(1 for m in judged if m.counted)


# -- income ---------------------------------------------------------------------------------------
def income_sources(application: dict) -> list[str] | None:
    """The income sources ticked; a record from before the tick-box lists every source it holds."""
    income = application.get("income")
    if not isinstance(income, dict):
        return None
    if "sources" in income:
        ticked = income["sources"]
        return [s for s in ticked if s in INCOME_SOURCES] if isinstance(ticked, list) else None
    return list(INCOME_SOURCES)


def known_income(application: dict) -> tuple[int | float, tuple[str, ...]]:
    """Net countable income over the look-back: the sum of amounts given, and the sources still unknown.

    Only the sources in INCOME_SOURCES count; excluded items (EXCLUDED_INCOME: assistance payments,
    family-planning grants, scholarships, the basic resident pension, …) never do.
    """
    sources = income_sources(application)
    if sources is None:
        return 0, ("sources",)
    income = application["income"]
    total, missing = 0, []
    for source in sources:
        amount = money_amount(income.get(source))
        if amount is None:
            missing.append(source)
        else:
            total += amount
    return total, tuple(missing)


def excluded_income(application: dict) -> dict[str, int | float]:
    """Amounts the record holds under excluded items, which are not income."""
    income = application.get("income")
    if not isinstance(income, dict):
        return {}
    found = {key: money_amount(income.get(key)) for key in EXCLUDED_INCOME}
    return {key: amount for key, amount in found.items() if amount}


def annual_income(application: dict) -> int | float | None:
    """Household net income over the last 12 months; None if any ticked source is unknown."""
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


# -- rigid spending -------------------------------------------------------------------------------
def spending_kinds(application: dict) -> list[str] | None:
    """What the household ticked under spending and hardship in the last 12 months."""
    spending = application.get("spending")
    if isinstance(spending, dict):
        kinds = spending.get("kinds")
        return list(kinds) if isinstance(kinds, list) else None
    expenses = application.get("expenses")
    if isinstance(expenses, list):
        return list(dict.fromkeys(_OLD_CATEGORY[e["category"]] for e in expenses
                                  if isinstance(e, dict) and e.get("category") in _OLD_CATEGORY))
    return None


def expenses_by_category(application: dict) -> dict[str, int | float | None]:
    """Rigid spending per national category ticked; a category without a known amount is None."""
    spending = application.get("spending")
    if isinstance(spending, dict):
        kinds = spending.get("kinds") if isinstance(spending.get("kinds"), list) else []
        return {kind: money_amount(spending.get(kind)) for kind in RIGID_KINDS if kind in kinds}
    totals: dict[str, int | float | None] = {}
    for entry in application.get("expenses") or []:
        if not isinstance(entry, dict) or entry.get("category") not in _OLD_CATEGORY:
            continue
        category, amount = _OLD_CATEGORY[entry["category"]], money_amount(entry.get("amount"))
        if category in totals and totals[category] is None:
            continue
        totals[category] = None if amount is None else (totals.get(category) or 0) + amount
    return totals


def known_rigid_expenditure(application: dict) -> tuple[int | float, int]:
    """The sum of the spending figures given, and how many ticked categories have no figure.

    Before the spending question is answered the count of missing entries is -1, meaning
    "the list itself is unknown".
    """
    if spending_kinds(application) is None:
        return 0, -1
    by_category = expenses_by_category(application)
    known = [amount for amount in by_category.values() if amount is not None]
    return sum(known), len(by_category) - len(known)


def rigid_expenditure_total(application: dict) -> int | float | None:
    """Rigid spending over the last 12 months; None if the list or any figure is unknown."""
    total, missing = known_rigid_expenditure(application)
    return None if missing else total


def receipts(application: dict) -> list[dict]:
    """Every receipt file sent with the spending answers."""
    spending = application.get("spending")
    if isinstance(spending, dict):
        return [f for f in spending.get("receipts") or [] if isinstance(f, dict)]
    return [f for e in application.get("expenses") or [] if isinstance(e, dict)
            for f in e.get("receipts") or [] if isinstance(f, dict)]


def sudden_event(application: dict) -> bool | None:
    """A sudden event, accident or disaster in the last 12 months."""
    kinds = spending_kinds(application) if isinstance(application.get("spending"), dict) else None
    if kinds is not None:
        return "sudden" in kinds
    value = application.get("sudden_event")
    return value if isinstance(value, bool) else None


def sudden_date(application: dict) -> str | None:
    """The day the sudden event happened (ISO), when one was reported and dated."""
    if sudden_event(application) is not True:
        return None
    spending = application.get("spending")
    value = spending.get("sudden_date") if isinstance(spending, dict) else application.get("sudden_event_date")
    return value if isinstance(value, str) else None


# -- assets ---------------------------------------------------------------------------------------
def financial_assets(application: dict) -> int | float | None:
    """Deposits, funds, stocks and cash held by the household."""
    assets = application.get("assets")
    return money_amount(assets.get("financial")) if isinstance(assets, dict) else None


def assets_owned(application: dict) -> list[str] | None:
    """What the household ticked among property, vehicles and businesses."""
    assets = application.get("assets")
    if not isinstance(assets, dict):
        return None
    owned = assets.get("owned")
    if isinstance(owned, list):
        return list(owned)
    if "owned" in assets or not {"homes", "vehicles", "business_registered"} & set(assets):
        return None
    # an older record: counts of homes and vehicles, a yes/no for a business
    old: list[str] = []
    homes, vehicles = assets.get("homes"), assets.get("vehicles")
    if not isinstance(homes, int) or not isinstance(vehicles, int) or not isinstance(assets.get("business_registered"), bool):
        return None
    old += ["second_home"] * (homes > 1) + ["car"] * (vehicles > 0) + ["business"] * assets["business_registered"]
    return old


def livelihood_vehicle(application: dict) -> bool | None:
    """The household's only vehicle, used to earn a living."""
    assets = application.get("assets")
    value = assets.get("livelihood_vehicle") if isinstance(assets, dict) else None
    return value if isinstance(value, bool) else None


# -- people ---------------------------------------------------------------------------------------
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
    return [m for m in members if isinstance(m, dict) and _age(m) is not None and m["age"] < ADULT_AGE]


def children_without_parents(application: dict) -> bool:
    """A minor who is not the applicant's child, living with no adult child of the applicant.

    E.g. grandparents raising grandchildren, or an older sibling raising younger ones.
    """
    members = [m for m in application.get("members") or [] if isinstance(m, dict)]
    adult_children = [
        m for m in members
        if m.get("relationship") == "child" and not (_age(m) is not None and m["age"] < ADULT_AGE)
    ]
    return any(m.get("relationship") in NOT_PARENT_OF for m in minors(application)) and not adult_children


def urgent_reasons(application: dict) -> list[str]:
    """Why an intake should go to the front of the queue, as codes (may be empty)."""
    flags = household_flags(application)
    reasons = [flag for flag in ("serious_illness", "disability", "elderly_alone") if flag in flags]
    if children_without_parents(application):
        reasons.append("children_without_parents")
    if sudden_event(application) is True:
        reasons.append("sudden_event")
    return reasons


def is_urgent(application: dict) -> bool:
    """Serious illness, disability, children or elderly alone, or a sudden event."""
    return bool(urgent_reasons(application))
