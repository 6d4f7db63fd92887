"""Households written from the clauses, one per line, each naming the clause that decides it.

The expected outcomes were written from the texts (POLICY-SOURCES.md, the clauses cited) before the
pre-screen was run on them. Lines on 2025-07-01 (穗民规字〔2025〕2号 in force): 低保 1,309 元/人/月,
低保边缘 1,963.5, financial assets 31,416 元/人, 支出型 income line 80,501 元/人/年 (not verified),
rigid share 60 % (borrowed). Only the programmes and rules a line is about are asserted.
"""
from __future__ import annotations

from datetime import date

import pytest

from intake.eligibility import Outcome, prescreen
from knowledge.params import load_params

P = load_params()
DAY = date(2025, 7, 1)
LATE = date(2026, 12, 7)  # the 2025 notice expired on 2026-06-01; the 临时救助 细则 runs to 2029-12-06
DIBAO_YEAR = 1309 * 12  # one person's 低保 line over 12 months: 15,708
ASSETS = 31416


def money(value):
    return None if value is None else {"amount": value, "estimated": False}


def home(*, age=45, flags=(), grade="none", kind=None, district="haizhu", residence=None, members=(),
         income=0, financial=0, owned=(), spending=None, sudden=None, assistance="none", livelihood=None):
    """An application as the flow stores it."""
    applicant = {"name": "申请人", "district": district, "flags": list(flags), "disability_grade": grade}
    if grade != "none":
        applicant["flags"].append("disability")
    if kind is not None:
        applicant["disability_kind"] = kind
    if age is not None:
        applicant["age"] = age
    if residence is not None:
        applicant["residence"] = residence
    spending = dict(spending or {})
    spending_record = {"kinds": list(spending), **{k: money(v) for k, v in spending.items()}, "receipts": []}
    if sudden is not None:
        spending_record["kinds"].append("sudden")
        spending_record["sudden_date"] = sudden
    assets = {"financial": money(financial), "owned": list(owned)}
    if livelihood is not None:
        assets["livelihood_vehicle"] = livelihood
    return {"consent": True, "applicant": applicant, "members": [dict(m) for m in members],
            "assistance": assistance, "income": {"sources": ["wages"], "wages": money(income)},
            "assets": assets, "spending": spending_record, "situation": ""}


def rel(relationship, age, **more):
    return {"relationship": relationship, "age": age, "flags": [], **more}


SPOUSE = rel("spouse", 44)
KID = rel("child", 10, flags=["student"])
THREE = (SPOUSE, KID)
Y, N, U = "met", "not_met", "unknown"

