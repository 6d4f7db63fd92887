"""Derived figures of the application record: exact sums, unknown stays unknown, no crash on odd input."""
from __future__ import annotations

import copy

import pytest

from dialogs import application as a


def money(amount, estimated=False):
    return {"amount": amount, "estimated": estimated}


BASE = {
    "consent": True,
    "applicant": {"name": "张三", "district": "yuexiu", "flags": []},
    "members": [
        {"relationship": "spouse", "name": "李四", "age": 34, "disability_grade": "none", "flags": ["unemployed"]},
        {"relationship": "child", "name": "张小", "age": 9, "disability_grade": "none", "flags": ["student"]},
    ],
    "assistance": "none",
    "income": {"wages": money(36000), "business": money(0), "pension": money(1200),
               "transfers": money(0), "other": money(0)},
    "assets": {"financial": money(20000, True), "homes": 1, "vehicles": 0, "business_registered": False},
    "expenses": [
        {"category": "medical", "amount": money(52000), "note": "", "receipts": []},
        {"category": "education", "amount": money(3000), "note": "", "receipts": []},
        {"category": "medical", "amount": money(8000), "note": "", "receipts": []},
    ],
    "sudden_event": False,
    "situation": "",
}


def app(**changes):
    """A copy of BASE with top-level keys replaced (None removes the key: question not reached)."""
    result = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def test_figures_of_a_complete_application():
    full = app()
    assert a.household_size(full) == 3
    assert a.annual_income(full) == 37200
    assert a.per_capita_annual_income(full) == 12400
    assert a.per_capita_monthly_income(full) == pytest.approx(12400 / 12)
    assert a.rigid_expenditure_total(full) == 63000
    assert a.expenses_by_category(full) == {"medical": 60000, "education": 3000}
    assert a.financial_assets(full) == 20000
    assert a.asset_count(full, "homes") == 1 and a.asset_count(full, "vehicles") == 0
    assert a.business_registered(full) is False


def test_household_size_is_unknown_until_members_answered_and_one_when_alone():
    assert a.household_size(app(members=None)) is None
    assert a.household_size(app(members=[])) == 1
    assert a.per_capita_annual_income(app(members=None)) is None


@pytest.mark.parametrize("income, total, missing", [
    (None, 0, a.INCOME_SOURCES),
    ({"wages": money(1000)}, 1000, ("business", "pension", "transfers", "other")),
    ({"wages": None, "business": money(5), "pension": money(0), "transfers": money(0), "other": money(0)}, 5, ("wages",)),
    ({"wages": money(-3), "business": money(0), "pension": money(0), "transfers": money(0), "other": money(0)}, 0, ("wages",)),
    ({"wages": money("3000"), "business": money(0), "pension": money(0), "transfers": money(0), "other": money(0)}, 0, ("wages",)),
    ({"wages": money(True), "business": money(0), "pension": money(0), "transfers": money(0), "other": money(0)}, 0, ("wages",)),
    ({"wages": money(float("nan")), "business": money(0), "pension": money(0), "transfers": money(0), "other": money(0)}, 0, ("wages",)),
])
def test_unknown_or_malformed_income_is_unknown_not_zero(income, total, missing):
    application = app(income=income)
    assert a.known_income(application) == (total, missing)
    assert a.annual_income(application) is None
    assert a.per_capita_monthly_income(application) is None


def test_zero_income_is_known_zero():
    zero = {source: money(0) for source in a.INCOME_SOURCES}
    assert a.annual_income(app(income=zero)) == 0
    assert a.per_capita_monthly_income(app(income=zero)) == 0


def test_whole_float_amounts_become_yuan_and_huge_amounts_stay_exact():
    income = {source: money(0) for source in a.INCOME_SOURCES}
    income["wages"] = money(12000.0)
    income["other"] = money(10**30)
    assert a.annual_income(app(income=income)) == 10**30 + 12000
    assert isinstance(a.money_amount(money(12000.0)), int)


def test_expenses_unknown_list_versus_unknown_amount():
    assert a.known_rigid_expenditure(app(expenses=None)) == (0, -1)
    assert a.rigid_expenditure_total(app(expenses=None)) is None
    assert a.rigid_expenditure_total(app(expenses=[])) == 0
    partial = [{"category": "medical", "amount": money(100)}, {"category": "medical", "amount": None}]
    assert a.known_rigid_expenditure(app(expenses=partial)) == (100, 1)
    assert a.rigid_expenditure_total(app(expenses=partial)) is None
    assert a.expenses_by_category(app(expenses=partial)) == {"medical": None}


def test_assets_missing_or_malformed_are_unknown():
    assert a.financial_assets(app(assets=None)) is None
    assets = {"financial": None, "homes": "1", "vehicles": -1, "business_registered": "no"}
    odd = app(assets=assets)
    assert a.financial_assets(odd) is None
    assert a.asset_count(odd, "homes") is None and a.asset_count(odd, "vehicles") is None
    assert a.business_registered(odd) is None


def test_flags_include_graded_disability():
    members = [{"relationship": "parent", "age": 70, "disability_grade": "2", "flags": []}]
    assert a.household_flags(app(members=members)) == {"disability"}
    assert a.household_flags(app()) == {"unemployed", "student"}


@pytest.mark.parametrize("changes, reasons", [
    ({}, []),
    ({"applicant": {"name": "x", "district": "yuexiu", "flags": ["serious_illness"]}}, ["serious_illness"]),
    ({"members": [{"relationship": "spouse", "age": 50, "disability_grade": "1", "flags": []}]}, ["disability"]),
    ({"members": [{"relationship": "parent", "age": 80, "disability_grade": "none", "flags": ["elderly_alone"]}]},
     ["elderly_alone"]),
    ({"sudden_event": True}, ["sudden_event"]),
    # grandparents raising a grandchild with neither parent at home
    ({"members": [{"relationship": "grandchild", "age": 7, "disability_grade": "none", "flags": []}]},
     ["children_without_parents"]),
    # the grandchild's parent lives with them: not alone
    ({"members": [{"relationship": "child", "age": 30, "disability_grade": "none", "flags": []},
                  {"relationship": "grandchild", "age": 7, "disability_grade": "none", "flags": []}]}, []),
    # the age of majority is the line: 17 is a minor, 18 is not
    ({"members": [{"relationship": "sibling", "age": a.ADULT_AGE - 1, "disability_grade": "none", "flags": []}]},
     ["children_without_parents"]),
    ({"members": [{"relationship": "sibling", "age": a.ADULT_AGE, "disability_grade": "none", "flags": []}]}, []),
    ({"members": [{"relationship": "grandchild", "age": None, "disability_grade": "none", "flags": []}]}, []),
])
def test_urgency(changes, reasons):
    application = app(**changes)
    assert a.urgent_reasons(application) == reasons
    assert a.is_urgent(application) is bool(reasons)


def test_an_empty_record_does_not_crash():
    assert a.household_size({}) is None
    assert a.annual_income({}) is None
    assert a.rigid_expenditure_total({}) is None
    assert a.financial_assets({}) is None
    assert a.is_urgent({}) is False
    assert a.people({}) == []
