"""The pre-screen, table-driven: each line is one household, on one day, and what each programme says.

Households sit at, just under and just over every line of every rule, and on days either side of a
parameter change. Lines are computed from the parameter file on the table's day, so "exactly at the
低保 line" stays exactly at it; the expected outcomes are written by hand.
"""
from __future__ import annotations

import json
import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from intake.eligibility import Outcome, Prescreen, prescreen
from intake.eligibility.checks import exact
from intake.eligibility.texts import amount
from knowledge.params import DEFAULT_PATH, load_params

DAY = date(2026, 1, 15)  # every figure used is verified on this day
P = load_params().on(DAY)
STD = exact(P.value("dibao_standard"))
MARGINAL = exact(P.value("marginal_income_line"))
DISPOSABLE = exact(P.value("resident_disposable_income_last_year"))
RATIO = exact(P.value("rigid_expenditure_ratio"))
ASSET_LIMIT = exact(P.value("financial_assets_limit_per_capita"))
N = 3  # the usual household in the table: applicant, spouse, child


def whole(value: Fraction) -> int:
    """A threshold in whole yuan; the table relies on the line itself being a whole amount."""
    assert value.denominator == 1, f"{value} is not a whole amount; pick another household size"
    return int(value)


DIBAO_LINE = whole(STD * 12 * N)            # household annual income exactly at the 低保 line
MARGINAL_LINE = whole(MARGINAL * 12 * N)
DISPOSABLE_LINE = whole(DISPOSABLE * N)
ASSETS_LINE = whole(ASSET_LIMIT * N)
RATIO_INCOME = RATIO.denominator * 20000   # an income whose rigid-spending share is whole yuan
RATIO_LINE = whole(RATIO * RATIO_INCOME)
LOW = DIBAO_LINE // 2
HUGE = 10**15
SPOUSE = {"relationship": "spouse", "age": 40, "flags": []}
CHILD = {"relationship": "child", "age": 11, "flags": ["student"]}


def money(value):
    return None if value is None else {"amount": value, "estimated": False}


def household(size=N, income=LOW, spending="auto", financial=0, owned=(), livelihood=None, district="haizhu",
              residence=None, assistance="none", members=None, age=38, grade="none", sudden=None, drop=(),
              excluded=None):
    """An application as the flow stores it; `drop` removes top-level answers (not reached yet)."""
    if members is None:
        extra = [{"relationship": "child", "age": a, "flags": []} for a in (9, 7, 5, 3, 1, 8, 6)]
        members = [SPOUSE, CHILD, *extra][: size - 1]
    applicant = {"name": "申请人", "district": district, "flags": [], "disability_grade": grade}
    if age is not None:
        applicant["age"] = age
    if residence is not None:
        applicant["residence"] = residence
    if isinstance(income, dict):
        income_record = {"sources": list(income), **{k: money(v) for k, v in income.items()}}
    else:
        income_record = {"sources": ["wages"], "wages": money(income)}
    income_record |= {k: money(v) for k, v in (excluded or {}).items()}
    if spending == "auto":
        # spending the whole income on medical costs exceeds any share below 100%
        spending = {"medical": income if isinstance(income, int) and income else 10000}
    spending_record = {"kinds": list(spending), **{k: money(v) for k, v in spending.items()}, "receipts": []}
    if sudden is not None:
        spending_record["kinds"].append("sudden")
        if sudden:
            spending_record["sudden_date"] = sudden
    assets = {"financial": money(financial), "owned": list(owned)}
    if livelihood is not None:
        assets["livelihood_vehicle"] = livelihood
    application = {
        "consent": True, "applicant": applicant, "members": [dict(m) for m in members], "assistance": assistance,
        "income": income_record, "assets": assets, "spending": spending_record, "situation": "",
    }
    for key in drop:
        application.pop(key)
    return application


def older_record(**changes):
    """A record from before the tick-boxes: income per source, a list of expenses, counts of assets."""
    record = {
        "consent": True, "applicant": {"name": "申请人", "district": "haizhu", "flags": [], "age": 38},
        "members": [SPOUSE, CHILD], "assistance": "none",
        "income": {"wages": money(LOW), "business": money(0), "pension": money(0), "transfers": money(0),
                   "other": money(0)},
        "assets": {"financial": money(0), "homes": 1, "vehicles": 0, "business_registered": False},
        "expenses": [{"category": "medical", "amount": money(LOW), "note": "", "receipts": []}],
        "sudden_event": False, "situation": "",
    }
    return record | changes


