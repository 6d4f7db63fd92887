"""An application record laid out for a caseworker: every answer labelled, nothing masked, files linked."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs import follow_up
from dialogs.consents import ASKED as CONSENT_QUESTIONS
from dialogs.flows import hardship as flow
from dialogs.steps import Step, get_answer
from dialogs.summary import GROUP_OF_SECTION, show_value
from dialogs.texts import t
from intake.console.texts import text
from intake.store.records import IntakeRecord


@dataclass(frozen=True, slots=True)
class FileLink:
    """An attachment as the page links it."""

    file_id: str
    name: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled answer; `path` is its place in the record (e.g. "members.0.name")."""

    path: str
    label: str
    value: str
    files: tuple[FileLink, ...] = ()
    changed: bool = False


@dataclass(slots=True)
class Section:
    """A section of the application: plain rows, or numbered items for members and expenses."""

    number: int
    title: str
    rows: list[Row] = field(default_factory=list)
    items: list[tuple[str, list[Row]]] = field(default_factory=list)
    empty: str = ""  # what an empty section says, e.g. "no other members"


def show(step: Step, value: Any, locale: str, district: Any) -> str:
    """An answer in full (ID numbers and phones unmasked: the caseworker needs them)."""
    if step.id == "applicant.district" and value is not None:
        return district(value, locale)
    return show_value(step, value, locale, {}, masked=False)


def _files(value: Any) -> tuple[FileLink, ...]:
    return tuple(
        FileLink(str(f["file_id"]), str(f.get("name") or f["file_id"]), str(f.get("content_type") or ""),
                 int(f.get("size") or 0))
        for f in value or [] if isinstance(f, dict) and f.get("file_id")
    )


def _row(step: Step, path: str, value: Any, locale: str, district: Any, changed: set[str], *,
         answers: dict[str, Any], item: int | None = None) -> Row:
    label = t(locale, f"label.{step.id}", default=step.id)
    if step.kind == "files":
        files = _files(value)
        return Row(path, label, t(locale, "value.files", count=len(files)), files, path in changed)
    shown = show(step, value, locale, district)
    why = follow_up.reason(answers, step, item)  # what staff must check by hand, e.g. an ID card's county code
    if why is not None:
        note = text(locale, f"follow_up.{why}", default=why)
        shown = note if value is None else f"{shown}（{note}）" if locale == "zh" else f"{shown} ({note})"
    return Row(path, label, shown, changed=path in changed)


def changed_paths(record: IntakeRecord) -> set[str]:
    """Answers entered again after submission (a request for more information), by record path."""
    first = record.answers[0].entered_at if record.answers else None
    return {a.path for a in record.answers if first is not None and a.entered_at > first}


def sections(record: IntakeRecord, locale: str, district: Any) -> list[Section]:
    """Sections 1-7 of the application, in the order the resident answered them."""
    answers, changed = record.application, changed_paths(record)
    out = []
    for number in range(1, flow.SECTIONS):
        section = Section(number, t(locale, f"section.{number}"))
        # the consent questions' answers are on the page's consents card, each as its own record
        steps = [s for s in flow.STEPS if s.section == number and not s.control and s.id not in CONSENT_QUESTIONS]
        group = GROUP_OF_SECTION.get(number)
        if group is None:
            for step in steps:
                if step.applies(answers, None):
                    value = get_answer(answers, step, None)
                    section.rows.append(_row(step, step.id, value, locale, district, changed, answers=answers))
        else:
            if group == "members":
                section.empty = t(locale, "value.no_members")
            for index, item in enumerate(answers.get(group) or []):
                rows = [
                    _row(s, f"{group}.{index}.{s.field}", item.get(s.field), locale, district, changed,
                         answers=answers, item=index)
                    for s in steps if s.applies(answers, item) and s.field in item
                ]
                if group == "members" and item.get("age") is not None:
                    rows.insert(3, Row(f"{group}.{index}.age", text(locale, "answer.age"), str(item["age"])))
                section.items.append((f"{index + 1}", rows))
        out.append(section)
    documents = _files(answers.get("documents"))
    if documents:
        out.append(Section(0, text(locale, "answer.documents"),
                           rows=[Row("documents", text(locale, "answer.documents"),
                                     t(locale, "value.files", count=len(documents)), documents, True)]))
    return out


def item_label(item: str, locale: str) -> str:
    """What a reopenable item is called, e.g. "applicant.phone" -> "Phone"."""
    if item == "documents":
        return text(locale, "answer.documents")
    return t(locale, f"label.{item}", default=item)


def reopenable(application: dict[str, Any], locale: str) -> list[tuple[str, str, str]]:
    """(item, section title, label) of what a caseworker may ask this household to provide again: the
    questions it was asked or has an answer to (no business income for a household without a business),
    and more documents."""
    out = []
    for item in flow.REOPENABLE:
        step = flow.BY_ID.get(item)
        asked = step is None or step.applies(application, None) or get_answer(application, step, None) is not None
        if not asked:
            continue
        section = t(locale, f"section.{step.section}") if step is not None else ""
        out.append((item, section, item_label(item, locale)))
    return out


def current_value(record: IntakeRecord, item: str, locale: str, district: Any) -> Row:
    """The item's value now, for showing what a resident sent back."""
    if item == "documents":
        files = _files(record.application.get("documents"))
        return Row(item, item_label(item, locale), t(locale, "value.files", count=len(files)), files)
    step = flow.BY_ID.get(item)
    if step is None:  # an item this version of the flow no longer asks
        return Row(item, item, str(record.application.get(item, "-")))
    return _row(step, item, get_answer(record.application, step, None), locale, district, set(),
                answers=record.application)
