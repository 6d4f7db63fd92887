"""What a step is: its kind, where its answer goes, when it is asked."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# kinds whose answer is typed and checked by a parser in validators.py
TYPED_KINDS = frozenset({"money", "count", "id_number", "phone", "date", "choice", "yesno", "multi"})

Condition = Callable[[dict[str, Any], dict[str, Any] | None], bool]


@dataclass(frozen=True, slots=True)
class Step:
    """One question of a flow.

    `id` is also where the answer lives: "applicant.name" -> answers["applicant"]["name"]; in a
    group ("members.name") the answer lives in the current item of answers["members"].
    Control steps steer the flow (e.g. "add another member?") and store nothing.
    """

    id: str
    section: int
    kind: str
    options: tuple[str, ...] = ()
    optional: bool = False
    max_len: int = 200
    group: str | None = None
    control: bool = False
    when: Condition | None = None
    absent: Any = None  # the answer stored when the question does not apply (None: no answer at all)
    period: str | None = None  # an amount's period ("year": the last 12 months); None: an amount held now

    @property
    def field(self) -> str:
        return self.id.rsplit(".", 1)[-1]

    def applies(self, answers: dict[str, Any], item: dict[str, Any] | None) -> bool:
        return self.when is None or self.when(answers, item)


def get_answer(answers: dict[str, Any], step: Step, item: int | None) -> Any:
    """The stored answer of a step, or None."""
    if step.group is not None:
        items = answers.get(step.group) or []
        return items[item].get(step.field) if item is not None and item < len(items) else None
    head, _, tail = step.id.partition(".")
    value = answers.get(head)
    return value.get(tail) if tail and isinstance(value, dict) else (None if tail else value)


def set_answer(answers: dict[str, Any], step: Step, item: int | None, value: Any) -> None:
    """Store an answer where the step says it lives."""
    if step.group is not None:
        items = answers.setdefault(step.group, [])
        while item is not None and len(items) <= item:
            items.append({})
        items[item][step.field] = value
        return
    head, _, tail = step.id.partition(".")
    if tail:
        answers.setdefault(head, {})[tail] = value
    else:
        answers[head] = value