def alone(age=38, income=0, grade="none", members=(), spending=None):
    """One applicant (and any relatives given) with no spending: for the 特困 lines."""
    return household(size=1, income=income, spending=spending or {}, age=age, grade=grade, members=list(members))


def outside(residence="neither", member_hukou="outside", **kwargs):
    members = [dict(SPOUSE, hukou=member_hukou), dict(CHILD, hukou=member_hukou)]
    return household(district="outside", residence=residence, members=members, **kwargs)


def one_month_before(day: date) -> str:
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, day.day).isoformat()


# Expected outcomes in programme order: expense_hardship, dibao, dibao_edge, tekun, temporary.
# Y met, N not met, ? unknown. Each line: name, application, day, expected, {check: outcome}.
CASES = [
    ("ordinary low-income household", household(), DAY, "YYYNY", {}),
    # 低保: per-capita monthly income strictly below the standard
    ("低保 line, one yuan under", household(income=DIBAO_LINE - 1), DAY, "YYYNY", {"income_below_dibao": "met"}),
    ("低保 line, exactly at", household(income=DIBAO_LINE), DAY, "YNYNY", {"income_below_dibao": "not_met"}),
    ("低保 line, one yuan over", household(income=DIBAO_LINE + 1), DAY, "YNYNY", {"income_below_dibao": "not_met"}),
    ("one person, exactly at the 低保 line", household(size=1, income=whole(STD * 12)), DAY, "YNYNY",
     {"income_below_dibao": "not_met"}),
    ("eight people, exactly at the 低保 line", household(size=8, income=whole(STD * 12 * 8)), DAY, "YNYNY",
     {"income_below_dibao": "not_met"}),
    ("1,300 a head on 2024-12-31, standard 1,238", household(income=1300 * 12 * N), date(2024, 12, 31), "Y?YNY",
     {"income_below_dibao": "unknown"}),  # the 2024 notice raised 1,238 by an amount not found
    ("1,300 a head on 2025-01-01, standard 1,309", household(income=1300 * 12 * N), date(2025, 1, 1), "YYYNY",
     {"income_below_dibao": "met"}),
    # 低保边缘: strictly below 1.5 times the standard
    ("低保边缘 line, one yuan under", household(income=MARGINAL_LINE - 1), DAY, "YNYNY",
     {"income_below_marginal": "met"}),
    ("低保边缘 line, exactly at", household(income=MARGINAL_LINE), DAY, "YNNNY", {"income_below_marginal": "not_met"}),
    ("低保边缘 line, one yuan over", household(income=MARGINAL_LINE + 1), DAY, "YNNNY",
     {"income_below_marginal": "not_met"}),
    ("1,900 a head on 2025-05-31, line 1,857", household(income=1900 * 12 * N), date(2025, 5, 31), "YN?NY",
     {"income_below_marginal": "unknown"}),  # 1,857 is a floor of the raised 2024 line
    ("1,900 a head on 2025-06-01, line 1,963.5", household(income=1900 * 12 * N), date(2025, 6, 1), "YNYNY",
     {"income_below_marginal": "met"}),
    # 支出型: income strictly below the residents' disposable income
    ("disposable-income line, one yuan under", household(income=DISPOSABLE_LINE - 1), DAY, "YNNNY",
     {"income_below_disposable": "met"}),
    ("disposable-income line, exactly at", household(income=DISPOSABLE_LINE), DAY, "NNNNN",
     {"income_below_disposable": "not_met"}),
    ("disposable-income line, one yuan over", household(income=DISPOSABLE_LINE + 1), DAY, "NNNNN",
     {"income_below_disposable": "not_met"}),
    # 支出型: rigid spending must exceed the share
    ("rigid share, one yuan under", household(income=RATIO_INCOME, spending={"medical": RATIO_LINE - 1}), DAY,
     "NNNNY", {"rigid_expenditure": "not_met"}),
    ("rigid share, exactly at (must exceed)", household(income=RATIO_INCOME, spending={"medical": RATIO_LINE}), DAY,
     "NNNNY", {"rigid_expenditure": "not_met"}),
    ("rigid share, one yuan over", household(income=RATIO_INCOME, spending={"medical": RATIO_LINE + 1}), DAY,
     "YNNNY", {"rigid_expenditure": "met"}),
    ("basic living costs count as rigid spending",
     household(income=RATIO_INCOME, spending={"basic_living": RATIO_LINE + 1}), DAY, "YNNNN",
     {"rigid_expenditure": "met"}),
    ("rehabilitation and other costs add up",
     household(income=RATIO_INCOME, spending={"rehabilitation": RATIO_LINE, "other": 1}), DAY, "YNNN?",
     {"rigid_expenditure": "met"}),
    ("zero income with medical costs", household(income=0, spending={"medical": 5000}), DAY, "YYYNY",
     {"rigid_expenditure": "met"}),
    ("zero income, no spending", household(income=0, spending={}), DAY, "NYYNN",
     {"rigid_expenditure": "not_met", "temporary_need": "not_met"}),
    ("undergraduate's fees count as education",
     household(income=RATIO_INCOME, spending={"education": RATIO_LINE + 1},
               members=[SPOUSE, {"relationship": "child", "age": 20, "flags": ["student"],
                                 "study_level": "undergraduate_or_below"}]), DAY, "YNNNY",
     {"rigid_expenditure": "met"}),
    ("postgraduate's fees do not count as education",
     household(income=RATIO_INCOME, spending={"education": RATIO_LINE + 1},
               members=[SPOUSE, {"relationship": "child", "age": 24, "flags": ["student"],
                                 "study_level": "postgraduate", "lives_together": True}]), DAY, "NNNNN",
     {"rigid_expenditure": "not_met", "temporary_need": "not_met"}),
    ("one spending amount unknown, the rest already enough",
     household(spending={"medical": LOW, "education": None}), DAY, "YYYNY", {"rigid_expenditure": "met"}),
    ("one spending amount unknown, the rest not enough",
     household(spending={"medical": 1, "other": None}), DAY, "?YYNY", {"rigid_expenditure": "unknown"}),
    ("spending not answered yet", household(drop=("spending",)), DAY, "?YYN?",
     {"rigid_expenditure": "unknown", "temporary_need": "unknown"}),
    # assets: financial assets per head at most the limit
    ("financial assets, one yuan under", household(financial=ASSETS_LINE - 1), DAY, "YYYNY",
     {"financial_assets": "met"}),
    ("financial assets, exactly at", household(financial=ASSETS_LINE), DAY, "YYYNY", {"financial_assets": "met"}),
    ("financial assets, one yuan over", household(financial=ASSETS_LINE + 1), DAY, "?NNN?",
     {"financial_assets": "not_met"}),
    ("30,000 a head on 2025-05-31, limit 29,712", household(financial=30000 * N), date(2025, 5, 31), "???N?",
     {"financial_assets": "unknown"}),  # 29,712 is a floor of the raised 2024 limit
    ("30,000 a head on 2025-06-01, limit 31,416", household(financial=30000 * N), date(2025, 6, 1), "YYYNY",
     {"financial_assets": "met"}),
    ("financial assets skipped", household(financial=None), DAY, "???N?", {"financial_assets": "unknown"}),
    ("two homes", household(owned=["second_home"]), DAY, "?NNN?", {"homes": "not_met"}),
    ("a shop or parking space", household(owned=["non_residential"]), DAY, "?NNN?", {"non_residential": "not_met"}),
    ("assets not answered yet", household(drop=("assets",)), DAY, "???N?",
     {"homes": "unknown", "vehicles": "unknown", "business": "unknown", "financial_assets": "unknown"}),
    # vehicles: cars count; motorcycles, e-bikes, disability vehicles never; a livelihood car from 2026
    ("a car", household(owned=["car"], livelihood=False), DAY, "?NNN?", {"vehicles": "not_met"}),
    ("a motorcycle or e-bike is exempt", household(owned=["motorcycle"]), DAY, "YYYNY", {"vehicles": "met"}),
    ("a disability vehicle is exempt", household(owned=["disability_vehicle"]), DAY, "YYYNY", {"vehicles": "met"}),
    ("the only car, to earn a living, on 2025-12-31", household(owned=["car"], livelihood=True),
     date(2025, 12, 31), "?NNN?", {"vehicles": "not_met"}),
    ("the only car, to earn a living, on 2026-01-01", household(owned=["car"], livelihood=True),
     date(2026, 1, 1), "???N?", {"vehicles": "unknown"}),
    ("a car, use not answered", household(owned=["car"]), DAY, "???N?", {"vehicles": "unknown"}),
    # business
    ("a registered business with employees", household(owned=["business"]), DAY, "?NNN?", {"business": "not_met"}),
    ("a family stall without employees is reviewed", household(owned=["small_shop"]), DAY, "???N?",
     {"business": "unknown"}),
    # registration: the applicant's hukou or any counted member's
    ("nobody registered in the city", outside(), DAY, "NNNNN",
     {"registration": "not_met", "temporary_residence": "not_met"}),
    ("applicant elsewhere, spouse registered here", outside(member_hukou="guangzhou"), DAY, "YYYNN",
     {"registration": "met", "temporary_residence": "not_met"}),
    ("applicant elsewhere, members' hukou not answered", outside(member_hukou=None), DAY, "???NN",
     {"registration": "unknown"}),
    ("district not answered yet", household(district=None), DAY, "???N?",
     {"registration": "unknown", "temporary_residence": "unknown"}),
    # current assistance
    ("already on 低保", household(assistance="dibao"), DAY, "NYNNY",
     {"not_already_covered": "not_met", "not_in_higher_tier": "not_met"}),
    ("already 特困", household(assistance="tekun"), DAY, "NYNNY", {"not_already_covered": "not_met"}),
    ("already 低保边缘", household(assistance="dibao_edge"), DAY, "NYYNY",
     {"not_already_covered": "not_met", "not_in_higher_tier": "met"}),
    ("had temporary assistance before", household(assistance="temporary"), DAY, "YYYNY",
     {"not_already_covered": "met"}),
    ("current assistance not answered yet", household(drop=("assistance",)), DAY, "?Y?NY",
     {"not_already_covered": "unknown"}),
    # who counts in the household
    ("adult child studying for a first degree counts",
     household(income=DIBAO_LINE - 1, members=[SPOUSE, {"relationship": "child", "age": 20, "flags": ["student"],
                                                         "study_level": "undergraduate_or_below"}]),
     DAY, "YYYNY", {"income_below_dibao": "met"}),
    ("adult child in postgraduate study, living apart, does not count",
     household(income=DIBAO_LINE - 1, members=[SPOUSE, {"relationship": "child", "age": 24, "flags": ["student"],
                                                         "study_level": "postgraduate", "lives_together": False}]),
     DAY, "YNYNY", {"income_below_dibao": "not_met"}),
    ("a parent living together counts",
     household(income=DIBAO_LINE, members=[SPOUSE, CHILD, {"relationship": "parent", "age": 65, "flags": [],
                                                           "lives_together": True}]),
     DAY, "YYYNY", {"income_below_dibao": "met"}),
    ("a parent living apart does not count",
     household(income=DIBAO_LINE, members=[SPOUSE, CHILD, {"relationship": "parent", "age": 65, "flags": [],
                                                           "lives_together": False}]),
     DAY, "YNYNY", {"income_below_dibao": "not_met"}),
    ("a parent, living together not answered",
     household(income=DIBAO_LINE, members=[SPOUSE, CHILD, {"relationship": "parent", "age": 65, "flags": []}]),
     DAY, "Y?YNY",  # at the line for three, below it for four; the other lines hold at either size
     {"income_below_dibao": "unknown", "financial_assets": "met"}),
    ("a friend living together does not count",
     household(income=DIBAO_LINE - 1, members=[SPOUSE, CHILD, {"relationship": "other", "age": 30, "flags": [],
                                                               "lives_together": True}]),
     DAY, "YYYNY", {"income_below_dibao": "met"}),
    ("a child of 17 counts wherever they live",
     household(income=DIBAO_LINE - 1, members=[SPOUSE, {"relationship": "child", "age": 17, "flags": []}]),
     DAY, "YYYNY", {"income_below_dibao": "met"}),
    ("a working child of 18 living apart does not count",
     household(income=DIBAO_LINE - 1, members=[SPOUSE, {"relationship": "child", "age": 18, "flags": [],
                                                         "lives_together": False}]),
     DAY, "YNYNY", {"income_below_dibao": "not_met"}),
    # net income: excluded items never count; unticked sources are not asked
    ("a scholarship is not income", household(income=DIBAO_LINE - 1, excluded={"scholarship": 50000}), DAY,
     "YYYNY", {"income_below_dibao": "met"}),
    ("the basic resident pension is not income",
     household(income=DIBAO_LINE - 1, excluded={"basic_pension": 50000}), DAY, "YYYNY", {"income_below_dibao": "met"}),
    ("assistance payments are not income",
     household(income=DIBAO_LINE - 1, excluded={"assistance_payments": 50000, "family_planning": 3000}), DAY,
     "YYYNY", {"income_below_dibao": "met"}),
    ("family-planning grants alone are not income", household(income=0, spending={"medical": 5000},
                                                              excluded={"family_planning": DIBAO_LINE}),
     DAY, "YYYNY", {"income_below_dibao": "met"}),
    ("income not answered yet", household(drop=("income",)), DAY, "???N?", {"rigid_expenditure": "unknown"}),
    ("a ticked source skipped, the rest low", household(income={"wages": 1000, "pension": None}), DAY, "???N?",
     {"income_below_dibao": "unknown"}),
    ("a ticked source skipped, the rest already over every line",
     household(income={"wages": DISPOSABLE_LINE, "other": None}, spending={"medical": DISPOSABLE_LINE}), DAY,
     "NNNNN", {"income_below_disposable": "not_met"}),
    # 特困: unable to work (60+, under 16, severe disability), no means of living, nobody able to support
    ("aged 60, alone, no income", alone(age=60), DAY, "NYYYN", {"unable_to_work": "met", "no_supporter": "met"}),
    ("aged 59, alone, no income", alone(age=59), DAY, "NYYNN", {"unable_to_work": "not_met"}),
    ("aged 15, alone, no income", alone(age=15), DAY, "NYYYN", {"unable_to_work": "met"}),
    ("aged 16, alone, no income", alone(age=16), DAY, "NYYNN", {"unable_to_work": "not_met"}),
    ("grade 2 disability, kind not given", alone(age=45, grade="2"), DAY, "NYY?N", {"unable_to_work": "unknown"}),
    ("grade 3 disability, kind not given", alone(age=45, grade="3"), DAY, "NYY?N", {"unable_to_work": "unknown"}),
    ("aged 70 with a healthy son earning enough",
     alone(age=70, income=whole(STD * 24), members=[{"relationship": "child", "age": 40, "flags": [],
                                                      "lives_together": True}]),
     DAY, "NNYNN", {"no_supporter": "not_met", "income_below_dibao": "not_met"}),
    ("aged 70 with a healthy son on a low income",
     alone(age=70, income=12000, members=[{"relationship": "child", "age": 40, "flags": [], "lives_together": True}]),
     DAY, "NYY?N", {"no_supporter": "unknown"}),
    ("aged 70 with a seriously ill son",
     alone(age=70, members=[{"relationship": "child", "age": 40, "flags": ["serious_illness"]}]), DAY, "NYYYN",
     {"no_supporter": "met"}),
    ("age unknown, alone, no income", alone(age=None), DAY, "NYY?N", {"unable_to_work": "unknown"}),
    # 临时救助: emergencies within a month, spending within 12 months; residence for non-hukou applicants
    ("a sudden event exactly a month ago", household(spending={}, sudden=one_month_before(DAY)), DAY, "NYYNY",
     {"temporary_need": "met"}),
    ("a sudden event a month and a day ago",
     household(spending={}, sudden=date.fromordinal(date.fromisoformat(one_month_before(DAY)).toordinal() - 1)
               .isoformat()), DAY, "NYYNN", {"temporary_need": "not_met"}),
    ("a sudden event, date not given", household(spending={}, sudden=False), DAY, "NYYN?",
     {"temporary_need": "unknown"}),
    ("not registered here, residence permit", outside(residence="permit"), DAY, "NNNNY",
     {"temporary_residence": "met", "temporary_need": "met"}),
    ("not registered here, a year's residence", outside(residence="one_year"), DAY, "NNNNY",
     {"temporary_residence": "met"}),
    ("not registered here, neither, no emergency", outside(residence="neither"), DAY, "NNNNN",
     {"temporary_residence": "not_met"}),
    ("not registered here, neither, an emergency this month",
     outside(residence="neither", sudden=one_month_before(DAY)), DAY, "NNNN?", {"temporary_residence": "unknown"}),
    ("not registered here, residence not answered", outside(residence=None), DAY, "NNNN?",
     {"temporary_residence": "unknown"}),
    ("nothing sudden and no spending", household(spending={}), DAY, "NYYNN", {"temporary_need": "not_met"}),
    # odd records
    ("an empty record", {}, DAY, "?????", {}),
    ("very large income", household(income=HUGE), DAY, "NNNNN", {"income_below_disposable": "not_met"}),
    ("very large costs on no income", household(income=0, spending={"medical": HUGE}), DAY, "YYYNY",
     {"rigid_expenditure": "met"}),
    ("very large savings", household(financial=HUGE * 1000), DAY, "?NNN?", {"financial_assets": "not_met"}),
    ("an older stored record", older_record(), DAY, "YYYNY", {"vehicles": "met"}),
    ("an older record with two homes and a car", older_record(assets={"financial": money(0), "homes": 2,
                                                                       "vehicles": 1, "business_registered": False}),
     DAY, "?NNN?", {"homes": "not_met", "vehicles": "unknown"}),
]

