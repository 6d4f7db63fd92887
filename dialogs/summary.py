"""The summary a resident checks before confirming, and the menus to fix any answer from it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs import amounts, follow_up, members
from dialogs.conversation import ConversationView
from dialogs.flows import hardship as flow
from dialogs.messages import Option, Reply
from dialogs.resume_codes import shown
from dialogs.steps import Step, get_answer
from dialogs.texts import t
from dialogs.validators import Invalid, normalise

EDIT_STEPS = {name: Step(name, 8, "menu", control=True) for name in ("edit.section", "edit.item", "edit.field")}
GROUP_OF_SECTION = flow.GROUP_OF_SECTION  # which sections hold numbered items is flow data
_CONFIRM_WORDS = {"确认", "确认提交", "提交", "confirm", "submit", "yes", "是", "对"}
_EDIT_WORDS = {"修改", "更改", "改", "edit", "change", "fix"}


def mask(value: str | None, keep_start: int, keep_end: int) -> str:
    """Hide the middle of an ID or phone number in messages."""
    if not value:
        return "-"
    return value[:keep_start] + "*" * max(len(value) - keep_start - keep_end, 0) + value[-keep_end:]


def show_value(step: Step, value: Any, locale: str, districts: dict[str, dict[str, str]], *,
               masked: bool = True) -> str:
    """An answer as it is read back: to the resident with ID and phone numbers masked, to staff in full."""
    if value is None:
        return t(locale, "value.none")
    kind, field = step.kind, step.field
    if kind == "money":
        if not isinstance(value, dict) or "amount" not in value:
            return t(locale, "value.none")
        text = amounts.shown(value["amount"]) + t(locale, "value.yuan")
        if amounts.converted(step, value):  # said per month: the resident's own figure beside the year's
            text += t(locale, "value.said", said=amounts.as_said(locale, value))
        return text + (t(locale, "value.estimated") if value.get("estimated") else "")
    if kind == "id_number" and masked:
        return mask(value, 4, 4)
    if kind == "phone" and masked:
        return mask(value, 6, 4)
    if kind == "yesno":
        return t(locale, "opt.yes" if value else "opt.no")
    if kind == "multi":
        return t(locale, "list_sep").join(t(locale, f"opt.{field}.{v}") for v in value) or t(locale, "opt.none")
    if kind == "files":
        return t(locale, "value.files", count=len(value)) if value else t(locale, "value.no_files")
    if step.id == "applicant.district":
        return districts.get(value, {}).get(locale) or t(locale, "opt.district.outside")
    if kind == "choice":
        return t(locale, f"opt.{field}.{value}", default=str(value))
    return str(value)


def section_steps(section: int) -> list[Step]:
    return [s for s in flow.STEPS if s.section == section and not s.control]


def summary_text(answers: dict[str, Any], locale: str, districts: dict[str, dict[str, str]],
                 state: dict[str, Any]) -> str:
    """Every answer, section by section."""
    lines = [t(locale, "summary.title")]
    for section in range(1, flow.SECTIONS):
        lines.append(t(locale, "heading", title=t(locale, f"section.{section}")))
        group = GROUP_OF_SECTION.get(section)
        if group:
            items = answers.get(group) or []
            if not items:
                lines.append("  " + t(locale, "value.no_members" if group == "members" else "value.none"))
            for index, item in enumerate(items):
                parts = [_read_back(s, answers, index, item.get(s.field), locale, districts)
                         for s in section_steps(section) if s.applies(answers, item) and s.field in item]
                lines.append(f"  {index + 1}. " + t(locale, "sep").join(parts))
            continue
        for step in section_steps(section):
            if step.applies(answers, None):
                value = _read_back(step, answers, None, get_answer(answers, step, None), locale, districts)
                lines.append(f"  {t(locale, f'label.{step.id}')}{t(locale, 'colon')}{value}")
    if state.get("resume"):  # the code that carries this application on to another device
        lines.append(t(locale, "resume.summary", code=shown(state["resume"]["code"])))
    return "\n".join(lines)


def _read_back(step: Step, answers: dict[str, Any], item: int | None, value: Any, locale: str,
               districts: dict[str, dict[str, str]]) -> str:
    if value is None and follow_up.is_left(answers, step, item):
        return t(locale, "value.left")
    if step.kind == "text" and isinstance(value, str):
        value = value.rstrip("。.，,；;！! ") or value  # read back inside a line that has its own punctuation
    return show_value(step, value, locale, districts)


def prune(answers: dict[str, Any]) -> None:
    """Settle answers to questions that no longer apply (e.g. the date of a sudden event now denied)."""
    for step in flow.STEPS:
        if step.when is None or step.control:
            continue
        if step.group is not None:
            holders = [(item, step.field, item) for item in answers.get(step.group) or []]
        else:
            head, _, tail = step.id.partition(".")
            holders = [(answers.get(head) if tail else answers, tail or head, None)]
        for holder, name, item in holders:
            if isinstance(holder, dict) and not step.applies(answers, item):
                if step.absent is not None and flow.health_asked(answers, item):
                    holder[name] = step.absent
                else:
                    holder.pop(name, None)


def summary_choice(text: str, meaning: str | None, *, option: bool) -> str:
    """What the resident chose at the summary: "confirm" or "edit"; Invalid otherwise."""
    word = text if option else normalise(text).lower()
    if word == "confirm" or (not option and word in _CONFIRM_WORDS):
        return "confirm"
    if word == "edit" or (not option and word in _EDIT_WORDS):
        return "edit"
    raise Invalid("summary.how")


@dataclass(frozen=True, slots=True)
class Move:
    """Where an edit menu's choice leads, and a text to say first."""

    step: str
    item: int | None = None
    say: str | None = None