# name, deciding clause, application, day, {programme: outcome}, {rule: outcome}
CASES = [
    # 特困: 无生活来源 is income below the 低保 standard AND property within the local rule (S9 第六条);
    # Guangzhou's 特困 property rule was not found, the 低保 rule stands in
    ("70, alone, no income, 500,000 in deposits", "特困人员认定办法 第六条",
     home(age=70, financial=500000), DAY, {"tekun": N}, {"financial_assets": N}),
    ("70, alone, no income, 20,000 in deposits", "特困人员认定办法 第四、五、六条",
     home(age=70, financial=20000), DAY, {"tekun": Y}, {}),
    ("70, alone, deposits exactly at the limit", "粤民规字〔2019〕9号 (不超过)",
     home(age=70, financial=ASSETS), DAY, {"tekun": Y}, {"financial_assets": Y}),
    ("70, alone, deposits one yuan over the limit", "粤民规字〔2019〕9号",
     home(age=70, financial=ASSETS + 1), DAY, {"tekun": N}, {"financial_assets": N}),
    ("70, alone, a second home", "特困人员认定办法 第六条; 粤民规字〔2019〕9号",
     home(age=70, owned=["second_home"]), DAY, {"tekun": N}, {"homes": N}),
    # 无劳动能力 by disability kind and grade (S9 第五条（三）)
    ("45, grade 3 mental disability", "特困人员认定办法 第五条（三）",
     home(grade="3", kind="mental"), DAY, {"tekun": Y}, {"unable_to_work": Y}),
    ("45, grade 3 intellectual disability", "特困人员认定办法 第五条（三）",
     home(grade="3", kind="intellectual"), DAY, {"tekun": Y}, {"unable_to_work": Y}),
    ("45, grade 4 mental disability", "特困人员认定办法 第五条（三）",
     home(grade="4", kind="mental"), DAY, {"tekun": N}, {"unable_to_work": N}),
    ("45, grade 2 physical disability", "特困人员认定办法 第五条（三）",
     home(grade="2", kind="physical"), DAY, {"tekun": Y}, {"unable_to_work": Y}),
    ("45, grade 3 physical disability", "特困人员认定办法 第五条（三）",
     home(grade="3", kind="physical"), DAY, {"tekun": N}, {"unable_to_work": N}),
    ("45, grade 1 visual disability", "特困人员认定办法 第五条（三）",
     home(grade="1", kind="visual"), DAY, {"tekun": Y}, {"unable_to_work": Y}),
    ("45, grade 2 visual disability", "特困人员认定办法 第五条（三）",
     home(grade="2", kind="visual"), DAY, {"tekun": N}, {"unable_to_work": N}),
    ("45, grade 1 hearing disability (not listed)", "特困人员认定办法 第五条（三）",
     home(grade="1", kind="hearing"), DAY, {"tekun": N}, {"unable_to_work": N}),
    ("45, grade 2, kind not given", "特困人员认定办法 第五条（三）: a grade without its kind cannot decide",
     home(grade="2"), DAY, {"tekun": U}, {"unable_to_work": U}),
    ("45, grade 1 multiple disability", "特困人员认定办法 第五条（三）",
     home(grade="1", kind="multiple"), DAY, {"tekun": U}, {"unable_to_work": U}),
    ("65, grade 4 hearing disability", "特困人员认定办法 第五条（一）",
     home(age=65, grade="4", kind="hearing"), DAY, {"tekun": Y}, {"unable_to_work": Y}),
    ("age unknown, grade 1 physical disability", "特困人员认定办法 第五条（三）",
     home(age=None, grade="1", kind="physical"), DAY, {"tekun": Y}, {"unable_to_work": Y}),
    ("grade 3 mental disability, income exactly at the 低保 line", "特困人员认定办法 第六条 (低于)",
     home(grade="3", kind="mental", income=DIBAO_YEAR), DAY, {"tekun": N}, {"income_below_dibao": N}),
    # 临时救助: income and property tests of the provincial 办法, and education, 定点 medical or hospital-care
    # spending within 12 months, or an emergency within 1 month (穗府办规〔2021〕19号 第五、六条)
    ("two earning 10,000 a head a month, basic living costs only", "临时救助实施细则 第五、六条",
     home(members=[SPOUSE], income=240000, spending={"basic_living": 60000}), DAY, {"temporary": N},
     {"income_below_disposable": N, "temporary_need": N}),
    ("low income, basic living costs only", "临时救助实施细则 第六条",
     home(members=[SPOUSE], income=20000, spending={"basic_living": 18000}), DAY, {"temporary": N},
     {"temporary_need": N}),
    ("low income, medical costs", "临时救助实施细则 第六条",
     home(members=[SPOUSE], income=20000, spending={"medical": 5000}), DAY, {"temporary": Y}, {"temporary_need": Y}),
    ("low income, school fees", "临时救助实施细则 第六条",
     home(members=THREE, income=20000, spending={"education": 3000}), DAY, {"temporary": Y}, {"temporary_need": Y}),
    ("low income, rehabilitation costs only", "临时救助实施细则 第六条 (may be 住院照料 or 定点 medical)",
     home(members=[SPOUSE], income=20000, spending={"rehabilitation": 4000}), DAY, {"temporary": U},
     {"temporary_need": U}),
    ("low income, other costs only", "临时救助实施细则 第六条",
     home(members=[SPOUSE], income=20000, spending={"other": 2000}), DAY, {"temporary": U}, {"temporary_need": U}),
    ("low income, a sudden event 10 days ago", "临时救助实施细则 第五条 (1 month)",
     home(members=[SPOUSE], income=20000, sudden="2025-06-21"), DAY, {"temporary": Y}, {"temporary_need": Y}),
    ("low income, a sudden event 40 days ago, no spending", "临时救助实施细则 第五条 (1 month)",
     home(members=[SPOUSE], income=20000, sudden="2025-05-22"), DAY, {"temporary": N}, {"temporary_need": N}),
    ("high income, large medical costs", "临时救助实施细则 第五条 (provincial income test)",
     home(members=[SPOUSE], income=240000, spending={"medical": 50000}), DAY, {"temporary": N},
     {"income_below_disposable": N}),
    ("low income, medical costs, savings over the 低保边缘 limit", "临时救助实施细则 第五条; 刚性支出困难家庭认定办法 第四条",
     home(members=[SPOUSE], income=20000, financial=100000, spending={"medical": 5000}), DAY, {"temporary": U}, {}),
    ("registered elsewhere with a permit, medical costs", "临时救助实施细则 第六条",
     home(district="outside", residence="permit", members=[SPOUSE], income=20000, spending={"medical": 5000}), DAY,
     {"temporary": Y}, {"temporary_residence": Y}),
    ("registered elsewhere, neither permit nor a year, no emergency", "临时救助实施细则 第六条",
     home(district="outside", residence="neither", members=[SPOUSE], income=20000, spending={"medical": 5000}),
     DAY, {"temporary": N}, {"temporary_residence": N}),
    # 支出型: property may follow the 低保边缘 rules "或者适当放宽" (刚性支出困难家庭认定办法 第四条)
    ("treatment costs, savings 40,000 a head", "刚性支出困难家庭认定办法 第四条",
     home(members=THREE, income=30000, financial=120000, spending={"medical": 60000}), DAY,
     {"expense_hardship": U, "dibao": N}, {}),
    ("treatment costs, savings exactly at the limit", "刚性支出困难家庭认定办法 第四条",
     home(members=THREE, income=30000, financial=3 * ASSETS, spending={"medical": 60000}), DAY,
     {"expense_hardship": Y}, {}),
    ("treatment costs, savings one yuan over the limit", "刚性支出困难家庭认定办法 第四条",
     home(members=THREE, income=30000, financial=3 * ASSETS + 1, spending={"medical": 60000}), DAY,
     {"expense_hardship": U, "dibao": N}, {}),
    ("treatment costs, a second home", "刚性支出困难家庭认定办法 第四条",
     home(members=THREE, income=30000, owned=["second_home"], spending={"medical": 60000}), DAY,
     {"expense_hardship": U, "dibao": N}, {}),
    ("treatment costs, a car not used for a living", "刚性支出困难家庭认定办法 第四条",
     home(members=THREE, income=30000, owned=["car"], livelihood=False, spending={"medical": 60000}), DAY,
     {"expense_hardship": U, "dibao": N}, {}),
    ("income exactly at the disposable-income line", "刚性支出困难家庭认定办法 第四条（二） (低于)",
     home(members=THREE, income=3 * 80501, spending={"medical": 200000}), DAY, {"expense_hardship": N},
     {"income_below_disposable": N}),
    ("income one yuan under the disposable-income line", "刚性支出困难家庭认定办法 第四条（二）",
     home(members=THREE, income=3 * 80501 - 1, spending={"medical": 200000}), DAY, {"expense_hardship": Y},
     {"income_below_disposable": Y}),
    ("rigid spending exactly 60 % of income", "刚性支出困难家庭认定办法 第四条（四） (超出)",
     home(members=THREE, income=50000, spending={"medical": 30000}), DAY, {"expense_hardship": N},
     {"rigid_expenditure": N}),
    ("rigid spending one yuan over 60 %", "刚性支出困难家庭认定办法 第四条（四）",
     home(members=THREE, income=50000, spending={"medical": 30001}), DAY, {"expense_hardship": Y},
     {"rigid_expenditure": Y}),
    ("basic living costs over 60 % (a rigid cost, not a 临时救助 need)", "刚性支出困难家庭认定办法 第五条",
     home(members=THREE, income=50000, spending={"basic_living": 30001}), DAY,
     {"expense_hardship": Y, "temporary": N}, {}),
    ("already on 低保, large medical costs", "刚性支出困难家庭认定办法 第四条（一）",
     home(members=THREE, income=10000, spending={"medical": 50000}, assistance="dibao"), DAY,
     {"expense_hardship": N}, {"not_already_covered": N}),
    # membership: a legal duty of support and long-term co-residence (最低生活保障审核确认办法 第七条（四）)
    ("ill, living with an earning adult sibling", "最低生活保障审核确认办法 第七条（四）",
     home(age=40, flags=["serious_illness"], members=[rel("sibling", 35, lives_together=True)], income=40000), DAY,
     {"dibao": U}, {"income_below_dibao": U}),
    ("living with a grandparent", "最低生活保障审核确认办法 第七条（四）",
     home(members=[rel("grandparent", 75, lives_together=True)], income=20000), DAY, {"dibao": U}, {}),
    ("living with an adult grandchild", "最低生活保障审核确认办法 第七条（四）",
     home(age=70, members=[rel("grandchild", 25, lives_together=True)], income=20000), DAY, {"dibao": U}, {}),
    ("raising a grandchild of 8", "最低生活保障审核确认办法 第七条",
     home(age=70, members=[rel("grandchild", 8, lives_together=True)], income=20000), DAY, {"dibao": Y},
     {"income_below_dibao": Y}),
    ("an adult sibling living apart does not count", "最低生活保障审核确认办法 第七条",
     home(members=[rel("sibling", 35, lives_together=False)], income=10000), DAY, {"dibao": Y}, {}),
    ("a parent living together counts", "最低生活保障审核确认办法 第七条（四）",
     home(members=[rel("parent", 70, lives_together=True)], income=30000), DAY, {"dibao": Y},
     {"income_below_dibao": Y}),
    ("a co-resident sibling, income below the line even alone", "最低生活保障审核确认办法 第七条",
     home(members=[rel("sibling", 35, lives_together=True)], income=10000), DAY, {"dibao": Y},
     {"income_below_dibao": Y}),
    # 2024: the 2024 notice raised 1,238 (its figure not found): below the old line is below the new one;
    # at or above it is to be checked, never refused (穗民规字〔2024〕5号)
    ("1,300 a head on 2024-12-31", "穗民规字〔2024〕5号",
     home(members=THREE, income=1300 * 36), date(2024, 12, 31), {"dibao": U}, {"income_below_dibao": U}),
    ("1,200 a head on 2024-12-31", "穗民规字〔2024〕5号",
     home(members=THREE, income=1200 * 36), date(2024, 12, 31), {"dibao": Y}, {"income_below_dibao": Y}),
    ("savings 30,000 a head on 2025-03-01", "穗民规字〔2024〕5号; 粤民规字〔2019〕9号",
     home(members=THREE, income=20000, financial=90000), date(2025, 3, 1), {"dibao": U}, {"financial_assets": U}),
    ("savings 29,000 a head on 2025-03-01", "粤民规字〔2019〕9号",
     home(members=THREE, income=20000, financial=87000), date(2025, 3, 1), {"dibao": Y}, {"financial_assets": Y}),
    ("1,300 a head on 2024-03-01, the 2023 notice in force", "穗民规字〔2023〕4号",
     home(members=THREE, income=1300 * 36), date(2024, 3, 1), {"dibao": N}, {"income_below_dibao": N}),
    ("1,900 a head on 2025-03-01, marginal line floor 1,857", "穗民规字〔2024〕5号",
     home(members=THREE, income=1900 * 36), date(2025, 3, 1), {"dibao_edge": U, "dibao": N},
     {"income_below_marginal": U}),
    ("1,900 a head on 2025-07-01, marginal line 1,963.5", "穗民规字〔2025〕2号",
     home(members=THREE, income=1900 * 36), DAY, {"dibao_edge": Y}, {"income_below_marginal": Y}),
    # lines on either side (低于: strictly below; 最低生活保障审核确认办法 第八条 for 低保边缘)
    ("低保边缘: exactly 1.5 times the standard", "最低生活保障审核确认办法 第八条; 穗民规字〔2025〕2号",
     home(members=THREE, income=70686), DAY, {"dibao_edge": N}, {"income_below_marginal": N}),
    ("低保边缘: one yuan under", "穗民规字〔2025〕2号",
     home(members=THREE, income=70685), DAY, {"dibao_edge": Y}, {"income_below_marginal": Y}),
    ("低保: exactly at the line for three", "《广东省最低生活保障制度实施办法》 (低于)",
     home(members=THREE, income=3 * DIBAO_YEAR), DAY, {"dibao": N}, {"income_below_dibao": N}),
    ("低保: one yuan under for three", "《广东省最低生活保障制度实施办法》",
     home(members=THREE, income=3 * DIBAO_YEAR - 1), DAY, {"dibao": Y}, {"income_below_dibao": Y}),
    ("a motorcycle is exempt", "粤民规字〔2019〕9号",
     home(members=THREE, income=20000, owned=["motorcycle"]), DAY, {"dibao": Y}, {"vehicles": Y}),
    ("a family stall without employees is reviewed", "粤民规字〔2019〕9号",
     home(members=THREE, income=20000, owned=["small_shop"]), DAY, {"dibao": U}, {"business": U}),
    ("the only car, used to earn a living, from 2026", "广东省核对和综合评估办法（2026年）",
     home(members=THREE, income=20000, owned=["car"], livelihood=True), date(2026, 1, 15), {"dibao": U},
     {"vehicles": U}),
    # the day after the 2025 notice's validity: its figures are still used, the 临时救助 细则 still valid
    ("late 2026, low income, medical costs", "临时救助实施细则 (valid to 2029-12-06)",
     home(members=[SPOUSE], income=20000, spending={"medical": 5000}), LATE, {"temporary": Y}, {}),
    ("late 2026, exactly at the 1,309 line", "穗民规字〔2025〕2号 (expired, no newer notice)",
     home(members=THREE, income=3 * DIBAO_YEAR), LATE, {"dibao": N}, {"income_below_dibao": N}),
    ("an empty record", "—", {}, DAY,
     {"expense_hardship": U, "dibao": U, "dibao_edge": U, "tekun": U, "temporary": U}, {}),
]


