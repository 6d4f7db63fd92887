"""The residents' rights desk in the chat (「我的信息」 / "my data", PIPL Art. 44-50): open at any point, proved
with the resume code and the phone's last four digits (checked like resuming, with the same guessing limits),
then a short menu: see one's data and download it, correct an answer, withdraw a consent, ask for deletion,
ask for a person to review the automated results. Each request is filed for a caseworker and tracked to a
reply within 15 working days; nothing filed is changed here.

The desk lives in `state["rights"]` beside the application, which it never touches: leaving it asks the
question the resident was at (or shows the menu), as after a policy question. The engine only decides what to
say; proving, showing and filing are the runner's effects (`OpenMyData`, `ShowMyData`, `FileRightsRequest`),
answered with events.
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from dialogs import intents
from dialogs.conversation import ConversationView
from dialogs.events import (RightsEvent, RightsFailed, RightsFiled, RightsLocked, RightsNone, RightsOpened,
                            RightsWrong)
from dialogs.messages import FileRightsRequest, OpenMyData, Option, Reply, ShowMyData
from dialogs.resume_codes import four_digits, shown, typed_code
from dialogs.texts import t as text
from dialogs.validators import normalise

ENTRY = "_mydata"  # the button that opens the desk
MENU = ("see", "correct", "withdraw", "delete", "review", "leave")
YES, BACK, OWN_CODE = "_ryes", "_rback", "_rcode"
CONSENT_VALUE = re.compile(r"_rc(\d+)")  # the button of the n-th consent given (from 0), to withdraw it


def menu_value(choice: str) -> str:
    """The value of the menu button for `choice`."""
    return f"_r{choice}"


def consent_value(index: int) -> str:
    """The value of the button that withdraws the `index`-th consent given (read back by `CONSENT_VALUE`)."""
    return f"_rc{index}"


MENU_VALUES = {menu_value(choice): choice for choice in MENU}  # a menu button's value -> its choice
MAX_DETAIL = 500  # what the resident writes into a request, at most


def opens(raw: str, text: str, *, option: bool) -> bool:
    """Whether a message asks for the desk: its button, or 「我的信息」 / "my data" typed."""
    return raw == ENTRY if option else intents.intent(text) == "mydata"


def enter(conversation: ConversationView) -> None:
    """Open the desk where the resident is; what they were doing waits, unchanged."""
    state = conversation.state
    state["resume_check"] = None  # a resume code waiting for its digits is set aside
    state["rights"] = {"stage": "code"}
    conversation.ask(lead=conversation.t("rights.intro"))


def leave(conversation: ConversationView, key: str | None = "rights.left", **params: Any) -> None:
    """Close the desk (its proof goes with it) and go back to where the resident was."""
    conversation.state["rights"] = None
    lead = conversation.t(key, **params) if key else None
    conversation.ask(lead=lead)


def prompt(conversation: ConversationView) -> Reply:
    """The desk's open question, with its buttons (every one has a way back)."""
    desk, t = conversation.state["rights"], conversation.t
    stage = desk["stage"]
    back = Option(t("opt.rights.back"), BACK)
    if stage == "code":
        own = (conversation.state.get("resume") or {}).get("code")
        options = (Option(t("opt.rights.own_code", code=shown(own)), OWN_CODE),) if own else ()
        return Reply(t("rights.ask_code"), (*options, Option(t("opt.rights.leave"), BACK)))
    if stage == "digits":
        return Reply(t("rights.ask_digits"), (back,))
    if stage == "menu":
        return Reply(t("rights.menu", n=desk["intake_id"]),
                     tuple(Option(t(f"opt.rights.{choice}"), menu_value(choice)) for choice in MENU))
    if stage == "correct_which":
        return Reply(t("rights.correct.which"), (back,))
    if stage == "correct_value":
        return Reply(t("rights.correct.value", what=desk["what"]), (back,))
    if stage == "withdraw":
        return Reply(t("rights.withdraw.which"), (*(Option(consent_label(conversation, given), consent_value(index))
                                                    for index, given in enumerate(desk["consents"])), back))
    if stage == "withdraw_confirm":
        given = desk["consents"][desk["choice"]]
        return Reply(t(f"rights.withdraw.effect.{effect_of(given[0])}", what=consent_label(conversation, given)),
                     (Option(t("opt.rights.withdraw_yes"), YES), back))
    if stage == "delete":
        return Reply(t("rights.delete.explain"), (Option(t("opt.rights.delete_yes"), YES), back))
    if stage == "review":
        return Reply(t("rights.review.explain"), (Option(t("opt.rights.review_yes"), YES), back))
    return Reply(t("rights.wait"), (back,))  # a request on its way to the runner


def consent_label(conversation: ConversationView, given: list[Any]) -> str:
    purpose, recipient = given[0], given[1] if len(given) > 1 else None
    label = conversation.t(f"rights.purpose.{effect_of(purpose)}")
    return f"{label}（{recipient}）" if recipient and conversation.locale == "zh" else \
        (f"{label} ({recipient})" if recipient else label)


