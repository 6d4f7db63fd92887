"""Where a conversation goes after an answer: the next question, through groups, back from an edit."""
from __future__ import annotations

from typing import Any

from dialogs import follow_up
from dialogs.flows import hardship as flow
from dialogs.steps import Step, get_answer


class Navigation:
    """Part of `Conversation`: moving through the flow."""

    state: dict[str, Any]
    answers: dict[str, Any]

    def finishes_edit(self, nxt: tuple[str, int | None]) -> bool:
        """An edit from the summary returns there, unless a follow-up question now applies."""
        edit, (step_id, item) = self.state["edit"], nxt
        target = flow.BY_ID.get(step_id)
        if edit.get("whole_item") is not None:
            # adding a whole item: go through its questions, stop at the group's "add another?"
            return target is None or target.control or target.group is None or item != edit["whole_item"]
        return target is None or target.control or target.when is None or \
            get_answer(self.answers, target, item) is not None

    def following(self, step: Step, item: int | None, value: Any) -> tuple[str, int | None]:
        """The position after answering `step`."""
        if step.id == "members.any":
            if value:
                members = self.answers.setdefault("members", [])
                if not members:
                    members.append({})
                    return "members.relationship", 0
                return self.first_unanswered("members", len(members) - 1)
            self.answers["members"] = []
            return self.after_group("members")
        if step.id in flow.GROUP_STEPS.get(step.group or "", ())[1:]:
            if value:
                count = len(self.answers.get(step.group) or [])
                self.answers.setdefault(step.group, []).append({})
                return flow.FIRST_OF_GROUP[step.group], count
            return self.after_group(step.group)
        index = flow.ORDER[step.id] + 1
        while index < len(flow.STEPS):
            candidate = flow.STEPS[index]
            if candidate.group != step.group and step.group is not None:
                break
            group_item = self.answers[candidate.group][item] if candidate.group and item is not None else None
            if candidate.applies(self.answers, group_item):
                if self.state["edit"] and candidate.when is not None \
                        and get_answer(self.answers, candidate, item if candidate.group else None) is not None:
                    # editing: a follow-up answered before stays; one that now applies and is new is asked
                    index += 1
                    continue
                return candidate.id, item if candidate.group else None
            index += 1
        return "summary", None

    def first_unanswered(self, group: str, item: int) -> tuple[str, int]:
        """Where an item was left: its first question without an answer, else "add another?"."""
        values = self.answers[group][item]
        for step in flow.STEPS:
            if step.group == group and not step.control and step.applies(self.answers, values) \
                    and values.get(step.field) is None and not step.optional \
                    and not follow_up.is_left(self.answers, step, item):
                return step.id, item
        return flow.GROUP_STEPS[group][1], item

    def after_group(self, group: str) -> tuple[str, int | None]:
        last = [s for s in flow.STEPS if s.group == group][-1]
        return flow.STEPS[flow.ORDER[last.id] + 1].id, None
