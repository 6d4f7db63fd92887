"""The dialog engine: (state, inbound) -> (new state, replies, effects). Pure: no I/O, no clock."""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dialogs import consents, follow_up, intents, members, receipts, resume, rights, routing
from dialogs.events import (Edited, FileRefused, MoreInfoClosed, MoreInfoRequested, MoreInfoSaved, ReceiptsRead,
                            Repeat, ResumeEvent, RightsEvent, StaffMessage, SubmitFailed, Submitted, Verified, Voice)
from dialogs.catalogue import LOCALES
from dialogs.flows import hardship as flow
from dialogs.messages import (AnswerQuestion, Effect, Inbound, Option, Reply, ShowStatus, Submit, SubmitMoreInfo, Turn,
                              WriteToCaseworker)
from dialogs.navigation import finishes_edit, following
from dialogs.parsing import Stay, names_option, parse, typed_option
from dialogs.prompts import ask_reply, earlier_answer
from dialogs.requests import answers_given, next_requested, open_request, reopen_step, restore_stash
from dialogs.state import new_state, to_idle, upgrade
from dialogs.steps import Step, get_answer, set_answer
from dialogs.summary import EDIT_STEPS, menu_choice, menu_reply, prune, summary_choice, summary_text
from dialogs.texts import t
from dialogs.validators import Invalid, age_from_id, id_area_note, normalise

MAX_INPUT = 10_000  # longer messages are refused before any parsing


@dataclass(frozen=True, slots=True)
class Context:
    """What the engine needs from outside: today's date, the city's districts, the channel (e.g. "telegram",
    "web", "api:partner", "terminal": it decides only how a resident is told to attach a file)."""

    today: date
    districts: dict[str, dict[str, str]] = field(default_factory=dict)
    default_locale: str = "zh"
    channel: str | None = None


def handle(state: dict[str, Any] | None, inbound: Inbound, ctx: Context, *, owned: bool = False) -> Turn:
    """Answer one inbound message. The caller's `state` is left as it was, unless it is `owned`: given
    away by a caller that will not read it again (the runner's freshly loaded state), it is worked on in
    place and not copied first."""
    state = upgrade(state if owned else _copy(state)) if state else None
    fresh = state is None
    conversation = Conversation(new_state(ctx.default_locale) if fresh else state, ctx)
    if fresh and inbound.text and not inbound.command and intents.looks_english(inbound.text):
        # a resident writing English gets English; a command's argument (e.g. a deep-link code) says nothing
        conversation.state["locale"] = "en"
    conversation.dispatch(inbound, fresh=fresh)
    return Turn(conversation.state, conversation.replies, conversation.effects)


