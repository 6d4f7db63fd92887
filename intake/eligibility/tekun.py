"""特困 (extreme poverty support) rules for the applicant: unable to work, and nobody able to support them.

The third condition, no means of living (income below the 低保 standard), is the 低保 income rule.
"""
from __future__ import annotations

from typing import Any

from intake import household as app_figures
from knowledge.params import PolicyParams

from intake.eligibility.checks import MET, NOT_MET, UNKNOWN, check, exact, shown
from intake.eligibility.results import Check

# disability grades taken as "unable to work" in place of the kinds and grades 特困人员认定办法 第五条 lists
SEVERE_GRADES = ("1", "2")
# relationships with a legal duty to support the applicant
SUPPORTERS = ("spouse", "child", "parent", "grandparent", "grandchild", "sibling")


def unable_to_work(application: dict, params: PolicyParams) -> Check:
    """The applicant is 60 or older, under 16, or severely disabled."""
    applicant = application.get("applicant") or {}
    older, younger = params["tekun_adult_age"], params["tekun_minor_age"]
    age = applicant.get("age")
    figures: dict[str, Any] = {"adult_age": shown(exact(older.value)), "minor_age": shown(exact(younger.value))}
    parameters = (older, younger)
    if str(applicant.get("disability_grade")) in SEVERE_GRADES:
        return check("unable_to_work", MET, params, figures | {"grade": applicant["disability_grade"]}, parameters,
                     "disability")
    if not isinstance(age, int) or isinstance(age, bool):
        return check("unable_to_work", UNKNOWN, params, figures | {"missing": ["applicant.age"]}, parameters)
    figures["age"] = age
    if age >= older.value or age < younger.value:
        return check("unable_to_work", MET, params, figures, parameters, "age")
    return check("unable_to_work", NOT_MET, params, figures, parameters)


def _able(person: dict, params: PolicyParams) -> bool | None:
    """Of working age and neither disabled nor seriously ill; None when the age is unknown."""
    age = person.get("age")
    if app_figures.has_disability(person) or "serious_illness" in (person.get("flags") or []):
        return False
    if not isinstance(age, int) or isinstance(age, bool):
        return None
    return params["tekun_minor_age"].value <= age < params["tekun_adult_age"].value and age >= app_figures.ADULT_AGE


def no_supporter(application: dict, params: PolicyParams) -> Check:
    """No relative with a legal duty of support who could fulfil it."""
    if not isinstance(application.get("members"), list):
        return check("no_supporter", UNKNOWN, params, {"missing": ["household_size"]})
    relatives = [m for m in application["members"] if isinstance(m, dict) and m.get("relationship") in SUPPORTERS]
    able = [m for m in relatives if _able(m, params)]
    unclear = [m for m in relatives if _able(m, params) is None]
    figures: dict[str, Any] = {"supporters": len(able)}
    if able:
        income = app_figures.per_capita_monthly_income(application)
        standard = exact(params["dibao_standard"].value)
        if income is not None and exact(income) >= standard:
            return check("no_supporter", NOT_MET, params, figures, (params["dibao_standard"],))
        # a supporter on a low income may be unable to fulfil the duty: the 镇街 assesses it
        return check("no_supporter", UNKNOWN, params, figures, variant="capacity")
    if unclear:
        return check("no_supporter", UNKNOWN, params, figures | {"missing": ["members.age"]})
    return check("no_supporter", MET, params, figures)
