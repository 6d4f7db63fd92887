"""A caseworker's request for more information: the conversation reopens exactly the items asked."""
from __future__ import annotations

from typing import Any

from dialogs.events import MoreInfoRequested
from dialogs.flows import hardship as flow
from dialogs.state import to_idle


def open_request(state: dict[str, Any], request: MoreInfoRequested) -> str | None:
    """Make the conversation answer a caseworker's request (what was in progress is set aside); the
    first step to ask, or None when none of the items can be reopened."""
    items = [i for i in request.items if i in flow.REOPENABLE]
    if not items:
        return None
    if state["flow"] == "more_info":
        pass  # a newer request replaces the open one; what was stashed before stays stashed
    elif state["flow"] is not None or state["cancelled"]:
        state["stash"] = {key: state[key] for key in
                          ("flow", "step", "item", "answers", "history", "edit", "cancelled", "reopen")}
    state.update(flow="more_info", answers={}, history=[], edit=None, pending=None, cancelled=None, verified=None,
                 reopen={"intake_id": request.intake_id, "items": items, "index": 0, "note": request.note})
    return reopen_step(items[0])


def next_requested(state: dict[str, Any]) -> str | None:
    """The next requested item's step, or None when every item is answered."""
    reopen = state["reopen"]
    reopen["index"] += 1
    return reopen_step(reopen["items"][reopen["index"]]) if reopen["index"] < len(reopen["items"]) else None


def answers_given(state: dict[str, Any]) -> dict[str, Any]:
    """The request's answers as the intake stores them."""
    return {("documents" if k == "more_info.documents" else k): v for k, v in state["answers"].items()}


def restore_stash(state: dict[str, Any]) -> None:
    """The request is done or set aside: back to what was in progress before it (or to idle)."""
    stash, state["stash"] = state["stash"], None
    to_idle(state)
    if stash:
        state.update(stash)


def reopen_step(item: str) -> str:
    return "more_info.documents" if item == "documents" else item
