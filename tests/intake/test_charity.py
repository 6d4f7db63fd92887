"""Charity referral: the catalogue, matching and ranking, and the summary a resident reads."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from intake.charity import CatalogueError, household_traits, load_catalogue, match_programmes
from intake.charity.catalogue import DEFAULT_PATH
from intake.eligibility import Outcome, prescreen, resident_summary
from intake.eligibility.checks import exact
from knowledge.params import load_params

P = load_params()
# comfortably above every government income line, so no government programme applies
WELL_OFF = int(exact(P.value("resident_disposable_income_last_year")) * 4)
POOR = int(exact(P.value("dibao_standard")) * 12)


def person(relationship="spouse", age=40, flags=(), grade="none"):
    return {"relationship": relationship, "name": "成员", "age": age, "disability_grade": grade, "flags": list(flags)}


def household(members=(), income=WELL_OFF, expenses=(), district="tianhe", sudden=False, flags=(), assistance="none"):
    return {
        "consent": True,
        "applicant": {"name": "申请人", "district": district, "flags": list(flags)},
        "members": list(members),
        "assistance": assistance,
        "income": {"wages": {"amount": income, "estimated": False},
                   **{s: {"amount": 0, "estimated": False} for s in ("business", "pension", "transfers", "other")}},
        "assets": {"financial": {"amount": 0, "estimated": False}, "homes": 1, "vehicles": 0,
                   "business_registered": False},
        "expenses": [{"category": c, "amount": {"amount": a, "estimated": False} if a is not None else None,
                      "note": "", "receipts": []} for c, a in expenses],
        "sudden_event": sudden,
        "situation": "",
    }


def matched(application, catalogue=None):
    return match_programmes(application, prescreen(application, P), catalogue)


# (name, household, the best match, programmes that must be among the matches, programmes that must not)
CASES = [
    ("well-off household with a serious illness", household(flags=["serious_illness"], expenses=[("medical", 200000)]),
     "medical_relief", {"small_wishes"}, {"child_illness", "education_aid"}),
    ("student with school fees, income above every line",
     household(members=[person("child", 16, ["student"])], expenses=[("education", 9000)]),
     "education_aid", {"small_wishes"}, {"medical_relief"}),
    ("disabled member in rehabilitation", household(members=[person("child", 20, grade="2")],
                                                    expenses=[("rehabilitation", 15000)]),
     "rehabilitation_aid", {"small_wishes"}, {"elderly_care"}),
    ("elderly parent living alone", household(members=[person("parent", 82, ["elderly_alone"])]),
     "elderly_care", {"small_wishes"}, {"medical_relief"}),
    ("registered elsewhere, hit by a sudden accident", household(district="outside", sudden=True,
                                                                 expenses=[("disaster", 20000)]),
     "sudden_hardship", {"new_citizen_care"}, {"neighbourhood_fund"}),
    ("sick child", household(members=[person("child", 6, ["serious_illness"])], expenses=[("medical", 60000)]),
     "child_illness", {"medical_relief"}, set()),
    # the district's own fund ranks above the city-wide one for the same need
    ("Yuexiu household with medical costs", household(district="yuexiu", expenses=[("medical", 3000)]),
     "neighbourhood_fund", {"medical_relief"}, {"new_citizen_care"}),
    ("Tianhe household with medical costs", household(district="tianhe", expenses=[("medical", 3000)]),
     "medical_relief", set(), {"neighbourhood_fund"}),
    ("unemployed spouse, low income", household(members=[person(flags=["unemployed"])], income=POOR // 2),
     "employment_support", {"small_wishes"}, set()),
    ("grandparents raising a grandchild", household(members=[person("grandchild", 8, ["student"])]),
     "education_aid", {"small_wishes"}, set()),
    ("medical costs of unknown amount", household(expenses=[("medical", None)]), "medical_relief", set(), set()),
]


@pytest.mark.parametrize("application, best, present, absent", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_matching(application, best, present, absent):
    matches = matched(application)
    keys = [m.programme.key for m in matches]
    assert keys[0] == best, [(m.programme.key, m.score) for m in matches]
    assert present <= set(keys)
    assert not absent & set(keys)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    for match in matches:
        assert match.needs, "every match names the need it answers"
        zh, en = match.reason("zh"), match.reason("en")
        assert zh.endswith("。") and en.endswith(".")
        assert not re.search(r"[A-Za-z]{3,}", zh)
        assert not re.search(r"[\u4e00-\u9fff]", en)
    assert json.loads(json.dumps([m.to_dict() for m in matches])) == [m.to_dict() for m in matches]


def test_households_that_qualify_for_nothing_still_get_help_for_their_needs():
    application = household(flags=["serious_illness"], expenses=[("medical", 200000)])
    screened = prescreen(application, P)
    assert not screened.covered
    assert all(p.outcome == Outcome.NOT_MET for p in screened.programmes)
    matches = match_programmes(application, screened)
    assert matches and "uncovered" in matches[0].traits
    assert "暂不在政府救助范围内" in matches[0].reason("zh")
    assert "200,000" in matches[0].reason("zh")


def test_a_household_with_no_stated_need_gets_no_match():
    assert matched(household()) == []


def test_registration_trait_follows_the_prescreen():
    outside = household(district="outside")
    assert "not_registered" in household_traits(outside, prescreen(outside, P))
    inside = household(district="haizhu")
    assert "registered" in household_traits(inside, prescreen(inside, P))


def test_the_catalogue_covers_every_kind_of_need_and_is_marked_as_examples():
    catalogue = load_catalogue()
    needs = set().union(*(p.needs for p in catalogue.programmes))
    assert {"medical", "education", "disability", "elderly_alone", "sudden_event", "disaster"} <= needs
    assert "small_wishes" in {p.key for p in catalogue.programmes}
    assert all(p.example for p in catalogue.programmes)
    for programme in catalogue.programmes:
        assert programme.districts is None or programme.districts <= set(P.city_districts)
        assert programme.name_in("zh") and programme.name_in("en") and programme.organisation_in("en")


def test_a_catalogue_file_of_ones_own(tmp_path: Path):
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["programmes"] = [p for p in raw["programmes"] if p["key"] in ("medical_relief", "small_wishes")]
    wishes = next(p for p in raw["programmes"] if p["key"] == "small_wishes")
    wishes["prefers"] = ["children_without_parents", "urgent", "uncovered"]
    raw["ranking"]["need"] = 1
    raw["ranking"]["preferred_trait"] = 10
    path = tmp_path / "programmes.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    catalogue = load_catalogue(path)
    application = household(flags=["serious_illness"], members=[person("grandchild", 8)], expenses=[("medical", 1000)])
    keys = [m.programme.key for m in matched(application, catalogue)]
    # preferred traits weigh more than needs here, and small wishes now prefers three traits the household has
    assert keys == ["small_wishes", "medical_relief"]
    assert [m.programme.key for m in matched(application)][0] != "small_wishes"


@pytest.mark.parametrize("change, problem", [
    (lambda raw: raw["programmes"][0].update(needs=["yachts"]), "unknown needs"),
    (lambda raw: raw["programmes"][0].update(amount={"min": 9, "max": 1}), "amount"),
    (lambda raw: raw["programmes"][0]["name"].pop("en"), "name needs zh and en"),
    (lambda raw: raw["programmes"][0].update(prefers=["rich"]), "unknown traits"),
    (lambda raw: raw["programmes"].append(dict(raw["programmes"][0])), "unique"),
    (lambda raw: raw.pop("ranking"), "ranking.need"),
])
def test_a_malformed_catalogue_is_refused_with_the_reason(tmp_path: Path, change, problem):
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "programmes.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert problem in caught.value.problem


def test_a_missing_catalogue_file_is_a_catalogue_error(tmp_path: Path):
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path / "absent.yaml")


# -- the resident's preliminary result --------------------------------------------------------

def summary(application, locale):
    screened = prescreen(application, P)
    return resident_summary(screened, match_programmes(application, screened), locale)


def test_summary_says_caseworkers_decide_and_names_programmes():
    application = household(income=POOR // 2, expenses=[("medical", 50000)], flags=["serious_illness"])
    zh, en = summary(application, "zh"), summary(application, "en")
    assert "由工作人员审核决定" in zh and "Caseworkers decide" in en
    assert "支出型困难家庭" in zh and "expense-type hardship household" in en
    assert "暖心医疗援助金" in zh and "Warm Heart medical aid" in en
    assert not re.search(r"[A-Za-z]{3,}", zh)


def test_summary_does_not_offer_the_tier_above_dibao_or_what_is_already_received():
    eligible_for_dibao = summary(household(income=POOR // 2, expenses=[("medical", 50000)]), "zh")
    assert "最低生活保障（低保）" in eligible_for_dibao and "低保边缘家庭" not in eligible_for_dibao
    already = summary(household(income=POOR // 2, assistance="dibao"), "zh")
    assert "最低生活保障（低保）" not in already


def test_summary_for_a_household_no_government_programme_covers():
    text = summary(household(flags=["serious_illness"], expenses=[("medical", 200000)]), "zh")
    assert "暂不符合我们初步筛查的政府救助项目" in text
    assert "暖心医疗援助金" in text
    nothing = summary(household(), "en")
    assert "do not seem to apply" in nothing and "not found a suitable charity programme" in nothing


def test_summary_asks_for_what_is_missing_and_shows_at_most_three_programmes():
    application = household(income=POOR // 2, flags=["serious_illness", "disability"],
                            members=[person("child", 15, ["student"]), person("parent", 80, ["elderly_alone"])],
                            expenses=[("medical", 10000), ("education", 2000)])
    application["income"]["pension"] = None
    text = summary(application, "zh")
    assert "还需要了解：养老金" in text
    assert text.count("（示例）") == 3
