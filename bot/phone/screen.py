"""What the phone page shows for a conversation: the question as a script, its options by number, the progress."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.phone import texts as phone_texts
from dialogs.engine import Context, current_question
from dialogs.state import new_state
from dialogs.flows import hardship as flow
from dialogs.steps import Step
from dialogs.summary import EDIT_STEPS
from dialogs.texts import t

# questions answered by picking an option (or by files): a typed number means that option
CHOOSING = frozenset({"choice", "yesno", "multi", "summary", "menu", "files"})
BACK = "_back"


@dataclass(frozen=True, slots=True)
class Choice:
    """An option as staff pick it: by its number."""

    number: int
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Screen:
    """One conversation's current question, laid out for staff to read aloud and answer."""

    locale: str
    flow: str | None
    step: Step | None
    section: int  # 1-8 while applying; 0 before the first section and on a call back
    earlier: tuple[str, ...]  # what the question comes after (the summary before "confirm?")
    script: str
    asking: tuple[str, ...]  # the replies that ask the question, as a channel would show them
    choices: tuple[Choice, ...]
    choosing: bool
    back: bool
    asked: int
    verified: str | None
    intake_id: int | None

    @property
    def more_info(self) -> bool:
        """A caseworker's request for more information is open in this conversation."""
        return self.flow == "more_info"

    @property
    def files(self) -> bool:
        return self.step is not None and self.step.kind == "files"

    @property
    def kind(self) -> str:
        """What sort of answer the question takes ("idle" between applications)."""
        return "idle" if self.flow is None or self.step is None else self.step.kind

    @property
    def must_verify(self) -> bool:
        """The caller's name and ID number must be confirmed before going on (submitting, or a call back)."""
        at_summary = self.flow == flow.FLOW and self.step is not None and self.step.id == "summary"
        return self.verified is None and (self.more_info or at_summary)

    def option_for(self, typed: str) -> str | None:
        """The option a typed number picks, when the question is answered by choosing."""
        word = typed.strip()
        if not self.choosing or not word.isdigit():
            return None
        number = int(word)
        return next((c.value for c in self.choices if c.number == number), None)

    def progress(self) -> list[tuple[int, str, str]]:
        """(number, name, "done" | "current" | "todo") of each section."""
        return [(n, t(self.locale, f"section.{n}"),
                 "done" if n < self.section else "current" if n == self.section else "todo")
                for n in range(1, flow.SECTIONS + 1)]

    def progress_line(self) -> str:
        """E.g. 「第3部分/共8部分 · 现有救助」."""
        return progress_line(self.locale, self.section)


# chat texts written for a screen, and the words that give a screen away ("点选", "press", ...)
SCREEN_TEXTS = ("intro", "multi.how", "files.how", "question.or_answer", "summary.how", "invalid.choice",
                "q.expenses.receipts", "q.expenses.note", "q.spending.receipts", "q.more_info.documents")
SCREEN_WORDS = {
    "zh": (("请输入", "请告诉我"), ("输入", "说"), ("点选", "选"), ("请点「", "请说「"), ("点「", "说「"),
           ("下面的选项", "这几个选项"), ("下面", "接下来"), ("请发送", "请告诉我")),
    "en": ((r"\bPlease enter\b", "Please tell me"), (r"\benter\b", "tell me"), (r"\bpress\b", "say"),
           (r"\boptions below\b", "options"), (r"\btype\b", "say"), (r"\bbelow\b", "next")),
}


def spoken(script: str, locale: str) -> str:
    """The script as staff read it to a caller: screen instructions replaced by what one says on the phone."""
    for key in SCREEN_TEXTS:
        written = t(locale, key, n="{n}")
        if "{n}" in written:
            continue
        if written in script:
            script = script.replace(written, phone_texts.text(locale, f"say.{key}"))
    for screen_word, said in SCREEN_WORDS.get(locale, ()):
        script = re.sub(screen_word, said, script) if locale == "en" else script.replace(screen_word, said)
    return script


def progress_line(locale: str, section: int) -> str:
    return t(locale, "progress", n=section, total=flow.SECTIONS, name=t(locale, f"section.{section}"))


def current_step(state: dict[str, Any]) -> Step | None:
    step = state.get("step")
    return flow.BY_ID.get(step) or EDIT_STEPS.get(step) if step else None


def read(state: dict[str, Any] | None, ctx: Context) -> Screen:
    """The screen for a saved state (None: a conversation not begun)."""
    state = state or new_state(ctx.default_locale)
    locale = state["locale"]
    step = current_step(state) if state.get("flow") else None
    replies = current_question(state, ctx)
    question = replies[-1]
    section = 0
    if step is not None and state["flow"] == flow.FLOW:
        section = step.section
    script = question.text
    if section:
        script = script.removeprefix(progress_line(locale, section) + "\n")
    script = spoken(script, locale)
    numbered = [o for o in question.options if o.value != BACK]
    choosing = state.get("flow") is None or state.get("pending") == "cancel" or (step is not None and step.kind in CHOOSING)
    reopen = state.get("reopen") or {}
    return Screen(
        locale=locale, flow=state.get("flow"), step=step, section=section,
        earlier=tuple(spoken(r.text, locale) for r in replies[:-1]), script=script, asking=tuple(r.text for r in replies),
        choices=tuple(Choice(n, o.label, o.value) for n, o in enumerate(numbered, start=1)),
        choosing=choosing, back=any(o.value == BACK for o in question.options), asked=state.get("asked", 0),
        verified=state.get("verified"),
        intake_id=reopen.get("intake_id") if state.get("flow") == "more_info" else state.get("intake_id"),
    )