def effect_of(purpose: str) -> str:
    """The purposes the desk explains in its own words; any other one as "other"."""
    return purpose if purpose in ("economic_check", "health_data", "financial_data", "child_data", "referral") \
        else "other"


def on_input(conversation: ConversationView, raw: str, text: str, *, option: bool) -> bool:
    """A message for the desk: it opens it, or the desk is open and answers it. False when neither (and for a
    language switch, which the engine does as anywhere else)."""
    desk = conversation.state.get("rights")
    if not desk:
        if opens(raw, text, option=option):
            enter(conversation)
            return True
        return False
    if not option and intents.language(text):
        return False
    if desk.get("on") not in (None, conversation.ctx.today.isoformat()):
        # the proof holds for the day it was given: a conversation left open on a shared phone asks again
        conversation.state["rights"] = None
        conversation.say("rights.proof_expired")
        enter(conversation)
        return True
    if opens(raw, text, option=option):  # asked again while open: the open question again
        conversation.ask()
        return True
    if not option and (typed := _typed_option(conversation, text)) is not None:
        raw, option = typed, True  # a button's number or label typed on a text channel is that button
    value = raw if option else None
    meaning = None if option else intents.intent(text)
    if meaning == "cancel":  # out of the desk at once; "back" goes one step back
        leave(conversation)
        return True
    if value == BACK or meaning == "back":
        _back(conversation, desk)
        return True
    stage = desk["stage"]
    if stage == "code":
        _code(conversation, desk, value, text)
    elif stage == "digits":
        _digits(conversation, desk, value, text)
    elif stage == "menu":
        _menu(conversation, desk, value)
    elif stage == "correct_which":
        _free_text(conversation, desk, value, raw, then="correct_value")
    elif stage == "correct_value":
        _free_text(conversation, desk, value, raw, then=None)
    elif stage == "withdraw":
        _withdraw(conversation, desk, value)
    elif stage in ("withdraw_confirm", "delete", "review"):
        _confirm(conversation, desk, value, raw, meaning)
    else:
        conversation.say("rights.wait_more")
        conversation.ask()
    return True


def _back(conversation: ConversationView, desk: dict[str, Any]) -> None:
    """One step back: from a request to the menu, from the digits to the code, else out of the desk."""
    stage = desk["stage"]
    if stage in ("code", "menu", "waiting"):
        return leave(conversation)
    desk["stage"] = {"digits": "code", "correct_value": "correct_which", "withdraw_confirm": "withdraw"}.get(
        stage, "menu")
    if desk["stage"] == "code":
        desk.pop("code", None)
    conversation.ask()


def _again(conversation: ConversationView, key: str, **params: Any) -> None:
    conversation.say(key, **params)
    conversation.ask(redraw=True)


def _code(conversation: ConversationView, desk: dict[str, Any], value: str | None, text: str) -> None:
    own = (conversation.state.get("resume") or {}).get("code")
    code = own if value == OWN_CODE and own else (None if value else typed_code(text, bare=True))
    if not code:
        return _again(conversation, "rights.code_again")
    desk.update(stage="digits", code=code)
    conversation.ask()


def _digits(conversation: ConversationView, desk: dict[str, Any], value: str | None, text: str) -> None:
    digits = None if value else four_digits(text)
    if digits is None:
        return _again(conversation, "rights.digits_again")
    desk["stage"] = "waiting"
    conversation.effects.append(OpenMyData(desk["code"], digits))


def _menu(conversation: ConversationView, desk: dict[str, Any], value: str | None) -> None:
    choice = MENU_VALUES.get(value or "")
    if choice not in MENU:
        return _again(conversation, "rights.choose")
    if choice == "leave":
        return leave(conversation)
    if choice == "see":
        conversation.effects.append(ShowMyData(desk["intake_id"], conversation.locale))
        return conversation.ask()
    if choice == "withdraw" and not desk.get("consents"):
        conversation.say("rights.withdraw.none")
        return conversation.ask()
    desk["stage"] = {"correct": "correct_which"}.get(choice, choice)
    conversation.ask()


def _typed_option(conversation: ConversationView, text: str) -> str | None:
    """The value of the offered button whose number (1, 2, ...) or label was typed, or None."""
    offered = prompt(conversation).options
    word = normalise(text).lower().rstrip("。.")
    if word.isdigit() and len(word) <= 2:
        return offered[int(word) - 1].value if 1 <= int(word) <= len(offered) else None
    return next((o.value for o in offered if o.label.lower() == word), None)


