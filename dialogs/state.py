"""The conversation state: what the engine keeps between turns, its version, and the upgrade of older
saved states. It is plain JSON-safe data, saved after every turn by a conversation store; what only
staff read (the transcript) is kept apart, so a saved state stays a few KB."""
from __future__ import annotations

from typing import Any, TypedDict

STATE_VERSION = 3

# steps the application asked up to version 2 and no longer asks, and where a resident saved at one of
# them goes on: the questions that now ask the same things
RETIRED_STEPS = {
    "assets.homes": "assets.owned", "assets.vehicles": "assets.owned", "assets.business_registered": "assets.owned",
    "expenses.category": "spending.kinds", "expenses.amount": "spending.kinds", "expenses.note": "spending.kinds",
    "expenses.receipts": "spending.kinds", "expenses.more": "spending.kinds",
    "sudden_event": "spending.kinds", "sudden_event_date": "spending.kinds",
}


class ConversationState(TypedDict, total=False):
    """One resident's conversation between two turns."""

    v: int  # STATE_VERSION when saved
    flow: str | None  # "hardship" (applying), "more_info" (answering a caseworker), or None (the menu)
    step: str | None  # the question being asked
    item: int | None  # which member or expense of a repeating group
    locale: str  # "zh" or "en"
    answers: dict[str, Any]  # the application record so far (docs/application.md)
    history: list[list[Any]]  # [step, item] pairs, for "back"
    asked: int  # how many questions were asked: a pressed button from an older one is recognised
    pressed: list[int]  # `asked` of the buttons last pressed and after: a second tap, nothing asked since, is no answer
    pending: str | None  # a yes/no awaited (e.g. "cancel")
    edit: dict[str, Any] | None  # an edit from the summary in progress
    picked: list[str] | None  # a pick-several answer being built
    held: Any  # an answer waiting for the resident's confirmation
    amount: dict[str, Any]  # an amount said for another period, waiting for the resident's yes (pending "period")
    tries: dict[str, int]  # failed tries per step: after two, the caseworker can take it over
    revisit: Any  # an earlier answer offered to keep after "back"
    source: str | None  # where the resident came from (a deep-link code)
    intake_id: int | None  # the last intake filed
    cancelled: dict[str, Any] | None  # a cancelled application, kept to resume
    reopen: dict[str, Any] | None  # a caseworker's request for more information being answered
    stash: dict[str, Any] | None  # the application set aside while answering a request
    verified: str | None  # staff id that read the caller's details back (phone desk)
    entered_by: dict[str, str]  # staff id per answer path, for answers staff entered for a caller
    submission: dict[str, str]  # the key of a confirmation being filed (see intake.submission)
    question: str | None  # the last policy question answered, for "more" (the longer answer)
    thread: int | None  # the intake whose caseworker last wrote: the resident's idle messages go back to them
    notice: str | None  # the privacy notice version shown before the consents (dialogs.consents)
    rights: dict[str, Any] | None  # the rights desk open over the conversation, and its proof (dialogs.rights)


def new_state(locale: str) -> ConversationState:
    """An idle conversation."""
    return {"v": STATE_VERSION, "flow": None, "step": None, "item": None, "locale": locale, "answers": {},
            "history": [], "asked": 0, "pending": None, "edit": None, "source": None, "intake_id": None,
            "cancelled": None, "reopen": None, "stash": None, "verified": None}


def to_idle(state: ConversationState, **kept: Any) -> None:
    """Back to the idle menu: everything of the application in progress goes (each caller first keeps
    what it must, e.g. a cancelled application in `cancelled`); `kept` is set afterwards."""
    state.update(flow=None, step=None, item=None, answers={}, history=[], pending=None, edit=None, picked=None,
                 held=None, tries=0, revisit=False, reopen=None)
    state.update(kept)


def upgrade(state: dict[str, Any] | None) -> ConversationState | None:
    """A saved state in today's shape, or None when it cannot be read (the conversation starts afresh).

    Version 1 carried the transcript inside the state; it now lives in the transcript store. Version 2
    was saved by the longer application: a resident stopped at a question it no longer asks goes on at
    the question that now asks the same thing, with every answer kept.
    """
    if not state:
        return None
    version = state.get("v")
    if version == 1:
        state.pop("transcript", None)
        state["v"] = version = 2
    if version == 2:
        _leave_retired_steps(state)
        state["v"] = version = 3
    return state if version == STATE_VERSION else None


def _leave_retired_steps(state: dict[str, Any]) -> None:
    if state.get("flow") != "hardship":
        return
    step = state.get("step")
    if step in RETIRED_STEPS:
        state.update(step=RETIRED_STEPS[step], item=None, pending=None, picked=None, held=None)
    elif isinstance(step, str) and step.startswith("income.") and "sources" not in (state.get("answers") or {}).get(
            "income", {}):
        # income is now asked by ticking the sources first
        state.update(step="income.sources", item=None, pending=None, picked=None, held=None)
    state["history"] = [entry for entry in state.get("history") or [] if entry and entry[0] not in RETIRED_STEPS]
