"""Turning what a resident sent into the value a step stores."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dialogs.prompts import option_label, option_values
from dialogs.steps import Step, get_answer
from dialogs.summary import EditMenus
from dialogs.validators import Invalid, normalise, parse_count, parse_date, parse_id_number, parse_money, \
    parse_name, parse_phone, parse_text

if TYPE_CHECKING:
    from dialogs.engine import Conversation


class Parsing:
    """Part of `Conversation`: parsing answers, including multiple choice and files."""

    state: dict[str, Any]
    answers: dict[str, Any]
    menus: EditMenus

    def parse(self, step: Step, text: str, meaning: str | None, *, option: bool) -> Any:
        """Turn input into the step's value; raise Invalid to ask again."""
        if meaning == "skip":
            if step.optional:
                return None if step.kind != "files" else (get_answer(self.answers, step, self.state["item"]) or [])
            raise Invalid("invalid.not_optional")
        kind = step.kind
        if kind == "summary":
            return self.menus.on_summary(text, meaning, option=option)
        if kind in ("choice", "yesno", "multi"):
            return self.parse_option(step, text, meaning, option=option)
        if option and meaning is None:
            raise Invalid("invalid.use_text")
        if kind == "files":
            if meaning in ("done", "no"):
                if self.state["flow"] == "more_info":
                    return self.answers.get(step.id) or []
                return get_answer(self.answers, step, self.state["item"]) or []
            raise Invalid("files.how")
        if kind == "money":
            if self.state["pending"] == "estimate":
                value = parse_money(text)
                return {**value, "estimated": True}
            if meaning == "unknown":
                self.state["pending"] = "estimate"
                self.say("estimate.ask")
                return STAY
            return parse_money(text)
        if kind == "count":
            return parse_count(text)
        if kind == "id_number":
            return parse_id_number(text)
        if kind == "phone":
            return parse_phone(text)
        if kind == "date":
            return parse_date(text, today=self.ctx.today)
        if kind == "name":
            return parse_name(text)
        return parse_text(text, max_len=step.max_len)

    def parse_option(self, step: Step, text: str, meaning: str | None, *, option: bool) -> Any:
        values = option_values(self, step)
        if step.kind == "yesno":
            choice = text if option else meaning
            if choice in ("yes", "no"):
                return choice == "yes"
            raise Invalid("invalid.yesno")
        if step.kind == "multi":
            return self.toggle(step, text, meaning, option=option, values=values)
        if option:
            if text in values:
                return text
            raise Invalid("invalid.choice")
        return match_choice(self, step, text, values)

    def toggle(self, step: Step, text: str, meaning: str | None, *, option: bool, values: list[str]) -> Any:
        """Multi-choice: each press toggles one; "done" finishes; typed "1,3" or "none" answers at once."""
        chosen = self.state.get("picked") or []
        if (text if option else meaning) in ("_done", "done"):
            self.state["picked"] = None
            return [v for v in values if v in chosen]
        if (text if option else meaning) in ("_none", "no"):
            self.state["picked"] = None
            return []
        if option:
            if text not in values:
                raise Invalid("invalid.choice")
            chosen = [v for v in chosen if v != text] if text in chosen else [*chosen, text]
            self.state["picked"] = chosen
            return STAY
        picked = [match_choice(self, step, part, values) for part in _split(text)]
        self.state["picked"] = None
        return [v for v in values if v in picked]

    # -- files ---------------------------------------------------------------------------


class _Stay:
    """Marker: the input was taken but the same question stays open."""


STAY = _Stay()


def _split(text: str) -> list[str]:
    return [part for part in (p.strip() for p in text.replace("，", ",").replace("、", ",").replace(" ", ",")
                              .replace("和", ",").split(",")) if part]


def match_choice(conversation: Conversation, step: Step, text: str, values: list[str]) -> str:
    """A typed choice: its number in the list, its value, or its label."""
    word = normalise(text).lower()
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    for value in values:
        label = option_label(conversation, step, value).lower()
        if word in (value.lower(), label) or (len(word) >= 2 and word in label):
            return value
    raise Invalid("invalid.choice")
