"""Derived figures of the application record: exact sums, unknown stays unknown, no crash on odd input."""
from __future__ import annotations

import copy

import pytest

from intake import household as a


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
    "income": {"sources": ["wages", "pension"], "wages": money(36000), "pension": money(1200)},
    "assets": {"financial": money(20000, True), "owned": []},
    "spending": {"kinds": ["medical", "education"], "medical": money(60000), "education": money(3000),
                 "receipts": []},
    "situation": "",
}

# the same household as an older record kept in the store: income per source, a list of expenses, counts
OLDER = {
    **{k: v for k, v in BASE.items() if k not in ("income", "assets", "spending")},
    "income": {"wages": money(36000), "business": money(0), "pension": money(1200),
               "transfers": money(0), "other": money(0)},
    "assets": {"financial": money(20000, True), "homes": 1, "vehicles": 0, "business_registered": False},
    "expenses": [
        {"category": "medical", "amount": money(52000), "note": "", "receipts": [{"file_id": "r1"}]},
        {"category": "education", "amount": money(3000), "note": "", "receipts": []},
        {"category": "medical", "amount": money(8000), "note": "", "receipts": []},
    ],
    "sudden_event": False,
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


@pytest.mark.parametrize("record", [BASE, OLDER], ids=["ticked", "older"])
def test_figures_of_a_complete_application(record):
    assert a.household_size(record) == 3
    assert a.annual_income(record) == 37200
    assert a.per_capita_annual_income(record) == 12400
    assert a.per_capita_monthly_income(record) == pytest.approx(12400 / 12)
    assert a.rigid_expenditure_total(record) == 63000
    assert a.expenses_by_category(record) == {"medical": 60000, "education": 3000}
    assert a.financial_assets(record) == 20000
    assert a.assets_owned(record) == []
    assert a.sudden_event(record) is False


def test_only_ticked_sources_count_and_unticked_need_no_amount():
    income = {"sources": ["wages"], "wages": money(1000), "business": money(99999)}
    assert a.known_income(app(income=income)) == (1000, ())
    assert a.known_income(app(income={"sources": []})) == (0, ())
    assert a.known_income(app(income=None)) == (0, ("sources",))


def test_excluded_items_are_never_income():
    income = {"sources": ["wages"], "wages": money(1000), "scholarship": money(5000), "basic_pension": money(2400)}
    assert a.annual_income(app(income=income)) == 1000
    assert a.excluded_income(app(income=income)) == {"scholarship": 5000, "basic_pension": 2400}


@pytest.mark.parametrize("income, total, missing", [
    ({"sources": ["wages", "pension"], "wages": money(1000)}, 1000, ("pension",)),
    ({"sources": ["wages"], "wages": None}, 0, ("wages",)),
    ({"sources": ["wages"], "wages": money(-3)}, 0, ("wages",)),
    ({"sources": ["wages"], "wages": money("3000")}, 0, ("wages",)),
    ({"sources": ["wages"], "wages": money(True)}, 0, ("wages",)),
    ({"sources": ["wages"], "wages": money(float("nan"))}, 0, ("wages",)),
    ({"wages": money(1000)}, 1000, ("business", "pension", "transfers", "other")),  # an older record
])
def test_unknown_or_malformed_income_is_unknown_not_zero(income, total, missing):
    application = app(income=income)
    assert a.known_income(application) == (total, missing)
    assert a.annual_income(application) is None
    assert a.per_capita_monthly_income(application) is None


def test_whole_float_amounts_become_yuan_and_huge_amounts_stay_exact():
    income = {"sources": ["wages", "other"], "wages": money(12000.0), "other": money(10**30)}
    assert a.annual_income(app(income=income)) == 10**30 + 12000
    assert isinstance(a.money_amount(money(12000.0)), int)


def test_spending_unknown_list_versus_unknown_amount():
    assert a.known_rigid_expenditure(app(spending=None)) == (0, -1)
    assert a.rigid_expenditure_total(app(spending=None)) is None
    assert a.rigid_expenditure_total(app(spending={"kinds": []})) == 0
    partial = {"kinds": ["medical", "education", "sudden"], "medical": money(100)}
    assert a.known_rigid_expenditure(app(spending=partial)) == (100, 1)
    assert a.rigid_expenditure_total(app(spending=partial)) is None
    assert a.expenses_by_category(app(spending=partial)) == {"medical": 100, "education": None}
    assert a.sudden_event(app(spending=partial)) is True


def test_older_expense_lists_map_to_national_categories():
    older = copy.deepcopy(OLDER)
    older["expenses"].append({"category": "disaster", "amount": money(500)})
    assert a.expenses_by_category(older) == {"medical": 60000, "education": 3000, "other": 500}
    assert [r["file_id"] for r in a.receipts(older)] == ["r1"]


def test_assets_missing_or_malformed_are_unknown():
    assert a.financial_assets(app(assets=None)) is None
    assert a.assets_owned(app(assets=None)) is None
    odd = app(assets={"financial": None, "homes": "1", "vehicles": -1, "business_registered": "no"})
    assert a.financial_assets(odd) is None
    assert a.assets_owned(odd) is None
    older = app(assets={"homes": 2, "vehicles": 1, "business_registered": True})
    assert a.assets_owned(older) == ["second_home", "car", "business"]


@pytest.mark.parametrize("member, counted, reason", [
    ({"relationship": "spouse", "age": 40}, True, "spouse"),
    ({"relationship": "child", "age": 17}, True, "minor_child"),
    ({"relationship": "child", "age": 20, "flags": ["student"], "study_level": "undergraduate_or_below"}, True, "student"),
    ({"relationship": "child", "age": 24, "flags": ["student"], "study_level": "postgraduate", "lives_together": False},
     False, "postgraduate"),
    ({"relationship": "child", "age": 24, "flags": ["student"], "study_level": "postgraduate", "lives_together": True},
     True, "lives_together"),
    ({"relationship": "child", "age": 30, "flags": ["disability"]}, True, "dependent_child"),
    ({"relationship": "child", "age": 30, "flags": [], "lives_together": False}, False, "lives_apart"),
    ({"relationship": "parent", "age": 70, "lives_together": True}, True, "lives_together"),
    ({"relationship": "parent", "age": 70}, None, "lives_together_unknown"),
    ({"relationship": "other", "age": 30, "lives_together": True}, False, "no_support_duty"),
])
def test_who_counts_as_a_household_member(member, counted, reason):
    judged = a.membership(member, 0)
    assert (judged.counted, judged.reason) == (counted, reason)


def test_household_size_is_unknown_until_members_answered_and_while_anyone_is_unclear():
    assert a.household_size(app(members=None)) is None
    assert a.household_size(app(members=[])) == 1
    assert a.household_size(app(members=[{"relationship": "parent", "age": 70}])) is None
    assert a.household_size(app(members=[{"relationship": "parent", "age": 70, "lives_together": False}])) == 1
    # an older record listed only people living together
    assert a.household_size({**OLDER, "members": [{"relationship": "parent", "age": 70}]}) == 2


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
    ({"spending": {"kinds": ["sudden"]}}, ["sudden_event"]),
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