def rule_outcomes(result) -> dict[str, str]:
    """Each rule's outcome, an asset rule as the strict programmes read it."""
    loosening = ("expense_hardship", "temporary")
    found: dict[str, str] = {}
    for programme in sorted(result.programmes, key=lambda p: p.key in loosening):
        for check in programme.checks:
            found.setdefault(check.key, str(check.outcome))
    return found


def test_the_table_is_big_enough_and_names_its_clauses():
    assert len(CASES) >= 60
    assert len({case[0] for case in CASES}) == len(CASES)
    assert all(case[1] for case in CASES)


@pytest.mark.parametrize("clause, application, day, programmes, rules", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_household(clause, application, day, programmes, rules):
    result = prescreen(application, P, on=day)
    got = {p.key: str(p.outcome) for p in result.programmes}
    assert {key: got[key] for key in programmes} == programmes, clause
    found = rule_outcomes(result)
    assert {key: found[key] for key in rules} == rules, clause


def test_late_2026_says_once_which_notice_the_figures_come_from():
    result = prescreen(home(members=THREE, income=20000, spending={"medical": 5000}), P, on=LATE)
    from intake.eligibility import resident_summary
    for locale, words in (("zh", "穗民规字〔2025〕2号"), ("en", "穗民规字〔2025〕2号")):
        text = resident_summary(result, [], locale)
        assert text.count(words) == 1, text
        assert "待核实" not in text and "to be verified" not in text
    assert "民政部门确认" in resident_summary(result, [], "zh")
    assert "civil affairs office confirms" in resident_summary(result, [], "en")
    # 临时救助's own figures are read from a text still in force (its caps are counted in months of the
    # 低保 standard, which is the 2025 notice's)
    temporary = [p for c in result.get("temporary").checks for p in c.parameters if "临时救助" in p.source]
    assert temporary and not [p.name for p in temporary if p.uncertain]


def test_before_the_notice_expired_there_is_no_line_about_it():
    result = prescreen(home(members=THREE, income=20000), P, on=DAY)
    assert result.standards_note("zh") == "" and result.standards_note("en") == ""


def test_a_resident_line_shows_the_figure_the_line_its_day_and_the_margin():
    result = prescreen(home(members=THREE, income=3 * DIBAO_YEAR - 1000), P, on=DAY)
    check = next(c for c in result.get("dibao").checks if c.key == "income_below_dibao")
    assert check.figures["margin"] == {"field": "income", "change": 1000}
    zh, en = check.line("zh"), check.line("en")
    assert zh.startswith("【符合】") and "1,309元" in zh and "2025年1月1日起" in zh and "再多1,000元" in zh
    assert en.startswith("[met]") and "1,309 yuan" in en and "from 1 January 2025" in en and "Another 1,000 yuan" in en


def test_the_80501_line_is_never_shown_as_certain():
    result = prescreen(home(members=THREE, income=20000, spending={"medical": 50000}), P, on=DAY)
    check = next(c for c in result.get("expense_hardship").checks if c.key == "income_below_disposable")
    assert "仅作估算" in check.line("zh") and "estimate" in check.line("en")
    assert Outcome(check.outcome) == Outcome.MET


def test_an_able_sibling_alone_does_not_rule_out_tekun():
    # 民法典 第一千零七十五条: a sibling's duty depends on the parents, which the answers do not say
    application = home(age=70, members=[rel("sibling", 50, lives_together=False)], income=40000)
    check = next(c for c in prescreen(application, P, on=DAY).get("tekun").checks if c.key == "no_supporter")
    assert check.outcome == Outcome.UNKNOWN
    with_son = home(age=70, members=[rel("child", 45, lives_together=False)], income=40000)
    check = next(c for c in prescreen(with_son, P, on=DAY).get("tekun").checks if c.key == "no_supporter")
    assert check.outcome == Outcome.NOT_MET
