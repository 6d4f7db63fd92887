"""The conversation as the resident saw it: a pressed button shows its label, not the value behind it."""
from __future__ import annotations

from collections.abc import Callable, Iterable
import re
from dataclasses import dataclass
from typing import Any

from dialogs import rights
from dialogs.flows import hardship as flow
from dialogs.texts import t

# what the runner records for files sent (bot.runner), read back in the reader's language
FILES_SENT = re.compile(r"\[(\d+) file\(s\)\]")
# buttons outside the application's own questions: value -> text key of the label
BUTTONS = {
    "yes": "opt.yes", "no": "opt.no", "back": "opt.back", "skip": "opt.skip", "_done": "opt.done",
    "_none": "opt.none", "unknown": "opt.unknown", "_use": "opt.use_as_answer", "start": "opt.menu.start",
    "resume": "opt.menu.resume", "status": "opt.menu.status", "confirm": "opt.summary.confirm",
    "edit": "opt.summary.edit", "cancel": "opt.summary.cancel", "outside": "opt.district.outside",
    "_skip": "opt.skip", "_back": "opt.back", "_cancel": "opt.summary.cancel", "_unknown": "opt.unknown",
    "_keep": "opt.keep", "_leave": "opt.leave", "_receipt_yes": "opt.receipt.yes", "_receipt_change": "opt.receipt.change",
    "delete": "edit.delete",
}


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn: who spoke, what they saw or said, the value behind a pressed button (for staff), and the
    staff member who typed it for a caller."""

    who: str
    text: str
    value: str | None = None
    staff: str | None = None


def button_labels(locale: str, districts: Iterable[str], district_label: Callable[[str, str], str]) -> dict[str, str]:
    """Every option value the dialogs offer, with the label the resident read in `locale`."""
    labels = {value: t(locale, key) for value, key in BUTTONS.items()} | rights.button_labels(locale)
    for step in flow.STEPS:
        for value in step.options:
            label = t(locale, f"opt.{step.field}.{value}", default="")
            if label:
                labels.setdefault(value, label)
        labels.setdefault(step.id, t(locale, f"label.{step.id}", default=step.id))  # "edit this item" buttons
    for district in districts:
        labels[district] = district_label(district, locale)
    return labels


def labelled(transcript: Iterable[dict[str, Any]], locale: str, districts: Iterable[str],
             district_label: Callable[[str, str], str]) -> list[Turn]:
    """The transcript with button values replaced by their labels."""
    labels = button_labels(locale, districts, district_label)
    turns = []
    for turn in transcript:
        who, said = str(turn.get("who") or "bot"), str(turn.get("text") or "")
        staff = turn.get("staff_id") or None
        sent = FILES_SENT.fullmatch(said) if who != "bot" else None
        if sent:
            turns.append(Turn(who, t(locale, "value.files", count=int(sent.group(1))), said, staff))
        elif who != "bot" and said in labels:
            turns.append(Turn(who, labels[said], said, staff))
        elif who != "bot" and (consent := rights.consent_button(said, locale)):
            turns.append(Turn(who, consent, said, staff))
        else:
            turns.append(Turn(who, said, staff=staff))
    return turns
