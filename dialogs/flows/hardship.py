"""The expense-type hardship household (支出型困难家庭) application, as data.

It asks what the pre-screen's rules (intake/eligibility) and the caseworker need, and nothing more:
sources of income are ticked first and amounts asked only for those; spending is asked by national
rigid-spending category; questions that matter only in some households (whether a relative lives
with the applicant, a member's hukou, a student's level, a car used to earn a living) have a `when`.
"""
from __future__ import annotations

from dialogs.steps import Step

FLOW = "hardship"
SECTIONS = 8  # 1 applicant … 7 situation, 8 summary and confirmation
MEMBER_FLAGS = ("serious_illness", "disability", "student", "unemployed", "elderly_alone")
RELATIONSHIPS = ("spouse", "child", "parent", "sibling", "grandparent", "grandchild", "other")
DISABILITY_GRADES = ("1", "2", "3", "4")
# the kind read with the grade (特困人员认定办法 第五条（三）): a grade alone cannot say who is unable to work
DISABILITY_KINDS = ("intellectual", "mental", "physical", "visual", "hearing", "speech", "multiple")
ASSISTANCE = ("none", "dibao", "tekun", "dibao_edge", "temporary")
# net income counted over the look-back (最低生活保障审核确认办法 第十三条)
INCOME_SOURCES = ("wages", "business", "pension", "transfers", "other")
# not income: assistance payments, family-planning grants, scholarships, the basic resident pension,
# special-care pensions, awards for bravery (same article); a record may name them, they never count
EXCLUDED_INCOME = ("assistance_payments", "family_planning", "scholarship", "basic_pension", "special_care",
                   "bravery_award")
# national rigid-spending categories (刚性支出困难家庭认定办法 第五条)
RIGID_KINDS = ("basic_living", "medical", "education", "rehabilitation", "other")
SPENDING_KINDS = (*RIGID_KINDS, "sudden")
# the categories an older record (a list of expenses) used; charity needs still speak of them
EXPENSE_CATEGORIES = ("medical", "education", "rehabilitation", "disaster", "other")
ASSETS_OWNED = ("second_home", "non_residential", "car", "motorcycle", "disability_vehicle", "business", "small_shop")
STUDY_LEVELS = ("undergraduate_or_below", "postgraduate")
RESIDENCE = ("permit", "one_year", "neither")
HUKOU = ("guangzhou", "outside")
GROUP_STEPS = {"members": ("members.any", "members.more")}
GROUP_OF_SECTION = {2: "members"}  # sections whose answers are numbered items
ADULT_AGE = 18
GUARDIAN_AGE = 14  # a child's data needs a parent's or guardian's consent below this age (个人信息保护法 第三十一条)


def _disabled(answers, item) -> bool:
    flags = (item if item is not None else answers.get("applicant", {})).get("flags") or []
    return "disability" in flags


def _graded(answers, item) -> bool:
    person = item if item is not None else answers.get("applicant", {})
    return _disabled(answers, item) and person.get("disability_grade") in DISABILITY_GRADES


def _outside(answers) -> bool:
    return (answers.get("applicant") or {}).get("district") == "outside"


def _adult(item) -> bool:
    age = item.get("age")
    return not (isinstance(age, int) and age < ADULT_AGE)


def _adult_student(answers, item) -> bool:
    return "student" in (item.get("flags") or []) and _adult(item)


def _consented(purpose: str):
    """Questions asked only when the resident did not say no to that consent (dialogs.consents)."""
    def condition(answers, item) -> bool:
        return (answers.get("consents") or {}).get(purpose) is not False
    return condition


def _child(answers, item) -> bool:
    age = item.get("age")
    return isinstance(age, int) and age < GUARDIAN_AGE


def _guarded(answers, item) -> bool:
    """A child's details are asked only after the applicant confirms being the guardian."""
    return not (_child(answers, item) and item.get("guardian") is False)


def health_asked(answers, item) -> bool:
    """Whether health questions are asked (of the applicant, item None, or of a member): not after a no."""
    return _consented("health")(answers, item) and (item is None or _guarded(answers, item))


def _ask_together(answers, item) -> bool:
    """Spouses and minor children count wherever they live, and so do dependent adult children;
    other relatives count when they live with the applicant; "other" never does."""
    relationship = item.get("relationship")
    if relationship in ("spouse", "other", None):
        return False
    if relationship == "child":
        flags = item.get("flags") or []
        dependent = (not _adult(item) or "serious_illness" in flags or "disability" in flags
                     or ("student" in flags and item.get("study_level") == "undergraduate_or_below"))
        return not dependent
    return True


