"""A resident who answers whatever the flow asks, by the kind of question.

Tests written with it drive a channel through the whole application however the flow is shaped:
`answer(step_id, options)` says what to send at a step; `overrides` replace it at chosen kinds or steps.
"""
from __future__ import annotations

from collections.abc import Callable

from dialogs.consents import ASKED
from dialogs.flows import hardship as flow
from dialogs.summary import EDIT_STEPS

Move = tuple[str, str]  # ("text", "...") or ("option", value)
TYPED = {
    "zh": {"name": "陈美玲", "id_number": "440106198805120037", "phone": "13800138000", "text": "海珠区江南大道中100号",
           "money": "3000", "count": "0", "date": "2026-03-05"},
    "en": {"name": "Chen Meiling", "id_number": "440106198805120037", "phone": "13800138000",
           "text": "100 Jiangnan Avenue", "money": "3000", "count": "0", "date": "2026-03-05"},
}
Override = Callable[[str, list[str]], Move | None]
# a household member's own number: an application takes each person's ID number once
MEMBER_ID = "440106196003050023"  # born 1960: older than the applicant, so it fits a parent too
# choices that open the questions asked only in some households, picked when `agree`
OPENING = {"applicant.district": "outside", "members.relationship": "parent"}


def kind_of(step_id: str | None) -> str | None:
    step = flow.BY_ID.get(step_id or "") or EDIT_STEPS.get(step_id or "")
    return step.kind if step else None


def answer(step_id: str, options: list[str], locale: str = "zh", *, agree: bool = False) -> Move:
    """A plain answer: yes to each optional consent, the first real option, "yes" only to "anyone else in the household?" (and to every
    other yes/no question when `agree`, which opens the questions asked only after a "yes", along with
    every tick and the OPENING choices), a typical typed value."""
    step = flow.BY_ID[step_id]
    real = [value for value in options if not value.startswith("_")]
    if step.kind == "summary":
        return "option", "confirm"
    if step.kind == "multi" and agree:
        return "text", ",".join(str(n) for n in range(1, len(real) + 1))  # every situation applies
    if step.kind == "files":
        return "option", next(v for v in options if v in ("_skip", "_done"))
    if step.kind == "multi":
        return "option", "_done"
    if step.id in ASKED:
        return "option", "yes"  # a plain resident agrees to each consent (tests of a no say so)
    if step.kind == "yesno":
        # a control question outside a group opens it ("anyone else?"); inside, "another?" ends it
        opens = step.control and step.group is None or agree and not step.control
        return "option", "yes" if opens else "no"
    if step.kind == "choice":
        return "option", OPENING[step_id] if agree and OPENING.get(step_id) in real else real[0]
    if step.id == "members.id_number":
        return "text", MEMBER_ID
    return "text", TYPED[locale][step.kind]


def steps_of_kind(kind: str) -> list[str]:
    return [step.id for step in flow.STEPS if step.kind == kind]


def typed_walk(locale: str, typed: dict[str, list[str]] | None = None, *, labels: bool = True,
               agree: bool = False) -> tuple[list[str], dict]:
    """The lines a resident types to go through the whole application on a text channel.

    Buttons are typed as their labels (`labels`) or values; `typed` gives, per step id or step kind, lines to
    type instead of the plain answer (the last of them must be accepted). Worked out by running the engine;
    returns the lines and the application the engine submits at the end.
    """
    from datetime import date

    from dialogs.engine import Context, handle
    from dialogs.messages import Inbound
    from knowledge.params import load_params

    ctx = Context(today=date.today(), districts=load_params().city_districts, default_locale=locale)
    lines = ["开始申请" if locale == "zh" else "apply"]
    turn = handle(None, Inbound(text=lines[0]), ctx)
    for _ in range(300):
        state = turn.state
        options = [o for r in turn.replies for o in r.options]
        kind, value = answer(state["step"], [o.value for o in options], locale, agree=agree)
        words = (typed or {}).get(state["step"]) or (typed or {}).get(kind_of(state["step"]))
        if words:
            batch = list(words)
        elif kind == "option" and labels:
            batch = [next(o.label for o in options if o.value == value)]
        else:
            batch = [value]
        for line in batch:
            lines.append(line)
            turn = handle(turn.state, Inbound(text=line), ctx)
        for effect in turn.effects:
            if type(effect).__name__ == "Submit":
                return lines, effect.application
        if turn.state["step"] == state["step"] and turn.state["flow"]:
            raise AssertionError(f"{state['step']}: {batch!r} was not taken: {turn.replies}")
    raise AssertionError("the walk did not finish")
