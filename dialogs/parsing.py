"""Turning what a resident sent into the value a step stores."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dialogs import amounts, intents, members
from dialogs.conversation import ConversationView
from dialogs.prompts import ask_reply, option_label, option_values
from dialogs.routing import plausible_name
from dialogs.steps import Step, get_answer
from dialogs.numbers import parse_count
from dialogs.validators import Invalid, normalise, parse_date, parse_id_number, parse_name, parse_phone, parse_text


def parse(conversation: ConversationView, step: Step, text: str, meaning: str | None, *, option: bool) -> Any:
    """Turn input into the step's value, or `Stay` (the same question stays open); raise Invalid to ask again.

    The summary's choice is not parsed here: the engine reads it with `summary.summary_choice`.
    """
    state, answers = conversation.state, conversation.answers
    if meaning == "skip":
        if step.optional:
            return None if step.kind != "files" else (get_answer(answers, step, state["item"]) or [])
        raise Invalid("invalid.not_optional")
    kind = step.kind
    if kind in ("choice", "yesno", "multi"):
        value = parse_option(conversation, step, text, meaning, option=option)
        if step.id == "members.relationship":
            members.check_relationship(answers, state["item"], value)
        return value
    if kind == "money":
        return parse_amount(conversation, step, text, meaning, option=option)
    if option and meaning is None:
        raise Invalid("invalid.use_text")
    if kind == "files":
        if meaning in ("done", "no"):
            if state["flow"] == "more_info":
                return answers.get(step.id) or []
            return get_answer(answers, step, state["item"]) or []
        raise Invalid("files.how")
    if kind == "count":
        return parse_count(text)
    if kind == "id_number":
        number = parse_id_number(text, today=conversation.ctx.today)
        members.check_id(answers, step, state["item"], number, who=lambda index: _person(conversation, index))
        if step.group == "members":
            members.check_generation(answers, state["item"], number)
        return number
    if kind == "phone":
        return parse_phone(text)
    if kind == "date":
        return parse_date(text, today=conversation.ctx.today)
    if kind == "name":
        name = parse_name(text)
        if not plausible_name(name):
            raise Invalid("invalid.name_sentence")
        members.check_name(name)
        return name
    return parse_text(text, max_len=step.max_len)

def _person(conversation: ConversationView, index: int | None) -> str:
    """"申请人", "第2位成员": who an earlier answer belongs to, as a message names them."""
    return conversation.t("who.applicant") if index is None else conversation.t("who.member", n=index + 1)


def parse_amount(conversation: ConversationView, step: Step, text: str, meaning: str | None, *, option: bool) -> Any:
    """An amount; one said for another period than the question's waits for the resident's yes (pending "period")."""
    state = conversation.state
    if state["pending"] == "period":
        choice = text if option else _yes_or_no(text, meaning)
        if choice in ("yes", "no"):
            money = state.pop("amount", None)
            state["pending"] = None
            return money if choice == "yes" and money else Stay("amount.again")
        if option:
            raise Invalid("amount.yesno")
        try:
            money = amounts.read(step, text)  # a new figure typed instead of yes or no
        except Invalid:
            raise Invalid("amount.yesno") from None
        state["pending"] = None
        return _confirmed_or_held(state, step, money)
    if state["pending"] == "estimate":
        return _confirmed_or_held(state, step, amounts.read(step, text, estimated=True))
    if meaning == "unknown":
        state["pending"] = "estimate"
        return Stay("estimate.ask")
    if option:
        raise Invalid("invalid.use_text")
    return _confirmed_or_held(state, step, amounts.read(step, text))


def _confirmed_or_held(state: dict[str, Any], step: Step, money: dict[str, Any]) -> Any:
    """The Money, or STAY while a converted one waits for the resident's yes."""
    if amounts.converted(step, money):
        state["pending"], state["amount"] = "period", money
        return STAY
    return money


def _yes_or_no(text: str, meaning: str | None) -> str | None:
    """Yes or no to a converted amount, in the shared words or the few more people use for "that's (not) right"."""
    word = _plain(text)
    if meaning in ("yes", "no"):
        return meaning
    if word in ("1", "2"):  # the button's number, on a channel that lists buttons as numbers
        return "yes" if word == "1" else "no"
    if word.startswith(_NOT_RIGHT):
        return "no"
    return "yes" if word in _RIGHT else None


_RIGHT = ("对", "对啊", "对呀", "没错", "正确", "啱", "啱呀", "啱啊", "冇错", "right", "correct", "that's right")
_NOT_RIGHT = ("不对", "不是", "错", "唔啱", "唔係", "唔系", "wrong", "not right", "incorrect")


