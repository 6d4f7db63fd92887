"""The expense-type hardship household (支出型困难家庭) application, as data."""
from __future__ import annotations

from dialogs.steps import Step

FLOW = "hardship"
SECTIONS = 8  # 1 applicant … 7 situation, 8 summary and confirmation
MEMBER_FLAGS = ("serious_illness", "disability", "student", "unemployed", "elderly_alone")
RELATIONSHIPS = ("spouse", "child", "parent", "sibling", "grandparent", "grandchild", "other")
DISABILITY_GRADES = ("1", "2", "3", "4")
ASSISTANCE = ("none", "dibao", "tekun", "dibao_edge", "temporary")
EXPENSE_CATEGORIES = ("medical", "education", "rehabilitation", "disaster", "other")
INCOME_SOURCES = ("wages", "business", "pension", "transfers", "other")
GROUP_STEPS = {"members": ("members.any", "members.more"), "expenses": (None, "expenses.more")}


def _disabled(answers, item) -> bool:
    flags = (item if item is not None else answers.get("applicant", {})).get("flags") or []
    return "disability" in flags


STEPS: tuple[Step, ...] = (
    Step("consent", 0, "choice", options=("agree", "disagree")),
    Step("applicant.name", 1, "name"),
    Step("applicant.id_number", 1, "id_number"),
    Step("applicant.phone", 1, "phone"),
    Step("applicant.district", 1, "choice"),  # options: the city's districts, from the context
    Step("applicant.address", 1, "text", max_len=200),
    Step("applicant.flags", 1, "multi", options=MEMBER_FLAGS),
    Step("applicant.disability_grade", 1, "choice", options=DISABILITY_GRADES, absent="none",
         when=lambda a, i: _disabled(a, None)),
    Step("members.any", 2, "yesno", control=True),
    Step("members.relationship", 2, "choice", options=RELATIONSHIPS, group="members"),
    Step("members.name", 2, "name", group="members"),
    Step("members.id_number", 2, "id_number", group="members"),
    Step("members.flags", 2, "multi", options=MEMBER_FLAGS, group="members"),
    Step("members.disability_grade", 2, "choice", options=DISABILITY_GRADES, group="members", absent="none",
         when=lambda a, i: _disabled(a, i)),
    Step("members.more", 2, "yesno", group="members", control=True),
    Step("assistance", 3, "choice", options=ASSISTANCE),
    *(Step(f"income.{source}", 4, "money") for source in INCOME_SOURCES),
    Step("assets.financial", 5, "money"),
    Step("assets.homes", 5, "count"),
    Step("assets.vehicles", 5, "count"),
    Step("assets.business_registered", 5, "yesno"),
    Step("expenses.category", 6, "choice", options=EXPENSE_CATEGORIES, group="expenses"),
    Step("expenses.amount", 6, "money", group="expenses"),
    Step("expenses.note", 6, "text", optional=True, max_len=200, group="expenses"),
    Step("expenses.receipts", 6, "files", optional=True, group="expenses"),
    Step("expenses.more", 6, "yesno", group="expenses", control=True),
    Step("sudden_event", 7, "yesno"),
    Step("sudden_event_date", 7, "date", when=lambda a, i: a.get("sudden_event") is True),
    Step("situation", 7, "text", optional=True, max_len=2000),
    Step("summary", 8, "summary", control=True),
)

BY_ID = {step.id: step for step in STEPS}
ORDER = {step.id: index for index, step in enumerate(STEPS)}
FIRST_OF_GROUP = {"members": "members.relationship", "expenses": "expenses.category"}

# what a caseworker may ask a resident to provide again ("documents" = more files)
REOPENABLE = tuple(s.id for s in STEPS if s.group is None and not s.control and s.id != "consent") + ("documents",)

# asked only when a caseworker requests more documents
DOCUMENTS = Step("more_info.documents", 0, "files")
BY_ID[DOCUMENTS.id] = DOCUMENTS
