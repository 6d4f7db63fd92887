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


def person(relationship="spouse", age=40, flags=(), grade="none", **more):
    return {"relationship": relationship, "name": "成员", "age": age, "disability_grade": grade, "flags": list(flags),
            **more}


def money(value):
    return None if value is None else {"amount": value, "estimated": False}


def household(members=(), income=WELL_OFF, spending=(), district="tianhe", sudden=False, flags=(), assistance="none"):
    kinds = [kind for kind, _ in spending] + (["sudden"] if sudden else [])
    return {
        "consent": True,
        "applicant": {"name": "申请人", "district": district, "flags": list(flags), "age": 45},
        "members": list(members),
        "assistance": assistance,
        "income": {"sources": ["wages"], "wages": money(income)},
        "assets": {"financial": money(0), "owned": []},
        "spending": {"kinds": kinds, **{kind: money(amount) for kind, amount in spending}, "receipts": []},
        "situation": "",
    }


def matched(application, catalogue=None):
    return match_programmes(application, prescreen(application, P), catalogue)


# (name, household, the best match, entries that must be among the matches, entries that must not).
# Ranking: 3 per need covered, 1 per preferred trait, 1 for a district's own entry; on a tie a
# programme before a referral route, then the larger amount, then the key.
CASES = [
    ("well-off household with a serious illness", household(flags=["serious_illness"], spending=[("medical", 200000)]),
     "guangyi_lianmu", {"small_wishes", "suijiuyi_referral"}, {"nanyue_huiqin", "children_new_year_care"}),
    ("student with school fees", household(members=[person("child", 16, ["student"])], spending=[("education", 9000)]),
     # its income is above the 临时救助 line, so no government programme covers it: the fundraising platform leads
     "guangyi_lianmu", {"nanyue_huiqin", "small_wishes", "children_new_year_care"}, set()),
    ("elderly parent living alone", household(members=[person("parent", 82, ["elderly_alone"], lives_together=True)]),
     "elderly_meals", {"small_wishes", "suijiuyi_referral"}, {"nanyue_huiqin"}),
    ("sick child", household(members=[person("child", 6, ["serious_illness"])], spending=[("medical", 60000)]),
     "scf_child_medical", {"small_wishes", "children_new_year_care"}, set()),
    ("registered elsewhere, hit by a sudden accident", household(district="outside", sudden=True),
     "guangyi_lianmu", {"suijiuyi_referral", "community_charity_fund"}, {"small_wishes"}),
    ("grandparents raising a grandchild", household(members=[person("grandchild", 8, ["student"])]),
     "nanyue_huiqin", {"small_wishes", "children_new_year_care"}, set()),
    ("medical costs of unknown amount", household(spending=[("medical", None)]), "guangyi_lianmu", set(),
     {"small_wishes"}),
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
        zh, en = match.reason("zh"), match.reason("en")
        assert zh.startswith("推荐原因：") and en.startswith("Suggested because")
        assert zh.endswith("。") and en.endswith(".")
        assert not re.search(r"[A-Za-z]{3,}", zh)
        names = [p["name"] for p in (application["applicant"], *application["members"])]
        assert not re.search(r"[\u4e00-\u9fff]", re.sub("|".join(names), "", en))  # people keep their own names
    assert json.loads(json.dumps([m.to_dict() for m in matches])) == [m.to_dict() for m in matches]


def test_matching_explains_itself_with_the_household_facts_it_used():
    application = household(members=[person("child", 6, ["student"])], income=POOR // 2,
                            spending=[("education", 3000)])
    match = next(m for m in matched(application) if m.programme.key == "children_new_year_care")
    assert match.required == ("has_minor",) and "low_income" in match.traits
    assert "家中有未成年人" in match.reason("zh") and "家庭收入较低" in match.reason("zh")
    wishes = next(m for m in matched(application) if m.programme.key == "small_wishes")
    assert wishes.needs == ("student",)
    assert "家中有学生" in wishes.reason("zh") and "300至500元" in wishes.reason("zh")
    assert "a student in the family" in wishes.reason("en")


def test_a_programme_for_ill_children_matches_only_an_ill_child_and_every_match_names_its_people():
    ill_child = household(members=[person("grandchild", 9, ["serious_illness"], name="王小明")],
                          spending=[("medical", 60000)])
    ill_adult = household(flags=["serious_illness"], members=[person("child", 8, name="李乐")],
                          spending=[("medical", 200000)])
    ill_parent_and_child = household(members=[person("spouse", 40, ["serious_illness"], name="陈芳"),
                                              person("child", 8, name="李乐")], spending=[("medical", 80000)])
    first = matched(ill_child)[0]
    assert first.programme.key == "scf_child_medical"
    assert "家人患重病（孙子女/外孙子女王小明，9岁）" in first.reason("zh")
    assert "serious illness in the family (王小明, grandchild, aged 9)" in first.reason("en")
    assert {(f.code, f.name) for f in first.facts} >= {("serious_illness", "王小明"), ("has_minor", "王小明")}
    for application in (ill_adult, ill_parent_and_child):
        keys = [m.programme.key for m in matched(application)]
        assert "scf_child_medical" not in keys and "guangyi_lianmu" in keys  # the ill adult is still helped
    platform = next(m for m in matched(ill_parent_and_child) if m.programme.key == "guangyi_lianmu")
    # whether government rules cover the household ("uncovered") depends on the pre-screen, not on the people
    assert [(f.code, f.to_dict()["role"], f.name) for f in platform.facts if f.code != "uncovered"] == [
        ("medical", "applicant", "申请人"), ("serious_illness", "member", "陈芳")]
    assert "家人患重病（配偶陈芳，40岁）" in platform.reason("zh")
    # every match of every household names the person and the fact it used
    for application in (ill_child, ill_adult, ill_parent_and_child, *(c[1] for c in CASES)):
        for match in matched(application):
            stored = match.to_dict()["facts"]
            assert stored and all(f["code"] and f["name"] and f["role"] in ("applicant", "member") for f in stored)


def test_households_that_qualify_for_nothing_still_get_help_for_their_needs():
    application = household(flags=["serious_illness"])
    screened = prescreen(application, P)
    assert not screened.covered
    assert all(p.outcome == Outcome.NOT_MET for p in screened.programmes)
    matches = match_programmes(application, screened)
    platform = next(m for m in matches if m.programme.key == "guangyi_lianmu")
    assert "uncovered" in platform.traits
    assert "暂不在政府救助范围内" in platform.reason("zh") and "家人患重病" in platform.reason("zh")


def test_the_spending_a_programme_covers_is_named():
    application = household(flags=["serious_illness"], spending=[("medical", 200000)])
    platform = next(m for m in matched(application) if m.programme.key == "guangyi_lianmu")
    assert platform.need_amount == 200000 and "200,000" in platform.reason("zh")


def test_a_household_with_no_stated_need_is_offered_only_referral_routes():
    matches = matched(household())
    assert {m.programme.kind for m in matches} == {"route"}
    assert {m.programme.key for m in matches} == {"suijiuyi_referral", "community_charity_fund"}


def test_registration_trait_follows_the_prescreen():
    outside = household(district="outside")
    outside["applicant"]["residence"] = "neither"
    assert "not_registered" in household_traits(outside, prescreen(outside, P))
    inside = household(district="haizhu")
    assert "registered" in household_traits(inside, prescreen(inside, P))


def test_every_entry_is_a_real_programme_or_route_with_its_sources():
    catalogue = load_catalogue()
    keys = {p.key for p in catalogue.programmes}
    assert {"small_wishes", "suijiuyi_referral", "guangyi_lianmu", "community_charity_fund", "nanyue_huiqin"} <= keys
    for programme in catalogue.programmes:
        assert programme.sources, programme.key
        assert all(s.title for s in programme.sources)
        assert "示例" not in programme.name_in("zh") + programme.organisation_in("zh")
        assert "example" not in programme.name_in("en").lower() + programme.organisation_in("en").lower()
        assert programme.districts is None or programme.districts <= set(P.city_districts)
        assert programme.name_in("zh") and programme.name_in("en") and programme.organisation_in("en")
    wishes = catalogue.get("small_wishes")
    assert (wishes.amount_min, wishes.amount_max) == (300, 500)
    # third-party overviews only: staff confirm before anyone is told of it
    assert not catalogue.get("scf_child_medical").public


def _catalogue_with(tmp_path: Path, **entries) -> Path:
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    for key, change in entries.items():
        entry = next(p for p in raw["programmes"] if p["key"] == key)
        change(entry)
    path = tmp_path / "programmes.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_an_entry_without_a_source_never_reaches_a_resident(tmp_path: Path):
    path = _catalogue_with(tmp_path, small_wishes=lambda entry: entry.pop("sources"))
    catalogue = load_catalogue(path)
    assert not catalogue.get("small_wishes").public
    assert "small_wishes" not in {p.key for p in catalogue.public}
    application = household(flags=["serious_illness"], income=POOR // 2)
    screened = prescreen(application, P)
    matches = match_programmes(application, screened, catalogue)
    assert "small_wishes" in {m.programme.key for m in matches}  # staff still see it, to confirm
    for locale in ("zh", "en"):
        text = resident_summary(screened, matches, locale)
        assert catalogue.get("small_wishes").name_in(locale) not in text
    assert "微心愿" in resident_summary(screened, match_programmes(application, screened), "zh")


def test_staff_only_entries_never_reach_a_resident():
    application = household(members=[person("child", 6, ["serious_illness"])], income=POOR // 2,
                            spending=[("medical", 60000)])
    screened = prescreen(application, P)
    matches = match_programmes(application, screened)
    assert "scf_child_medical" in {m.programme.key for m in matches}
    text = resident_summary(screened, matches, "zh")
    assert "儿童肿瘤" not in text


def test_a_catalogue_file_of_ones_own(tmp_path: Path):
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["programmes"] = [p for p in raw["programmes"] if p["key"] in ("guangyi_lianmu", "small_wishes")]
    wishes = next(p for p in raw["programmes"] if p["key"] == "small_wishes")
    wishes["needs"] = ["student"]
    raw["ranking"]["need"] = 1
    path = tmp_path / "programmes.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    catalogue = load_catalogue(path)
    application = household(flags=["serious_illness"], spending=[("medical", 1000)])
    keys = [m.programme.key for m in matched(application, catalogue)]
    assert keys == ["guangyi_lianmu"]


@pytest.mark.parametrize("change, problem", [
    (lambda raw: raw["programmes"][0].update(needs=["yachts"]), "unknown needs"),
    (lambda raw: raw["programmes"][0].update(amount={"min": 9, "max": 1}), "amount"),
    (lambda raw: raw["programmes"][0]["name"].pop("en"), "name needs zh and en"),
    (lambda raw: raw["programmes"][0].update(prefers=["rich"]), "unknown traits"),
    (lambda raw: raw["programmes"][0].update(kind="loan"), "kind"),
    (lambda raw: raw["programmes"][0].update(sources=[{"url": "http://x"}]), "source needs a title"),
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


def test_a_programme_for_a_person_must_say_which_need_is_theirs(tmp_path: Path):
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    entry = next(e for e in raw["programmes"] if e["key"] == "scf_child_medical")
    for person_of, needs, problem in (("baby", ["serious_illness"], "person must be one of minor, adult"),
                                      ("minor", ["medical"], "person needs a member need")):
        entry["person"], entry["needs"] = person_of, needs
        path = tmp_path / "catalogue.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        with pytest.raises(CatalogueError, match=problem):
            load_catalogue(path)


def test_a_missing_catalogue_file_is_a_catalogue_error(tmp_path: Path):
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path / "absent.yaml")


# -- the resident's preliminary result --------------------------------------------------------

def summary(application, locale):
    screened = prescreen(application, P)
    return resident_summary(screened, match_programmes(application, screened), locale)


def test_summary_says_the_office_decides_and_names_programmes():
    application = household(income=POOR // 2, spending=[("medical", 50000)], flags=["serious_illness"])
    zh, en = summary(application, "zh"), summary(application, "en")
    assert "由镇街审核决定" in zh and "sub-district office decides" in en
    assert "支出型困难家庭" in zh and "expense-type hardship household" in en
    assert "微心愿·善暖万家" in zh and "Small Wishes" in en
    assert not re.search(r"[A-Za-z]{3,}", zh)


def test_summary_does_not_offer_the_tier_above_dibao_or_what_is_already_received():
    eligible_for_dibao = summary(household(income=POOR // 2, spending=[("medical", 50000)]), "zh")
    assert "最低生活保障（低保）" in eligible_for_dibao and "低保边缘家庭" not in eligible_for_dibao
    already = summary(household(income=POOR // 2, assistance="dibao"), "zh")
    assert "最低生活保障（低保）" not in already


def test_summary_for_a_household_no_government_programme_covers():
    text = summary(household(flags=["serious_illness"], spending=[("medical", 200000)]), "zh")
    assert "临时救助" in text  # spending in the last 12 months: temporary assistance may apply
    assert "微心愿·善暖万家" in text
    nothing = household(district="outside")
    nothing["applicant"]["residence"] = "neither"
    text = summary(nothing, "en")
    assert "do not seem to apply" in text and "Suijiuyi" in text


def test_summary_asks_for_what_is_missing_and_shows_at_most_three_programmes():
    application = household(income=POOR // 2, flags=["serious_illness", "disability"],
                            members=[person("child", 15, ["student"]),
                                     person("parent", 80, ["elderly_alone"], lives_together=True)],
                            spending=[("medical", 10000), ("education", 2000)])
    application["income"]["sources"].append("pension")
    text = summary(application, "zh")
    assert "缺少：退休金" in text
    listed = [line for line in text.splitlines() if line.startswith("· ") and "·" in line[2:]]
    assert len(listed) == 3