def _free_text(conversation: ConversationView, desk: dict[str, Any], value: str | None, raw: str, *,
               then: str | None) -> None:
    said = raw.strip() if value is None else ""  # the resident's own words, punctuation kept
    if not said:
        return _again(conversation, "rights.say_it")
    if len(said) > MAX_DETAIL:
        return _again(conversation, "rights.too_long", max=MAX_DETAIL)
    if then is not None:
        desk.update(stage=then, what=said)
        return conversation.ask()
    _file(conversation, desk, "correct", conversation.t("rights.detail.correct", what=desk.pop("what"), value=said))


def _withdraw(conversation: ConversationView, desk: dict[str, Any], value: str | None) -> None:
    consents = desk["consents"]
    index = int(pressed.group(1)) if (pressed := CONSENT_VALUE.fullmatch(value or "")) else None
    if index is None or not 0 <= index < len(consents):
        return _again(conversation, "rights.choose")
    desk.update(stage="withdraw_confirm", choice=index)
    conversation.ask()


def _confirm(conversation: ConversationView, desk: dict[str, Any], value: str | None, raw: str,
             meaning: str | None) -> None:
    stage = desk["stage"]
    if meaning == "no":
        return _back(conversation, desk)
    said = raw.strip() if value is None and meaning != "yes" else ""
    if value is not None and value != YES:
        return _again(conversation, "rights.choose")
    if said and stage != "review":
        # only a review takes the resident's own words; elsewhere a yes is asked
        return _again(conversation, "rights.yes_or_back")
    if len(said) > MAX_DETAIL:
        return _again(conversation, "rights.too_long", max=MAX_DETAIL)
    if stage == "withdraw_confirm":
        given = desk["consents"][desk.pop("choice")]
        recipient = given[1] if len(given) > 1 else None
        return _file(conversation, desk, "withdraw", consent_label(conversation, given), purpose=given[0],
                     recipient=recipient)
    if stage == "delete":
        return _file(conversation, desk, "delete", conversation.t("rights.detail.delete"))
    _file(conversation, desk, "review", said or conversation.t("rights.detail.review"))


def _file(conversation: ConversationView, desk: dict[str, Any], kind: str, detail: str, *,
          purpose: str | None = None, recipient: str | None = None) -> None:
    desk["stage"] = "waiting"
    conversation.effects.append(FileRightsRequest(desk["intake_id"], kind, detail, purpose, recipient))


def on_event(conversation: ConversationView, event: RightsEvent) -> None:
    """What the runner found or filed."""
    state = conversation.state
    desk = state.get("rights")
    if not desk:
        return conversation.ask()
    if isinstance(event, RightsOpened):
        state["rights"] = {"stage": "menu", "intake_id": event.intake_id, "on": conversation.ctx.today.isoformat(),
                           "consents": [list(given) for given in event.consents]}
        return conversation.ask(lead=conversation.t("rights.opened"))
    if isinstance(event, RightsWrong):
        desk["stage"] = "digits"
        return _again(conversation, "resume.wrong", left=event.left)
    if isinstance(event, RightsLocked):
        key = "resume.too_many" if event.many else "resume.locked"
        return leave(conversation, key, minutes=max(1, math.ceil(event.seconds / 60)))
    if isinstance(event, RightsNone):
        return leave(conversation, "rights.none")
    if isinstance(event, RightsFiled):
        desk["stage"] = "menu"
        if event.kind == "withdraw":
            gone = [event.purpose, event.recipient]
            desk["consents"] = [given for given in desk.get("consents") or ()
                                if [given[0], given[1] if len(given) > 1 else None] != gone]
        conversation.say(f"rights.filed.{event.kind}", n=event.n, due=day(conversation.locale, event.due))
        return conversation.ask()
    if isinstance(event, RightsFailed):
        desk["stage"] = "menu"
        conversation.say("rights.failed")
        return conversation.ask()
    leave(conversation, "rights.unavailable")


def day(locale: str, iso: str | None) -> str:
    """A due date as residents read it: 2026年12月29日 / 29 December 2026."""
    if not iso:
        return "-"
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日" if locale == "zh" else f"{d.day} {d.strftime('%B')} {d.year}"


def hides_digits(state: dict[str, Any] | None) -> bool:
    """Whether the next message is the phone digits the desk asked for (the transcript hides them)."""
    return bool(state and (state.get("rights") or {}).get("stage") == "digits")


def button_labels(locale: str) -> dict[str, str]:
    """The desk's button values with a label a caseworker reads in a transcript (`locale`)."""
    labels = {menu_value(choice): text(locale, f"opt.rights.{choice}") for choice in MENU}
    labels.update({ENTRY: text(locale, "opt.menu.mydata"), BACK: text(locale, "opt.rights.back"),
                   YES: text(locale, "opt.yes"), OWN_CODE: text(locale, "opt.rights.own_code", code="").strip()})
    return labels


def consent_button(value: str, locale: str) -> str | None:
    """The label of a "withdraw this consent" button's value (which consent, by number), or None."""
    pressed = CONSENT_VALUE.fullmatch(value)
    return text(locale, "opt.rights.consent_n", n=int(pressed.group(1)) + 1) if pressed else None