class Conversation:
    """One turn's work on a conversation state."""

    def __init__(self, state: dict[str, Any], ctx: Context) -> None:
        self.state, self.ctx = state, ctx
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []

    # -- small helpers -------------------------------------------------------------------
    @property
    def locale(self) -> str:
        return self.state["locale"]

    @property
    def answers(self) -> dict[str, Any]:
        return self.state["answers"]

    def t(self, key: str, **params: Any) -> str:
        return t(self.locale, key, **params)

    def say(self, key: str, options: tuple[Option, ...] = (), **params: Any) -> None:
        self.replies.append(Reply(self.t(key, **params), options))

    def current(self) -> Step | None:
        step = self.state["step"]
        return flow.BY_ID.get(step) or EDIT_STEPS.get(step)

    def ask(self, *, lead: str | None = None, redraw: bool = False) -> None:
        """Ask the current question again (or show the idle menu); `lead` is a text to put first, in the
        same message (one message on a chat app, not two)."""
        self.state["asked"] += 1
        start = len(self.replies)
        if self.state.get("rights"):
            self.replies.append(rights.prompt(self))  # the rights desk is open over whatever waits
        elif self.state["flow"] is None:
            self.replies.append(self.idle_menu())
        elif self.state["step"] in EDIT_STEPS:
            self.replies.append(menu_reply(self))
        else:
            step = self.current()
            if step.id == "summary":
                self.replies.append(Reply(summary_text(self.answers, self.locale, self.ctx.districts, self.state)))
            self.replies.append(ask_reply(self, step))
        if lead:
            first = self.replies[start]
            self.replies[start] = Reply(lead + "\n" + first.text, first.options)
        if redraw:
            last = self.replies[-1]
            self.replies[-1] = Reply(last.text, last.options, redraw=True)

    def idle_menu(self) -> Reply:
        options = [Option(self.t("opt.menu.start"), "start")]
        if self.state["cancelled"]:
            options.insert(0, Option(self.t("opt.menu.resume"), "resume"))
        options.append(Option(self.t("opt.menu.status"), "status"))
        if self.state.get("intake_id"):  # after a submission: see, correct or delete what was filed
            options.append(Option(self.t("opt.menu.mydata"), rights.ENTRY))
        return Reply(self.t("idle.menu"), tuple(options))

    def go(self, step: str | None, item: int | None = None, *, remember: bool = True) -> None:
        if remember and self.state["step"] is not None and self.state["step"] not in EDIT_STEPS:
            self.state["history"].append([self.state["step"], self.state["item"]])
        self.state["step"], self.state["item"], self.state["pending"] = step, item, None
        self.state["picked"] = self.state["held"] = None  # a half-made choice belongs to its question
        self.state.pop("amount", None)  # so does an amount waiting for its yes
        self.state["tries"], self.state["revisit"] = 0, False

    # -- dispatch ------------------------------------------------------------------------
    def dispatch(self, inbound: Inbound, *, fresh: bool = False) -> None:
        if inbound.event:
            return self.on_event(inbound)
        if self.state.pop("moved", None):
            self.say("resume.moved_away")  # the application went on elsewhere with its resume code
        if inbound.command:
            return self.on_command(inbound.command, inbound.text or "")
        text = inbound.text if inbound.text is not None else ""
        if len(text) > MAX_INPUT:
            self.say("invalid.too_long", max=MAX_INPUT, got=len(text))
            return self.ask()
        if inbound.option is not None:
            asked = inbound.data.get("asked")
            if fresh:
                self.say("expired")
                return self.ask(redraw=True)
            if asked is not None and asked != self.state["asked"]:
                if self.state.get("pressed") == [asked, self.state["asked"]]:
                    return  # a second tap on the buttons just pressed, nothing asked since (a double tap): answered
                self.say("old_keyboard")
                return self.ask(redraw=True)
            self.on_input(inbound.option, option=True, inbound=inbound)
            if asked is not None:
                self.state["pressed"] = [asked, self.state["asked"]]
            return
        if inbound.attachments:
            return self.on_files(inbound)
        if not normalise(text):
            self.say("invalid.empty_message")
            return self.ask()
        return self.on_input(text, option=False, inbound=inbound)

    def on_event(self, inbound: Inbound) -> None:
        event = inbound.event
        if isinstance(event, ResumeEvent):
            return resume.on_event(self, event)
        if isinstance(event, RightsEvent):
            return rights.on_event(self, event)
        if isinstance(event, Submitted):
            to_idle(self.state, intake_id=event.intake_id, thread=None)
            self.say("submitted", n=event.intake_id)
            for earlier in event.earlier:
                self.say("duplicate.notice", n=earlier.intake_id, name=earlier.name)
            if event.summary:
                self.replies.append(Reply(event.summary))
            resume.show(self)
            # the rights desk, offered where the resident's data was just filed
            last = self.replies[-1]
            self.replies[-1] = Reply(f"{last.text}\n{self.t('rights.after_submit')}",
                                     (*last.options, Option(self.t("opt.menu.mydata"), rights.ENTRY)))
            return
        if isinstance(event, SubmitFailed):
            self.say("submit_failed")
            return self.ask()
        if isinstance(event, MoreInfoSaved):
            restore_stash(self.state)
            self.say("more_info.saved", n=event.intake_id)
            if self.state["flow"]:
                return self.ask()
            return
        if isinstance(event, MoreInfoRequested):
            self.state["rights"] = None  # a caseworker's request comes first; the desk opens again on asking
            first = open_request(self.state, event)
            if first is not None:
                self.say("more_info.intro", n=event.intake_id, note=event.note or "-")
                self.go(first, remember=False)
                self.ask()
            return
        if isinstance(event, StaffMessage):
            # a caseworker wrote: said at once, with how to answer; a reply while idle goes back to them
            self.state["thread"] = event.intake_id
            self.say("thread.from_staff", n=event.intake_id, text=event.text)
            self.say("thread.how_to_reply" if self.state["flow"] is None else "thread.reply_later")
            return
        if isinstance(event, Repeat):
            # a message already handled, sent again because its answer was lost: ask the current question
            return self.ask()
        if isinstance(event, MoreInfoClosed):
            if self.state["flow"] == "more_info" and self.state["reopen"]["intake_id"] == event.intake_id:
                restore_stash(self.state)
                self.say("more_info.closed", n=event.intake_id)
                return self.ask() if self.state["flow"] else None
            return
        if isinstance(event, Verified) and inbound.staff_id:
            # staff read the caller's name and ID number back and the caller confirmed them;
            # the reply is the transcript's record of it, with the staff id
            self.state["verified"] = inbound.staff_id
            self.say("verified", who=inbound.staff_id)
            return self.ask()
        if isinstance(event, FileRefused):
            reason = event.reason
            self.say(f"file.{reason if reason in ('too_large', 'damaged', 'image_too_large') else 'type'}",
                     limit=event.limit_mb)
            return self.ask()
        if isinstance(event, ReceiptsRead):
            return receipts.on_read(self, event.readings)
        if isinstance(event, Edited):
            self.say("edited")
            return self.ask()
        if isinstance(event, Voice):  # said plainly, with how to answer instead
            self.say("voice")
            return self.ask()
        self.say("unsupported")  # Unsupported, or a Verified without staff
        return self.ask()

    def on_command(self, command: str, arg: str) -> None:
        if self.state.get("rights") and (command == "resume" or arg.lower().startswith("resume")):
            self.state["rights"] = None  # continuing elsewhere ends the rights desk's proof
        if command == "start":
            if arg.lower().startswith("resume"):  # a deep link that carries a resume code
                return resume.on_command(self, arg[6:])
            if arg and not self.state["source"]:
                self.state["source"] = normalise(arg)[:64]
            if self.state["flow"]:
                self.say("start.in_progress")
            return self.ask()
        if command == "help":
            self.say("help")
            return self.ask()
        if command == "cancel":
            if self.state.get("rights"):
                return self.on_input("取消", option=False, inbound=Inbound(text="取消"))
            if not self.state["flow"]:
                self.say("cancel.nothing")
                return self.ask()
            return self.on_input("取消", option=False, inbound=Inbound(text="取消"))
        if command == "status":
            self.effects.append(ShowStatus(self.locale, filling=self.state["flow"] == flow.FLOW))
            resume.show(self)
            return self.ask()  # the status, then the question the resident was at
        if command == "resume":
            return resume.on_command(self, arg)
        if command == "mydata":
            return rights.enter(self)
        if command == "lang":
            locale = (normalise(arg).lower() or ("en" if self.locale == "zh" else "zh"))[:2]
            self.state["locale"] = locale if locale in LOCALES else self.locale
            self.say("lang.switched")
            return self.ask()
        if command == "more":
            return self.more()
        if command == "ask":
            if normalise(arg):
                self.effects.append(AnswerQuestion(normalise(arg)[:500], self.locale))
            else:
                self.say("ask.how")
            return self.ask()
        self.say("unknown_command")
        return self.ask()

    def on_input(self, raw: str, *, option: bool, inbound: Inbound) -> None:
        text = normalise(raw)
        if rights.on_input(self, raw, text, option=option):
            return
        if resume.on_input(self, text, option=option):
            return
        if not option and (locale := intents.language(text)):
            self.state["locale"] = locale
            self.say("lang.switched")
            return self.ask()
        if not option and self.state["flow"] and self.state["pending"] is None and self.state["step"] not in EDIT_STEPS \
                and (typed := typed_option(self, self.current(), text)) is not None:
            raw, text, option = typed, typed, True  # a button's label typed on a text channel is that button
        word = raw if option and raw.startswith("_") else None
        meaning = {"_back": "back", "_skip": "skip", "_cancel": "cancel", "_done": "done",
                   "_unknown": "unknown", "_use": "use", "_leave": "leave", "_keep": "keep"}.get(word or "") \
            or (None if option else intents.intent(text))
        if meaning == "more" and self.state.get("question"):
            return self.more()
        if self.state["flow"] is None:
            return self.on_idle(text, meaning, option=option, raw=raw)
        if self.state["pending"] == "cancel":
            return self.confirm_cancel(text, meaning, option)
        if meaning == "cancel":
            self.state["pending"] = "cancel"
            self.state["asked"] += 1
            self.say("cancel.confirm", options=(Option(self.t("opt.cancel.yes"), "yes"),
                                                Option(self.t("opt.cancel.no"), "no")))
            return
        if meaning == "back":
            return self.back()
        if meaning == "help":
            self.say("help")
            return self.ask()
        if meaning == "status":
            self.effects.append(ShowStatus(self.locale, filling=self.state["flow"] == flow.FLOW))
            resume.show(self)
            return self.ask()
        if self.state.get("receipt_offer") and receipts.answer(self, raw, meaning, option=option):
            return
        if self.state["step"] in EDIT_STEPS:
            return self.choose_from_menu(raw if option else text)
        step = self.current()
        if self.may_leave(step) and (meaning in ("leave", "later")
                                     or (step.kind == "id_number" and meaning in ("unknown", "skip"))):
            return self.leave(step, "not_given" if meaning == "leave" else "not_at_hand")
        if meaning == "keep" and (kept := earlier_answer(self, step)) is not None:
            return self.advance(step, self.state["item"], kept)
        if word == "_use" and self.state.get("held"):
            raw, text, option = self.state["held"], normalise(self.state["held"]), False
        elif not option and meaning is None and routing.asks(step.kind, text, today=self.ctx.today,
                                                             exact=lambda typed: names_option(self, step, typed)):
            return self.answer_question(text, held=raw if step.kind == "text" else None)
        try:
            if step.kind == "summary" and meaning != "skip":
                return self.on_summary(summary_choice(text, meaning, option=option))
            free = option or step.kind in ("text", "name")  # free text keeps the resident's own punctuation
            value = parse(self, step, raw if free else text, meaning, option=option)
        except Invalid as error:
            self.say(error.key, **error.params)
            self.state["tries"] = self.state.get("tries", 0) + 1
            if self.may_leave(step) and self.state["tries"] == follow_up.TRIES_BEFORE_OFFER:
                self.say("leave.offer")
            return self.ask(redraw=option)
        if isinstance(value, Stay):
            if value.say:
                self.say(value.say)
            return self.ask(redraw=option)
        self.accept(step, value)

    def on_summary(self, choice: str) -> None:
        if choice == "confirm":
            prune(self.answers)
            self.effects.append(Submit(self.answers, self.locale))
            self.say("submitting")
            return
        self.state["edit"] = {}
        self.go("edit.section", remember=False)
        self.ask()

    def choose_from_menu(self, text: str) -> None:
        move = menu_choice(self, text)
        if move is None:
            self.say("invalid.choice")
            return self.ask()
        if move.say:
            self.say(move.say)
        self.go(move.step, move.item, remember=False)
        self.ask()

    def answer_question(self, text: str, *, held: str | None = None) -> None:
        """Answer a policy question, then ask the same question again (or show the menu).

        Free text that read as a question is kept (`held`): the resident can still say it was the answer.
        """
        self.effects.append(AnswerQuestion(text[:500], self.locale))
        self.state["held"] = held
        self.state["question"] = text[:500]  # "more" asks for the longer answer to it
        self.ask(lead=self.t("answer.back") if self.state["flow"] else None)

    def more(self) -> None:
        """The longer answer to the last policy question, then the same question again."""
        if not self.state.get("question"):
            self.say("ask.how")
            return self.ask()
        self.effects.append(AnswerQuestion(self.state["question"], self.locale, more=True))
        self.ask(lead=self.t("answer.back") if self.state["flow"] else None)

    # -- idle ----------------------------------------------------------------------------
    def on_idle(self, text: str, meaning: str | None, *, option: bool, raw: str | None = None) -> None:
        choice = text if option else meaning
        if choice in ("start", "restart", "yes"):
            return self.start()
        if choice == "resume" and self.state["cancelled"]:
            saved, self.state["cancelled"] = self.state["cancelled"], None
            self.state.update(saved)
            self.say("resumed")
            return self.ask()
        if choice == "status":
            self.effects.append(ShowStatus(self.locale, filling=self.state["flow"] == flow.FLOW))
            resume.show(self)
            return self.ask()
        if not option and meaning is None and self.state.get("thread") and not intents.wants_to_apply(text):
            return self.write_to_caseworker(self.state["thread"], text=(raw or text).strip())
        if not option and not intents.is_greeting(text) and meaning is None:
            if intents.wants_to_apply(text):
                return self.start()
            if intents.is_question(text) or intents.is_about_policy(text):
                return self.answer_question(text)
            if self.state.get("intake_id"):  # after filing, what is neither a question nor a wish to apply
                return self.write_to_caseworker(self.state["intake_id"], text=(raw or text).strip())
        self.say("welcome")
        return self.ask()

    def write_to_caseworker(self, intake_id: int, *, text: str | None = None,
                            files: tuple[dict[str, Any], ...] = ()) -> None:
        """The resident's own message or files after filing go to the intake's caseworkers (the runner keeps them)."""
        self.effects.append(WriteToCaseworker(intake_id, text, files, self.locale))

    def start(self) -> None:
        to_idle(self.state, flow=flow.FLOW, cancelled=None, verified=None)
        self.go("consent", remember=False)
        self.say("intro")
        consents.show_notice(self)
        self.ask()

    def confirm_cancel(self, text: str, meaning: str | None, option: bool) -> None:
        choice = text if option else meaning
        if not option and normalise(text).lower() in (self.t("opt.cancel.yes").lower(), self.t("opt.cancel.no").lower()):
            choice = "yes" if normalise(text).lower() == self.t("opt.cancel.yes").lower() else "no"
        if choice in ("yes", "cancel"):
            if self.state["flow"] == "more_info":
                self.say("more_info.cancelled")
                restore_stash(self.state)
                return self.ask() if self.state["flow"] else None
            kept = {key: self.state[key] for key in ("flow", "step", "item", "answers", "history", "edit")}
            to_idle(self.state, cancelled=kept)
            self.say("cancelled")
            return self.ask()
        self.state["pending"] = None
        self.say("cancel.kept")
        return self.ask()

    # -- moving --------------------------------------------------------------------------
    def back(self) -> None:
        if self.state["step"] in EDIT_STEPS or self.state["edit"]:
            return self.leave_edit()
        if self.state["flow"] == "more_info":
            reopen = self.state["reopen"]
            if reopen["index"] == 0:
                self.say("back.first")
                return self.ask()
            reopen["index"] -= 1
            self.go(reopen_step(reopen["items"][reopen["index"]]), remember=False)
            return self.ask()
        if not self.state["history"]:
            self.say("back.first")
            return self.ask()
        step, item = self.state["history"].pop()
        self.go(step, item, remember=False)
        self.state["revisit"] = True  # the question shows the earlier answer and offers to keep it
        return self.ask()

    def leave_edit(self) -> None:
        """Back out of an edit: to the previous question of an item being added, else to the summary."""
        edit, step, item = self.state["edit"] or {}, self.current(), self.state["item"]
        if edit.get("whole_item") is not None and step.group is not None:
            earlier = [s for s in flow.STEPS if s.group == step.group and not s.control
                       and flow.ORDER[s.id] < flow.ORDER[step.id]
                       and s.applies(self.answers, self.answers[step.group][item])]
            if earlier:
                self.go(earlier[-1].id, item, remember=False)
                return self.ask()
            if not any(v is not None for v in self.answers[step.group][item].values()):
                del self.answers[step.group][item]  # the item being added was still empty
        self.state["edit"] = None
        self.go("summary", remember=False)
        return self.ask()

    def accept(self, step: Step, value: Any) -> None:
        """Store an answer and move to the next question."""
        item = self.state["item"]
        if step.id == "consent":
            value = value == "agree"
            consents.answered(self, consents.ECONOMIC_CHECK, value)
            if not value:
                to_idle(self.state)
                self.say("consent.declined")
                return self.ask()
        if step.id == resume.PHONE_STEP:
            resume.phone_given(self, value)
        if self.state["flow"] == "more_info":
            self.answers[step.id] = value
            return self.next_reopened()
        if not step.control:
            set_answer(self.answers, step, item, value)
            if step.field == "id_number":
                target = self.answers[step.group][item] if step.group else self.answers["applicant"]
                target["age"] = age_from_id(value, self.ctx.today)
            # an answer given settles an earlier "left for the caseworker"; an ID number whose county
            # code is unknown, or was not in use in the birth year, is taken and marked for staff to check
            follow_up.note(self.answers, step, item, id_area_note(value) if step.kind == "id_number" else None)
            if step.field == "flags":
                person = self.answers[step.group][item] if step.group else self.answers["applicant"]
                if "disability" not in value:
                    person["disability_grade"] = "none"
                elif person.get("disability_grade") == "none":
                    person["disability_grade"] = None
        if step.id in consents.ASKED and self.state["flow"] != "more_info":
            consents.settled(self, step, item, value)
        self.advance(step, item, value)

    def may_leave(self, step: Step) -> bool:
        """Whether this answer may be left for the caseworker (never inside a caseworker's own request)."""
        return step.kind in follow_up.LEAVABLE_KINDS and self.state["flow"] != "more_info"

    def leave(self, step: Step, why: str) -> None:
        """Leave the answer for the caseworker: no value, a note on the intake, and on to the next question."""
        item = self.state["item"]
        set_answer(self.answers, step, item, None)
        follow_up.note(self.answers, step, item, why)
        if step.field == "id_number":
            (self.answers[step.group][item] if step.group else self.answers["applicant"])["age"] = None
        self.say("leave.done")
        self.advance(step, item, None)

    def advance(self, step: Step, item: int | None, value: Any) -> None:
        """Move past an answered question: the next one, or back to the summary after an edit."""
        nxt = following(self.state, step, item, value)
        if not self.state["edit"] and members.filled_up(self.answers, step, nxt[0]):
            self.say("members.full", max=members.HOUSEHOLD_MAX)
        if self.state["edit"] and finishes_edit(self.state, nxt):
            self.state["edit"] = None
            nxt = ("summary", None)
        self.go(*nxt)
        self.ask()

    def next_reopened(self) -> None:
        """The next item of a caseworker's request, or its answers handed back when all are given."""
        step = next_requested(self.state)
        if step is not None:
            self.go(step)
            return self.ask()
        self.effects.append(SubmitMoreInfo(self.state["reopen"]["intake_id"], answers_given(self.state), self.locale))

    def on_files(self, inbound: Inbound) -> None:
        if receipts.takes_receipts(self.state):
            return receipts.receive(self, inbound)
        step = self.current()
        if self.state["flow"] is None and (self.state.get("thread") or self.state.get("intake_id")):
            files = tuple(a.to_dict() for a in inbound.attachments)
            return self.write_to_caseworker(self.state.get("thread") or self.state["intake_id"], files=files)
        if self.state["flow"] is None or step is None or step.kind != "files":
            self.say("file.not_now")
            return self.ask()
        item = self.state["item"]
        stored = [a.to_dict() for a in inbound.attachments]
        if self.state["flow"] == "more_info":
            self.answers.setdefault(step.id, []).extend(stored)
            count = len(self.answers[step.id])
        else:
            files = (get_answer(self.answers, step, item) or []) + stored
            set_answer(self.answers, step, item, files)
            count = len(files)
        self.ask(lead=self.t("file.received", count=count))

def current_question(state: dict[str, Any], ctx: Context) -> list[Reply]:
    """The replies that ask the conversation's open question, exactly as a turn asks it; the state is not
    changed (for pages that show the question, such as the phone desk)."""
    if state.get("pending") == "cancel":
        # a cancel waits for its yes/no, which asking again does not repeat
        return [Reply(t(state["locale"], "cancel.confirm"), (Option(t(state["locale"], "opt.cancel.yes"), "yes"),
                                                             Option(t(state["locale"], "opt.cancel.no"), "no")))]
    conversation = Conversation(_copy(state), ctx)
    conversation.ask()
    return conversation.replies


def _copy(state: dict[str, Any]) -> dict[str, Any]:
    """A private copy of the caller's state (a pickle round trip is ~4x faster than deepcopy here)."""
    return pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
