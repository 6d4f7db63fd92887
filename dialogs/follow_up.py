"""Items left for the caseworker to settle: an answer the resident could not give, or one staff must check.

A note lives beside the answer it is about: in a group item (a household member) under the item's
"follow_up", otherwise under the application's top-level "follow_up", keyed by the step id. Deleting a
member therefore deletes its notes too.
"""
from __future__ import annotations

from typing import Any

from dialogs.steps import Step

# kinds whose answer may be left for the caseworker; a phone number is not among them: it is how the
# caseworker reaches the resident and how a resident proves a resume code is theirs
LEAVABLE_KINDS = frozenset({"id_number", "date", "count", "money"})
TRIES_BEFORE_OFFER = 2
REASONS = ("not_at_hand", "not_given", "id_area_unverified", "id_county_unknown", "no_consent")


def _notes(answers: dict[str, Any], step: Step, item: int | None) -> tuple[dict[str, Any] | None, str]:
    """The dict that holds this answer's note (None when the group item does not exist) and the key in it."""
    if step.group is not None:
        items = answers.get(step.group) or []
        return (items[item] if item is not None and item < len(items) else None), step.field
    return answers, step.id


def note(answers: dict[str, Any], step: Step, item: int | None, why: str | None) -> None:
    """Record why staff must look at this answer (`why`), or clear the note (None)."""
    holder, key = _notes(answers, step, item)
    if holder is None:
        return
    if why is not None:
        holder.setdefault("follow_up", {})[key] = why
    elif key in (holder.get("follow_up") or {}):
        del holder["follow_up"][key]
        if not holder["follow_up"]:
            del holder["follow_up"]


def reason(answers: dict[str, Any], step: Step, item: int | None) -> str | None:
    """The note on this answer, or None."""
    holder, key = _notes(answers, step, item)
    return ((holder or {}).get("follow_up") or {}).get(key)


def is_left(answers: dict[str, Any], step: Step, item: int | None) -> bool:
    """The resident left this answer for the caseworker, or said no to collecting it (so it is not "unanswered")."""
    return reason(answers, step, item) in ("not_at_hand", "not_given", "no_consent")