SYMBOL = {"Y": Outcome.MET, "N": Outcome.NOT_MET, "?": Outcome.UNKNOWN}
ORDER = ("expense_hardship", "dibao", "dibao_edge", "tekun", "temporary")


def check_outcomes(result: Prescreen) -> dict[str, Outcome]:
    """Each rule's outcome; an asset rule as 低保 reads it (支出型 and 临时救助 loosen it)."""
    loosening = ("expense_hardship", "temporary")
    ordered = sorted(result.programmes, key=lambda p: p.key in loosening)
    outcomes: dict[str, Outcome] = {}
    for programme in ordered:
        for check in programme.checks:
            outcomes.setdefault(check.key, check.outcome)
    return outcomes


def test_the_table_is_big_enough():
    assert len(CASES) >= 80
    assert len({name for name, *_ in CASES}) == len(CASES)


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text))


@pytest.mark.parametrize("application, day, expected, checks", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_household(application, day, expected, checks):
    result = prescreen(application, P, on=day)
    assert [p.key for p in result.programmes] == list(ORDER)
    assert {p.key: p.outcome for p in result.programmes} == dict(zip(ORDER, (SYMBOL[s] for s in expected)))
    outcomes = check_outcomes(result)
    for key, outcome in checks.items():
        assert outcomes[key] == outcome, [c.reason("en") for p in result.programmes for c in p.checks if c.key == key]
    for programme in result.programmes:
        for check in programme.checks:
            assert check.basis, check.key  # every rule names the clause it follows
            for locale in ("zh", "en"):
                reason = check.reason(locale)
                assert reason and "{" not in reason
                assert "待核实" not in reason and "to be verified" not in reason
                for parameter in check.parameters:
                    assert parameter.source in reason  # every parameter read is cited
                # every number a resident reads comes from the figures the rule recorded (household
                # answers or parameters in force, each with its source cited)
                said = reason.split("（依据：" if locale == "zh" else " (Source:")[0]
                recorded = set()
                for value in check.figures.values():
                    for one in (value.values() if isinstance(value, dict) else [value]):
                        recorded |= _numbers(amount(one)) | _numbers(str(one))
                assert _numbers(said) <= recorded, (check.key, said)
            assert not re.search(r"[A-Za-z]{3,}", check.reason("zh"))
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()


def test_the_parameters_read_are_those_in_force_on_the_day():
    before = prescreen(household(), P, on=date(2024, 12, 31))
    after = prescreen(household(), P, on=date(2025, 1, 1))
    lines = [next(c for c in r.get("dibao").checks if c.key == "income_below_dibao").figures["line"]
             for r in (before, after)]
    assert lines == [1238, 1309]


def test_programme_is_met_only_when_every_check_is():
    for name, application, day, *_ in CASES:
        for programme in prescreen(application, P, on=day).programmes:
            outcomes = {check.outcome for check in programme.checks}
            if programme.outcome == Outcome.MET:
                assert outcomes == {Outcome.MET}, name
            elif programme.outcome == Outcome.UNKNOWN:
                assert Outcome.NOT_MET not in outcomes and Outcome.UNKNOWN in outcomes, name


def test_figures_used_are_recorded_at_the_line():
    result = prescreen(household(income=DIBAO_LINE), P, on=DAY)
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert check.figures["line"] == STD
    assert check.figures["per_capita_monthly_income"] == STD
    assert check.figures["household_size"] == N
    assert check.figures["annual_income"] == DIBAO_LINE
    assert check.parameters == (P["dibao_standard"], P["dibao_income_lookback_months"])
    assert "不低于" in check.reason("zh") and "not below" in check.reason("en")


def test_excluded_income_is_named_in_the_figures():
    result = prescreen(household(excluded={"scholarship": 5000}), P, on=DAY)
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert check.figures["excluded"] == ["scholarship"] and check.figures["annual_income"] == LOW


def test_a_borrowed_ratio_says_where_it_comes_from():
    check = next(c for c in prescreen(household(), P, on=DAY).get("expense_hardship").checks
                 if c.key == "rigid_expenditure")
    assert "深圳市坪山区" in check.reason("zh") and "Shenzhen Pingshan" in check.reason("en")
    assert "数值待核实" in check.staff_reason("zh") and "borrowed" in check.staff_reason("en")


def test_zero_income_reason_says_so():
    check = next(c for c in prescreen(household(income=0, spending={"medical": 5000}), P, on=DAY)
                 .get("expense_hardship").checks if c.key == "rigid_expenditure")
    assert check.variant == "zero_income"
    assert "没有收入" in check.reason("zh") and "no income" in check.reason("en")


def test_unknown_reason_names_what_is_missing():
    result = prescreen(household(income={"wages": 1000, "pension": None}), P, on=DAY)
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert "退休金" in check.reason("zh") and "pension" in check.reason("en")


def test_unverified_figures_carry_their_day_for_residents_and_the_mark_for_staff():
    today = P.on("2026-11-30")
    check = next(c for c in prescreen(household(), today, on=date(2026, 11, 30)).get("dibao").checks
                 if c.key == "income_below_dibao")
    assert check.parameters[0].uncertain
    assert "待核实" not in check.reason("zh") and "to be verified" not in check.reason("en")
    assert "2025年1月1日起" in check.reason("zh") and "from 1 January 2025" in check.reason("en")
    assert "数值待核实" in check.staff_reason("zh") and "to be verified" in check.staff_reason("en")


def test_stored_result_reads_back_the_same():
    result = prescreen(household(income=MARGINAL_LINE - 1), P, on=DAY)
    stored = json.loads(json.dumps(result.to_dict()))
    again = Prescreen.from_dict(stored)
    assert again.to_dict() == result.to_dict()
    assert again.get("dibao_edge").outcome == Outcome.MET
    assert stored["programmes"][0]["checks"][0]["reason"]["zh"]


def test_a_check_stored_before_parameters_had_a_history_still_reads():
    stored = prescreen(household(), P, on=DAY).to_dict()
    for programme in stored["programmes"]:
        for check in programme["checks"]:
            for parameter in check["parameters"]:
                parameter["uncertain"] = not parameter.pop("verified")
                for name in ("document", "clause", "effective_to", "note"):
                    parameter.pop(name)
    again = Prescreen.from_dict(stored)
    assert again.get("dibao").outcome == Outcome.MET


def test_changing_the_dibao_standard_in_the_file_changes_the_prescreen(tmp_path: Path):
    application = household(income=DIBAO_LINE + 1)  # one yuan over the line
    assert prescreen(application, P, on=DAY).get("dibao").outcome == Outcome.NOT_MET
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["parameters"]["dibao_standard"]["history"][-1]["value"] = int(STD) + 100
    changed = tmp_path / "params.yaml"
    changed.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    params = load_params(changed)
    result = prescreen(application, params, on=DAY)
    assert result.get("dibao").outcome == Outcome.MET
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert check.figures["line"] == int(STD) + 100
    assert f"{int(STD) + 100:,}" in check.reason("zh")
