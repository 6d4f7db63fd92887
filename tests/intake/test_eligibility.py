"""The pre-screen, table-driven: each line is one household and what each programme should say.

Thresholds are computed from the parameter file, so a case "exactly at the 低保 line" stays exactly
at it whatever the standard is.
"""
from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from intake.eligibility import Outcome, Prescreen, prescreen
from intake.eligibility.checks import exact
from knowledge.params import DEFAULT_PATH, load_params

P = load_params()
STD = exact(P.value("dibao_standard"))
MARGINAL = exact(P.value("marginal_income_multiple")) * STD
DISPOSABLE = exact(P.value("resident_disposable_income_last_year"))
RATIO = exact(P.value("rigid_expenditure_ratio"))
ASSET_LIMIT = exact(P.value("financial_assets_months")) * STD
MAX_HOMES, MAX_VEHICLES = int(P.value("max_homes")), int(P.value("max_vehicles"))
N = 3  # the usual household in the table: applicant, spouse, child


def whole(value: Fraction) -> int:
    """A threshold in whole yuan; the table relies on the line itself being a whole amount."""
    assert value.denominator == 1, f"{value} is not a whole amount; pick another household size"
    return int(value)


DIBAO_LINE = whole(STD * 12 * N)            # household annual income exactly at the 低保 line
MARGINAL_LINE = whole(MARGINAL * 12 * N)
DISPOSABLE_LINE = whole(DISPOSABLE * N)
ASSETS_LINE = whole(ASSET_LIMIT * N)
RATIO_INCOME = RATIO.denominator * 20000   # an income whose rigid-expenditure share is whole yuan
RATIO_LINE = whole(RATIO * RATIO_INCOME)
LOW_INCOME = DIBAO_LINE // 2
HUGE = 10**15


def money(amount):
    return None if amount is None else {"amount": amount, "estimated": False}


def household(size=N, income=LOW_INCOME, expenses="auto", financial=0, homes=1, vehicles=0, business=False,
              district="haizhu", assistance="none", sudden=False, drop=()):
    """An application; `drop` removes top-level answers (a question not reached yet)."""
    ages = [38, 12, 9, 7, 70, 68, 5, 3, 1]
    relationships = ["spouse", "child", "child", "child", "parent", "parent", "child", "child", "child"]
    members = [{"relationship": relationships[i], "name": f"成员{i}", "age": ages[i], "disability_grade": "none",
                "flags": []} for i in range(size - 1)]
    if isinstance(income, dict):
        income_record = {source: money(amount) for source, amount in income.items()}
    else:
        income_record = {"wages": money(income), "business": money(0), "pension": money(0),
                         "transfers": money(0), "other": money(0)}
    if expenses == "auto":
        # spending the whole income on medical costs meets any share up to 100%
        expenses = [("medical", income if isinstance(income, int) and income else 10000)]
    application = {
        "consent": True,
        "applicant": {"name": "申请人", "district": district, "flags": []},
        "members": members,
        "assistance": assistance,
        "income": income_record,
        "assets": {"financial": money(financial), "homes": homes, "vehicles": vehicles, "business_registered": business},
        "expenses": [{"category": c, "amount": money(a), "note": "", "receipts": []} for c, a in expenses],
        "sudden_event": sudden,
        "situation": "",
    }
    for key in drop:
        application.pop(key)
    return application


