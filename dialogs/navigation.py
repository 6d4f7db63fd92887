"""Where a conversation goes after an answer: the next question, through groups, back from an edit.

Functions of the conversation state: they return a position (step id, group item) and change the
state only where moving adds or empties a household group.
"""
from __future__ import annotations

from typing import Any

from dialogs import follow_up
from dialogs.flows import hardship as flow
from dialogs.members import full, more_step
from dialogs.steps import Step, get_answer


def finishes_edit(state: dict[str, Any], nxt: tuple[str, int | None]) -> bool:
    """An edit from the summary returns there, unless a follow-up question now applies."""
    answers, edit, (step_id, item) = state["answers"], state["edit"], nxt
    target = flow.BY_ID.get(step_id)
    if edit.get("whole_item") is not None:
        # adding a whole item: go through its questions, stop at the group's "add another?"
        return target is None or target.control or target.group is None or item != edit["whole_item"]
    return target is None or target.control or target.when is None or \
        get_answer(answers, target, item) is not None


def following(state: dict[str, Any], step: Step, item: int | None, value: Any) -> tuple[str, int | None]:
    """The position after answering `step`."""
    answers = state["answers"]
    if step.id == "members.any":
        if value:
            members = answers.setdefault("members", [])
            if not members:
                members.append({})
                return "members.relationship", 0
            return first_unanswered(answers, "members", len(members) - 1)
        answers["members"] = []
        return after_group("members")
    if step.id in flow.GROUP_STEPS.get(step.group or "", ())[1:]:
        if value and not full(answers):
            count = len(answers.get(step.group) or [])
            answers.setdefault(step.group, []).append({})
            return flow.FIRST_OF_GROUP[step.group], count
        return after_group(step.group)
    index = flow.ORDER[step.id] + 1
    while index < len(flow.STEPS):
        candidate = flow.STEPS[index]
        if candidate.group != step.group and step.group is not None:
            break
        group_item = answers[candidate.group][item] if candidate.group and item is not None else None
        if candidate.control and more_step(candidate.id) and full(answers):
            return after_group(step.group)  # a full household is not asked for "anyone else?"
        if candidate.applies(answers, group_item):
            if state["edit"] and candidate.when is not None \
                    and get_answer(answers, candidate, item if candidate.group else None) is not None:
                # editing: a follow-up answered before stays; one that now applies and is new is asked
                index += 1
                continue
            return candidate.id, item if candidate.group else None
        index += 1
    return "summary", None


def first_unanswered(answers: dict[str, Any], group: str, item: int) -> tuple[str, int]:
    """Where an item was left: its first question without an answer, else "add another?"."""
    values = answers[group][item]
    for step in flow.STEPS:
        if step.group == group and not step.control and step.applies(answers, values) \
                and values.get(step.field) is None and not step.optional \
                and not follow_up.is_left(answers, step, item):
            return step.id, item
    return flow.GROUP_STEPS[group][1], item


def after_group(group: str) -> tuple[str, int | None]:
    last = [s for s in flow.STEPS if s.group == group][-1]
    return flow.STEPS[flow.ORDER[last.id] + 1].id, None