def parse_option(conversation: ConversationView, step: Step, text: str, meaning: str | None, *, option: bool) -> Any:
    values = option_values(conversation, step)
    if step.kind == "yesno":
        choice = text if option else meaning
        if choice not in ("yes", "no") and not option:
            try:
                choice = match_choice(conversation, step, text, values)
            except Invalid:
                raise Invalid("invalid.yesno") from None
        if choice in ("yes", "no"):
            return choice == "yes"
        raise Invalid("invalid.yesno")
    if step.kind == "multi":
        return toggle(conversation, step, text, meaning, option=option, values=values)
    if option:
        if text in values:
            return text
        raise Invalid("invalid.choice")
    return match_choice(conversation, step, text, values)

def toggle(conversation: ConversationView, step: Step, text: str, meaning: str | None, *, option: bool,
           values: list[str]) -> Any:
    """Multi-choice: each press toggles one; "done" finishes; typed "1,3" or "none" answers at once."""
    state = conversation.state
    chosen = state.get("picked") or []
    if (text if option else meaning) in ("_done", "done"):
        state["picked"] = None
        return [v for v in values if v in chosen]
    if (text if option else meaning) in ("_none", "no"):
        state["picked"] = None
        return []
    if option:
        if text not in values:
            raise Invalid("invalid.choice")
        chosen = [v for v in chosen if v != text] if text in chosen else [*chosen, text]
        state["picked"] = chosen
        return STAY
    picked = None
    if not re.search(r"[,，、和]", text):
        try:
            # words without commas may be one label: "Two or more homes" is one option, not four
            picked = [match_choice(conversation, step, text, values)]
        except Invalid:
            picked = None
    if picked is None:
        picked = [match_choice(conversation, step, part, values) for part in _split(text)]
    state["picked"] = None
    return [v for v in values if v in picked]


@dataclass(frozen=True, slots=True)
class Stay:
    """The input was taken but the same question stays open; `say` is a text to put before it."""

    say: str | None = None


STAY = Stay()


def _split(text: str) -> list[str]:
    return [part for part in (p.strip() for p in text.replace("，", ",").replace("、", ",").replace(" ", ",")
                              .replace("和", ",").split(",")) if part]


def _plain(label: str) -> str:
    """A label or typed word as compared: normalised, lower case, without a tick or end punctuation."""
    return normalise(label).lower().removeprefix("✓ ").rstrip("。.!！")


def _core(label: str) -> str:
    """A label without its explanation in brackets: 医疗（医保报销后自付） -> 医疗."""
    return re.sub(r"\s*[(（].*?[)）]\s*", "", _plain(label)).strip()


def _aside(label: str) -> str:
    """What a label says in brackets: Minimum living allowance (低保) -> 低保."""
    found = re.search(r"[(（](.*?)[)）]", _plain(label))
    return found.group(1).strip() if found else ""


def typed_option(conversation: ConversationView, step: Step, text: str) -> str | None:
    """The value of a button whose label was typed in full ("选好了", "发送完毕", "Leave it for the caseworker").

    Only the question's own buttons count, and only those that steer (back, done, skip, leave…) or
    answer the summary; a typed label of a real choice is read by `match_choice`, which also takes parts.
    """
    if len(text) > intents.WORD_MAX:
        return None
    word = _plain(text)
    if not word:
        return None
    for option in ask_reply(conversation, step).options:
        steering = option.value.startswith("_") or step.kind == "summary"
        if steering and word in (_plain(option.label), _core(option.label)):
            return option.value
    return None


def names_option(conversation: ConversationView, step: Step, text: str) -> bool:
    """Whether typed text names an option of a choice step outright: its number, value, label, or yes / no."""
    if len(text) > intents.QUESTION_MAX:
        return False
    word = _plain(text)
    if step.kind == "yesno" and intents.intent(word) in ("yes", "no"):
        return True
    values = option_values(conversation, step)
    if re.fullmatch(r"[0-9]{1,3}", word):
        return 1 <= int(word) <= len(values)
    parts = _split(word) if step.kind == "multi" else [word]
    labels = [(value.lower(), _plain(option_label(conversation, step, value))) for value in values]
    return bool(parts) and all(any(part in (value, label, _core(label)) for value, label in labels) for part in parts)


def match_choice(conversation: ConversationView, step: Step, text: str, values: list[str]) -> str:
    """A typed choice: its number in the list, its value, its whole label, or a part that fits one label only."""
    word = _plain(text)
    if re.fullmatch(r"[0-9]{1,3}", word) and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    labels = {value: _plain(option_label(conversation, step, value)) for value in values}
    for value, label in labels.items():
        if word in (value.lower(), label, _core(label), _aside(label)):
            return value
    if len(word) >= 2 or (word and not word.isascii()):
        # a clear part: the word is inside one label only (or begins only one), or one label's core is inside it
        inside = [v for v, label in labels.items() if word in label]
        if len(inside) > 1:
            inside = [v for v in inside if labels[v].startswith(word)]
        if len(inside) == 1:
            return inside[0]
        around = [v for v, label in labels.items() if len(_core(label)) >= 2 and _core(label) in word]
        if len(around) == 1:
            return around[0]
    raise Invalid("invalid.choice")
