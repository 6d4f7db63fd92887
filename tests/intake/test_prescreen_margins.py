"""The margin a pre-screen states is exact: moving the household by it turns the condition, one yuan
less does not. Checked on generated households by re-running the rule itself on the moved record."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.eligibility import PROGRAMMES, assets, income
from knowledge.params import load_params

P = load_params()
# the 2025 notice in force; the 2024 floors; after the 2025 notice's validity
DAYS = (date(2025, 7, 1), date(2024, 12, 31), date(2025, 3, 1), date(2026, 12, 7))
# the parameters in force on each day, looked up once (a lookup costs more than the rules it feeds)
ON = {day: P.on(day) for day in DAYS}
# the rules that compare a household figure with a line (the others state no margin)
RULES = [rule for rule in dict.fromkeys(r for rules in PROGRAMMES.values() for r in rules)
         if rule in (income.income_below_disposable, income.income_below_dibao, income.income_below_marginal,
                     income.rigid_expenditure, assets.financial_assets, *assets.LOOSENED_ASSET_CHECKS[:1])]


def money(value: int) -> dict:
    return {"amount": value, "estimated": False}


KINDS = ("medical", "education", "basic_living", "rehabilitation")


def household(pick) -> dict:
    """A household whose figures come from `pick(low, high)`, an integer between the two inclusive (drawn by
    Hypothesis, or by a seeded random generator for the bulk run)."""
    members = [{"relationship": "spouse", "age": 40, "flags": []}] * pick(0, 1)
    members += [{"relationship": "child", "age": pick(0, 17), "flags": []} for _ in range(pick(0, 4))]
    remaining = list(KINDS)
    kinds = [remaining.pop(pick(0, len(remaining) - 1)) for _ in range(pick(0, 3))]
    spending = {"kinds": kinds, "receipts": [], **{k: money(pick(0, 200_000)) for k in kinds}}
    return {
        "consent": True,
        "applicant": {"name": "x", "district": "haizhu", "age": pick(18, 80), "flags": [],
                      "disability_grade": "none"},
        "members": members,
        "assistance": "none",
        "income": {"sources": ["wages"], "wages": money(pick(0, 400_000))},
        "assets": {"financial": money(pick(0, 400_000)), "owned": []},
        "spending": spending,
    }


@st.composite
def households(draw) -> dict:
    return household(lambda low, high: draw(st.integers(low, high)))


def moved(application: dict, field: str, change: int) -> dict:
    """The same household with its income, rigid spending or savings moved by `change` yuan (a new record:
    the parts on the way to the moved figure are copied, the rest is shared with `application`)."""
    record = dict(application)
    if field == "income":
        record["income"] = {**application["income"], "wages": money(application["income"]["wages"]["amount"] + change)}
    elif field == "financial":
        financial = application["assets"]["financial"]["amount"]
        record["assets"] = {**application["assets"], "financial": money(financial + change)}
    else:
        spending = record["spending"] = {**application["spending"], "kinds": list(application["spending"]["kinds"])}
        if "medical" not in spending["kinds"]:
            spending["kinds"].append("medical")
            spending["medical"] = money(0)
        spending["medical"] = money(spending["medical"]["amount"] + change)
    return record


def check_margins(application: dict, day: date) -> list:
    """Check every margin the rules state for the household on `day`; the rules that stated one."""
    params = ON[day]
    checked = []
    for rule in RULES:
        found = rule(application, params)
        margin = found.figures.get("margin")
        if not margin:
            continue
        change = margin["change"]
        assert isinstance(change, int) and change != 0, (found.key, margin)
        step = 1 if change > 0 else -1
        turned = rule(moved(application, margin["field"], change), params)
        short = rule(moved(application, margin["field"], change - step), params)
        assert turned.outcome != found.outcome, (found.key, found.outcome, margin, application, day)
        assert short.outcome == found.outcome, (found.key, found.outcome, margin, application, day)
        checked.append(rule)
    return checked


# Hypothesis looks for the edges (zero figures, the bounds, small households) and shrinks a failure to its
# simplest household; the bulk run below checks 10,000 households without Hypothesis's cost per example.
@settings(max_examples=1_000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(households(), st.sampled_from(DAYS))
def test_moving_by_the_margin_turns_the_condition_and_one_yuan_less_does_not(application, day):
    check_margins(application, day)


def test_the_margins_of_10_000_seeded_households_are_exact():
    rng = random.Random(20251207)
    margins = Counter()
    for _ in range(10_000):
        margins.update(check_margins(household(rng.randint), rng.choice(DAYS)))
    assert len(RULES) == 6 and set(margins) == set(RULES)  # every rule with a line is exercised
    assert margins.total() >= 10_000
