"""特困 (extreme poverty support) rules for the applicant: unable to work, and nobody able to support them.

The third condition, no means of living (income below the 低保 standard), is the 低保 income rule.
"""
from __future__ import annotations

from typing import Any

from intake import household as app_figures
from knowledge.params import PolicyParams

from intake.eligibility.checks import MET, NOT_MET, UNKNOWN, check, exact, shown
from intake.eligibility.results import Check

# the grades, by kind, at which a disability means "unable to work" (特困人员认定办法 第五条（三）);
# hearing and speech disabilities are not listed; a multiple disability depends on its parts
UNABLE_GRADES = {"intellectual": ("1", "2", "3"), "mental": ("1", "2", "3"), "physical": ("1", "2"), "visual": ("1",),
                 "hearing": (), "speech": ()}
# relationships with a legal duty to support the applicant
SUPPORTERS = ("spouse", "child", "parent", "grandparent", "grandchild", "sibling")


def _disability(applicant: dict) -> tuple[str, dict[str, Any]] | None:
    """How the applicant's disability grade and kind decide (outcome code, figures), or None when
    no grade was given."""
    grade = str(applicant.get("disability_grade"))
    if grade not in app_figures.DISABILITY_GRADES:
        return None
    kind = applicant.get("disability_kind")
    kind = kind if isinstance(kind, str) else None
    figures: dict[str, Any] = {"grade": grade}
    if kind not in UNABLE_GRADES:
        # without the kind (or for a multiple disability) the grade cannot decide
        return ("unknown", figures | ({"kind": kind} if kind else {"missing": ["applicant.disability_kind"]}))
    return ("met" if grade in UNABLE_GRADES[kind] else "not_met", figures | {"kind": kind})


def unable_to_work(application: dict, params: PolicyParams) -> Check:
    """The applicant is 60 or older, under 16, or has a disability of a listed kind and grade."""
    applicant = app_figures.applicant(application)
    older, younger = params["tekun_adult_age"], params["tekun_minor_age"]
    age = applicant.get("age")
    figures: dict[str, Any] = {"adult_age": shown(exact(older.value)), "minor_age": shown(exact(younger.value))}
    parameters = (older, younger)
    known_age = isinstance(age, int) and not isinstance(age, bool)
    if known_age:
        figures["age"] = age
        if age >= older.value or age < younger.value:
            return check("unable_to_work", MET, params, figures, parameters, "age")
    disability = _disability(applicant)
    if disability is not None:
        decided, more = disability
        if decided == "met":
            return check("unable_to_work", MET, params, figures | more, parameters, "disability")
        if decided == "unknown":
            variant = "multiple" if more.get("kind") == "multiple" else ""
            if not known_age:
                more = more | {"missing": [*more.get("missing", []), "applicant.age"]}
            return check("unable_to_work", UNKNOWN, params, figures | more, parameters, variant)
        figures |= more
    if not known_age:
        return check("unable_to_work", UNKNOWN, params, figures | {"missing": ["applicant.age"]}, parameters)
    return check("unable_to_work", NOT_MET, params, figures, parameters, "kind" if disability else "")


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
    # a grandparent's, grandchild's or sibling's duty depends on what the answers do not say
    # (民法典 第一千零七十四、一千零七十五条): such a relative alone never rules the applicant out
    certain = [m for m in able if m.get("relationship") not in app_figures.CONDITIONAL_DUTY]
    if able:
        income = app_figures.per_capita_monthly_income(application)
        standard = exact(params["dibao_standard"].value)
        if certain and income is not None and exact(income) >= standard:
            return check("no_supporter", NOT_MET, params, figures, (params["dibao_standard"],))
        # a supporter on a low income may be unable to fulfil the duty: the 镇街 assesses it
        return check("no_supporter", UNKNOWN, params, figures, variant="capacity")
    if unclear:
        return check("no_supporter", UNKNOWN, params, figures | {"missing": ["members.age"]})
    return check("no_supporter", MET, params, figures)