# Expected outcomes in programme order: expense_hardship, dibao, dibao_edge, temporary.
# Y met, N not met, ? unknown.
CASES = [
    ("ordinary low-income household", household(), "YYYN", {}),
    ("one person, income exactly at the 低保 line", household(size=1, income=whole(STD * 12)), "YNYN",
     {"income_below_dibao": "not_met"}),
    ("低保 line, one yuan under", household(income=DIBAO_LINE - 1), "YYYN", {"income_below_dibao": "met"}),
    ("低保 line, exactly at", household(income=DIBAO_LINE), "YNYN", {"income_below_dibao": "not_met"}),
    ("低保 line, one yuan over", household(income=DIBAO_LINE + 1), "YNYN", {"income_below_dibao": "not_met"}),
    ("低保边缘 line, one yuan under", household(income=MARGINAL_LINE - 1), "YNYN", {"income_within_marginal": "met"}),
    ("低保边缘 line, exactly at", household(income=MARGINAL_LINE), "YNYN", {"income_within_marginal": "met"}),
    ("低保边缘 line, one yuan over", household(income=MARGINAL_LINE + 1), "YNNN",
     {"income_within_marginal": "not_met"}),
    ("disposable-income line, one yuan under", household(income=DISPOSABLE_LINE - 1), "YNNN",
     {"income_below_disposable": "met"}),
    ("disposable-income line, exactly at", household(income=DISPOSABLE_LINE), "NNNN",
     {"income_below_disposable": "not_met"}),
    ("disposable-income line, one yuan over", household(income=DISPOSABLE_LINE + 1), "NNNN",
     {"income_below_disposable": "not_met"}),
    ("rigid share, one yuan under", household(income=RATIO_INCOME, expenses=[("medical", RATIO_LINE - 1)]), "NNNN",
     {"rigid_expenditure": "not_met"}),
    ("rigid share, exactly at", household(income=RATIO_INCOME, expenses=[("medical", RATIO_LINE)]), "YNNN",
     {"rigid_expenditure": "met"}),
    ("rigid share, one yuan over", household(income=RATIO_INCOME, expenses=[("education", RATIO_LINE + 1)]), "YNNN",
     {"rigid_expenditure": "met"}),
    ("zero income with medical costs", household(income=0, expenses=[("medical", 5000)]), "YYYN",
     {"rigid_expenditure": "met"}),
    ("zero income, no costs", household(income=0, expenses=[]), "NYYN", {"rigid_expenditure": "not_met"}),
    ("financial assets, one yuan under", household(financial=ASSETS_LINE - 1), "YYYN", {"financial_assets": "met"}),
    ("financial assets, exactly at", household(financial=ASSETS_LINE), "YYYN", {"financial_assets": "met"}),
    ("financial assets, one yuan over", household(financial=ASSETS_LINE + 1), "NNNN",
     {"financial_assets": "not_met"}),
    ("homes, one under the limit", household(homes=MAX_HOMES - 1), "YYYN", {"homes": "met"}),
    ("homes, exactly at the limit", household(homes=MAX_HOMES), "YYYN", {"homes": "met"}),
    ("homes, one over the limit", household(homes=MAX_HOMES + 1), "NNNN", {"homes": "not_met"}),
    ("vehicles, exactly at the limit", household(vehicles=MAX_VEHICLES), "YYYN", {"vehicles": "met"}),
    ("vehicles, one over the limit", household(vehicles=MAX_VEHICLES + 1), "NNNN", {"vehicles": "not_met"}),
    ("a registered business", household(business=True), "NNNN", {"no_business": "not_met"}),
    ("registered elsewhere, sudden accident", household(district="outside", sudden=True), "NNNY",
     {"registration": "not_met", "sudden_need": "met"}),
    ("registered elsewhere, nothing sudden", household(district="outside"), "NNNN", {"registration": "not_met"}),
    ("a district outside the city", household(district="futian"), "NNNN", {"registration": "not_met"}),
    ("already on 低保", household(assistance="dibao"), "NYYN", {"not_already_covered": "not_met"}),
    ("already 特困", household(assistance="tekun"), "NYYN", {"not_already_covered": "not_met"}),
    ("already 低保边缘", household(assistance="dibao_edge"), "NYYN", {"not_already_covered": "not_met"}),
    ("had temporary assistance before", household(assistance="temporary"), "YYYN", {"not_already_covered": "met"}),
    ("income not answered yet", household(drop=("income",)), "???N", {"rigid_expenditure": "unknown"}),
    ("one income source skipped, the rest low",
     household(income={"wages": 1000, "business": 0, "pension": None, "transfers": 0, "other": 0}), "???N",
     {"income_below_dibao": "unknown"}),
    ("one income source skipped, the rest already over every line",
     household(income={"wages": DISPOSABLE_LINE, "business": 0, "pension": 0, "transfers": 0, "other": None},
               expenses=[("medical", DISPOSABLE_LINE)]), "NNNN", {"income_below_disposable": "not_met"}),
    ("members not answered yet", household(drop=("members",)), "???N",
     {"financial_assets": "unknown", "income_below_dibao": "unknown", "rigid_expenditure": "met"}),
    ("assets not answered yet", household(drop=("assets",)), "???N",
     {"homes": "unknown", "vehicles": "unknown", "no_business": "unknown"}),
    ("financial assets skipped", household(financial=None), "???N", {"financial_assets": "unknown"}),
    ("expenses not answered yet", household(drop=("expenses",)), "?YY?", {"rigid_expenditure": "unknown"}),
    ("one expense amount unknown, the rest already enough",
     household(expenses=[("medical", LOW_INCOME), ("education", None)]), "YYYN", {"rigid_expenditure": "met"}),
    ("one expense amount unknown, the rest not enough",
     household(expenses=[("medical", 1), ("medical", None)]), "?YYN", {"rigid_expenditure": "unknown"}),
    ("district not answered yet", household(drop=("applicant",)), "???N", {"registration": "unknown"}),
    ("current assistance not answered yet", household(drop=("assistance",)), "?YYN",
     {"not_already_covered": "unknown"}),
    ("sudden event not answered yet", household(drop=("sudden_event",)), "YYY?", {"sudden_need": "unknown"}),
    ("disaster costs", household(expenses=[("disaster", 30000)]), "YYYY", {"sudden_need": "met"}),
    ("disaster reported, amount unknown", household(expenses=[("disaster", None)]), "?YYY", {"sudden_need": "met"}),
    ("very large income", household(income=HUGE), "NNNN", {"income_below_disposable": "not_met"}),
    ("very large costs on no income", household(income=0, expenses=[("medical", HUGE)]), "YYYN",
     {"rigid_expenditure": "met"}),
    ("very large savings", household(financial=HUGE * 1000), "NNNN", {"financial_assets": "not_met"}),
    ("eight people exactly at the 低保 line", household(size=8, income=whole(STD * 12 * 8)), "YNYN",
     {"income_below_dibao": "not_met"}),
    ("an empty record", {}, "????", {}),
]

