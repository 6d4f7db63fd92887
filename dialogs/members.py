"""Checks that keep the household as entered plausible: each person once, one spouse, names that are names,
at most HOUSEHOLD_MAX people. Each raises `Invalid` (the same question is asked again) or answers a question."""
from __future__ import annotations

from typing import Any

from dialogs.flows import hardship as flow
from dialogs.steps import Step
from dialogs.validators import Invalid, normalise

# the applicant and 14 others: far above any household the rules count, low enough that a loop ends
HOUSEHOLD_MAX = 15
# what people type when asked a member's name and give the relationship instead
_KINSHIP = {"我", "本人", "自己", "爸爸", "妈妈", "爸", "妈", "父亲", "母亲", "老爸", "老妈", "老婆", "老公", "妻子", "丈夫",
            "爱人", "太太", "先生", "儿子", "女儿", "孩子", "小孩", "仔", "女", "爷爷", "奶奶", "外公", "外婆", "婆婆",
            "公公", "哥哥", "姐姐", "弟弟", "妹妹", "哥", "姐", "弟", "妹", "孙子", "孙女", "外孙", "外孙女", "阿爸", "阿妈",
            "老豆", "老母", "仔女", "me", "myself", "mum", "mom", "dad", "father", "mother", "wife", "husband",
            "son", "daughter", "child", "grandma", "grandpa", "brother", "sister"}


def people(answers: dict[str, Any]) -> list[tuple[int | None, dict[str, Any]]]:
    """(member index or None for the applicant, the person's answers) for everyone entered so far."""
    applicant = answers.get("applicant")
    found = [(None, applicant)] if isinstance(applicant, dict) else []
    return found + [(index, m) for index, m in enumerate(answers.get("members") or []) if isinstance(m, dict)]


def check_id(answers: dict[str, Any], step: Step, item: int | None, number: str, who: Any) -> None:
    """Refuse an ID number already given for another person; `who(index)` names that person in the message."""
    this = item if step.group else None
    for index, person in people(answers):
        if index != this and person.get("id_number") == number:
            raise Invalid("invalid.id_repeated", who=who(index))


# relationships whose holder is born after the applicant, and those born before
_YOUNGER = ("child", "grandchild")
_OLDER = ("parent", "grandparent")


def check_generation(answers: dict[str, Any], item: int | None, number: str) -> None:
    """A child or grandchild born before the applicant, or a parent or grandparent born after: the number or
    the relationship is a slip (birth dates compare as the digits YYYYMMDD of the two numbers)."""
    applicant = answers.get("applicant") or {}
    members = answers.get("members") or []
    mine = applicant.get("id_number") if isinstance(applicant, dict) else None
    if item is None or item >= len(members) or not isinstance(mine, str):
        return
    relationship, born, applicant_born = members[item].get("relationship"), number[6:14], mine[6:14]
    if relationship in _YOUNGER and born <= applicant_born or relationship in _OLDER and born >= applicant_born:
        raise Invalid(f"invalid.id_generation.{'younger' if relationship in _YOUNGER else 'older'}")


def check_relationship(answers: dict[str, Any], item: int | None, relationship: str) -> None:
    """One spouse: a second one is a slip (or someone the caseworker must hear about, not a member)."""
    if relationship != "spouse":
        return
    members = answers.get("members") or []
    others = [m for index, m in enumerate(members) if index != item and isinstance(m, dict)]
    if any(m.get("relationship") == "spouse" for m in others):
        raise Invalid("invalid.second_spouse")


def check_name(name: str) -> None:
    """A relationship ("妈妈", "my wife") typed where the name on the ID card is asked."""
    word = normalise(name).lower().removeprefix("my ").removeprefix("我").removeprefix("的") or name
    if normalise(name).lower() in _KINSHIP or word in _KINSHIP:
        raise Invalid("invalid.name_relation")


def full(answers: dict[str, Any]) -> bool:
    """Whether the household holds as many people as an application takes."""
    return 1 + len(answers.get("members") or []) >= HOUSEHOLD_MAX


def more_step(step_id: str) -> bool:
    """Whether the step asks "anyone else?" (the members group's "add another" question)."""
    return step_id == flow.GROUP_STEPS["members"][1]


def filled_up(answers: dict[str, Any], step: Step, next_step: str) -> bool:
    """Whether answering `step` just left a full household's questions (so the resident is told why)."""
    following = flow.BY_ID.get(next_step)
    return step.group == "members" and following is not None and following.group != "members" and full(answers)