_LISTS = {"income": "sources", "spending": "kinds", "assets": "owned"}  # where each section keeps its ticks


def _ticked(key: str, value: str):
    def condition(answers, item) -> bool:
        return value in ((answers.get(key) or {}).get(_LISTS[key]) or [])
    return condition


def _any_rigid(answers, item) -> bool:
    return any(kind in RIGID_KINDS for kind in (answers.get("spending") or {}).get("kinds") or [])


STEPS: tuple[Step, ...] = (
    Step("consent", 0, "choice", options=("agree", "disagree")),
    Step("applicant.name", 1, "name"),
    Step("applicant.id_number", 1, "id_number"),
    Step("applicant.phone", 1, "phone"),
    Step("applicant.district", 1, "choice"),  # options: the city's districts, from the context
    Step("applicant.residence", 1, "choice", options=RESIDENCE, when=lambda a, i: _outside(a)),
    Step("applicant.address", 1, "text", max_len=200),
    Step("consents.health", 1, "yesno"),
    Step("applicant.flags", 1, "multi", options=MEMBER_FLAGS, when=health_asked),
    # "none" when disability is not ticked; nothing at all when health questions were not asked (summary.prune)
    Step("applicant.disability_grade", 1, "choice", options=DISABILITY_GRADES, absent="none",
         when=lambda a, i: _disabled(a, None)),
    Step("applicant.disability_kind", 1, "choice", options=DISABILITY_KINDS, when=lambda a, i: _graded(a, None)),
    Step("members.any", 2, "yesno", control=True),
    Step("members.relationship", 2, "choice", options=RELATIONSHIPS, group="members"),
    Step("members.name", 2, "name", group="members"),
    Step("members.id_number", 2, "id_number", group="members"),
    Step("members.guardian", 2, "yesno", group="members", when=_child),
    Step("members.flags", 2, "multi", options=MEMBER_FLAGS, group="members", when=health_asked),
    Step("members.disability_grade", 2, "choice", options=DISABILITY_GRADES, group="members", absent="none",
         when=lambda a, i: _disabled(a, i)),
    Step("members.disability_kind", 2, "choice", options=DISABILITY_KINDS, group="members",
         when=lambda a, i: _graded(a, i)),
    Step("members.study_level", 2, "choice", options=STUDY_LEVELS, group="members", when=_adult_student),
    Step("members.lives_together", 2, "yesno", group="members",
         when=lambda a, i: _ask_together(a, i) and _guarded(a, i)),
    Step("members.hukou", 2, "choice", options=HUKOU, group="members",
         when=lambda a, i: _outside(a) and _guarded(a, i)),
    Step("members.more", 2, "yesno", group="members", control=True),
    Step("assistance", 3, "choice", options=ASSISTANCE),
    Step("consents.financial", 4, "yesno"),
    Step("income.sources", 4, "multi", options=INCOME_SOURCES, when=_consented("financial")),
    *(Step(f"income.{source}", 4, "money", when=_ticked("income", source), period="year") for source in INCOME_SOURCES),
    Step("assets.financial", 5, "money", when=_consented("financial")),
    Step("assets.owned", 5, "multi", options=ASSETS_OWNED, when=_consented("financial")),
    Step("assets.livelihood_vehicle", 5, "yesno", when=_ticked("assets", "car")),
    Step("spending.kinds", 6, "multi", options=SPENDING_KINDS),
    *(Step(f"spending.{kind}", 6, "money", when=_ticked("spending", kind), period="year") for kind in RIGID_KINDS),
    Step("spending.receipts", 6, "files", optional=True, when=_any_rigid),
    Step("spending.sudden_date", 6, "date", when=_ticked("spending", "sudden")),
    Step("situation", 7, "text", optional=True, max_len=2000),
    Step("summary", 8, "summary", control=True),
)

BY_ID = {step.id: step for step in STEPS}
ORDER = {step.id: index for index, step in enumerate(STEPS)}
FIRST_OF_GROUP = {"members": "members.relationship"}

# what a caseworker may ask a resident to provide again ("documents" = more files)
REOPENABLE = tuple(s.id for s in STEPS if s.group is None and not s.control and s.id != "consent"
                   and not s.id.startswith("consents.")) + ("documents",)

# asked only when a caseworker requests more documents
DOCUMENTS = Step("more_info.documents", 0, "files")
BY_ID[DOCUMENTS.id] = DOCUMENTS