SYMBOL = {"Y": Outcome.MET, "N": Outcome.NOT_MET, "?": Outcome.UNKNOWN}
ORDER = ("expense_hardship", "dibao", "dibao_edge", "temporary")


def check_outcomes(result: Prescreen) -> dict[str, Outcome]:
    return {check.key: check.outcome for programme in result.programmes for check in programme.checks}


def test_the_table_is_big_enough():
    assert len(CASES) >= 30
    assert len({name for name, *_ in CASES}) == len(CASES)


@pytest.mark.parametrize("application, expected, checks", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_household(application, expected, checks):
    result = prescreen(application, P)
    assert [p.key for p in result.programmes] == list(ORDER)
    assert {p.key: p.outcome for p in result.programmes} == dict(zip(ORDER, (SYMBOL[s] for s in expected)))
    outcomes = check_outcomes(result)
    for key, outcome in checks.items():
        assert outcomes[key] == outcome, result.programmes
    for programme in result.programmes:
        for check in programme.checks:
            for locale in ("zh", "en"):
                reason = check.reason(locale)
                assert reason and "{" not in reason
                # every parameter read is cited in the reason
                for parameter in check.parameters:
                    assert parameter.source in reason
            assert not re.search(r"[A-Za-z]{3,}", check.reason("zh").replace("（示例）", ""))
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()


def test_programme_is_met_only_when_every_check_is():
    result = prescreen(household(), P)
    for programme in result.programmes:
        outcomes = {check.outcome for check in programme.checks}
        if programme.outcome == Outcome.MET:
            assert outcomes == {Outcome.MET}
        elif programme.outcome == Outcome.UNKNOWN:
            assert Outcome.NOT_MET not in outcomes and Outcome.UNKNOWN in outcomes


def test_figures_used_are_recorded_at_the_line():
    result = prescreen(household(income=DIBAO_LINE), P)
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert check.figures["line"] == STD
    assert check.figures["per_capita_monthly_income"] == STD
    assert check.figures["household_size"] == N
    assert check.figures["annual_income"] == DIBAO_LINE
    assert check.parameters == (P["dibao_standard"],)
    assert "不低于" in check.reason("zh") and "not below" in check.reason("en")


def test_zero_income_reason_says_so():
    check = next(c for c in prescreen(household(income=0, expenses=[("medical", 5000)]), P).get("expense_hardship").checks
                 if c.key == "rigid_expenditure")
    assert check.variant == "zero_income"
    assert "没有收入" in check.reason("zh") and "no income" in check.reason("en")


def test_unknown_reason_names_what_is_missing():
    result = prescreen(household(income={"wages": 1000, "business": 0, "pension": None, "transfers": 0, "other": 0}), P)
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert "养老金" in check.reason("zh") and "pension" in check.reason("en")


def test_unverified_figures_carry_their_day_for_residents_and_the_mark_for_staff():
    today = P.on("2026-11-30")
    check = next(c for c in prescreen(household(), today).get("dibao").checks if c.key == "income_below_dibao")
    assert today["dibao_standard"].uncertain
    assert "待核实" not in check.reason("zh") and "to be verified" not in check.reason("en")
    assert "2025年1月1日起" in check.reason("zh") and "from 1 January 2025" in check.reason("en")
    assert "数值待核实" in today["dibao_standard"].staff_cite("zh")


def test_stored_result_reads_back_the_same():
    result = prescreen(household(income=MARGINAL_LINE), P)
    stored = json.loads(json.dumps(result.to_dict()))
    again = Prescreen.from_dict(stored)
    assert again.to_dict() == result.to_dict()
    assert again.get("dibao_edge").outcome == Outcome.MET
    assert stored["programmes"][0]["checks"][0]["reason"]["zh"]


def test_changing_the_dibao_standard_in_the_file_changes_the_prescreen(tmp_path: Path):
    application = household(income=DIBAO_LINE + 1)  # one yuan over today's line
    assert prescreen(application, P).get("dibao").outcome == Outcome.NOT_MET
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["parameters"]["dibao_standard"]["history"][-1]["value"] = int(STD) + 100
    changed = tmp_path / "params.yaml"
    changed.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    params = load_params(changed)
    assert params.value("dibao_standard") == int(STD) + 100
    result = prescreen(application, params)
    assert result.get("dibao").outcome == Outcome.MET
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert check.figures["line"] == int(STD) + 100
    assert f"{int(STD) + 100:,}" in check.reason("zh")