def menu_options(c: ConversationView) -> tuple[str, list[tuple[str, str]]]:
    """(prompt key, [(value, label)]) of the current edit menu."""
    edit = c.state["edit"] or {}
    step = c.state["step"]
    if step == "edit.section":
        return "edit.which_section", [(str(n), c.t(f"section.{n}")) for n in range(1, flow.SECTIONS)]
    if step == "edit.item":
        group = GROUP_OF_SECTION[edit["section"]]
        items = c.answers.get(group) or []
        choices = [(str(i + 1), f"{i + 1}. {item_label(c, group, item)}") for i, item in enumerate(items)]
        adding = [] if group == "members" and members.full(c.answers) else [("add", c.t(f"edit.add.{group}"))]
        return "edit.which_item", [*choices, *adding]
    item_index = edit.get("item")
    group = GROUP_OF_SECTION.get(edit["section"])
    item = (c.answers.get(group) or [])[item_index] if group else None
    choices = []
    for s in section_steps(edit["section"]):
        if s.applies(c.answers, item):
            value = get_answer(c.answers, s, item_index)
            choices.append((s.id, f"{c.t(f'label.{s.id}')}{c.t('colon')}{show_value(s, value, c.locale, c.ctx.districts)}"))
    if group:
        choices.append(("delete", c.t("edit.delete")))
    return "edit.which_field", choices


def item_label(c: ConversationView, group: str, item: dict[str, Any]) -> str:
    """A household member or a spending item as an edit menu lists it."""
    if group == "members":
        relation = item.get("relationship")
        return " ".join(filter(None, [c.t(f"opt.relationship.{relation}") if relation else "", item.get("name")]))
    category, amount = item.get("category"), item.get("amount")
    money = f"{amount['amount']:,}{c.t('value.yuan')}" if amount else ""
    return " ".join(filter(None, [c.t(f"opt.category.{category}") if category else "", money]))


def menu_reply(c: ConversationView) -> Reply:
    """The current edit menu as a message."""
    key, choices = menu_options(c)
    options = tuple(Option(label, value) for value, label in choices) + (Option(c.t("opt.back"), "_back"),)
    return Reply(c.t(key), options)


def menu_choice(c: ConversationView, text: str) -> Move | None:
    """Where a choice in the current edit menu leads (the edit in progress is updated); None if it is not one."""
    _, choices = menu_options(c)
    values = [value for value, _ in choices]
    word = normalise(text)
    if word not in values:
        labels = {label.split(c.t("colon"))[0].lower(): value for value, label in choices}
        word = labels.get(word.lower(), word)
    if word not in values:
        return None
    step, edit = c.state["step"], c.state["edit"]
    if step == "edit.section":
        section = int(word)
        edit.update(section=section)
        if section in GROUP_OF_SECTION:
            return Move("edit.item")
        if len(section_steps(section)) == 1:
            return Move(section_steps(section)[0].id)
        return Move("edit.field")
    if step == "edit.item":
        group = GROUP_OF_SECTION[edit["section"]]
        if word == "add":
            items = c.answers.setdefault(group, [])
            items.append({})
            edit.update(whole_item=len(items) - 1)
            return Move(flow.FIRST_OF_GROUP[group], len(items) - 1)
        edit.update(item=int(word) - 1)
        return Move("edit.field")
    if word == "delete":
        group = GROUP_OF_SECTION[edit["section"]]
        del c.answers[group][edit["item"]]
        c.state["edit"] = None
        return Move("summary", say="edit.deleted")
    return Move(word, edit.get("item"))
