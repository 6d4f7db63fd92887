"""Continuing elsewhere with a resume code: the code shown to the resident, typed on another device or
channel, the last four digits of the phone asked, and the conversation taken over when they match.

The engine only decides what to say; finding and checking a code and moving the conversation are the
runner's effects (`FindResume`, `CheckResume`), answered with events. A conversation checking a code
keeps the code in `resume_check` until the digits are right, wrong too often, or the resident stops.
Every code typed is answered "resume_found" (the digits are asked) whether or not it exists: only the
right digits tell a code is real.
"""
from __future__ import annotations

import math
from typing import Any

from dialogs import intents
from dialogs.conversation import ConversationView
from dialogs.messages import CheckResume, FindResume, Inbound, KeepResumeCode, Reply
from dialogs.rights import hides_digits
from dialogs.resume_codes import for_transcript, four_digits, last_four, shown, typed_code

PHONE_STEP = "applicant.phone"


def show(conversation: ConversationView, key: str = "resume.show") -> None:
    """Say the conversation's code (and its web link), if it has one."""
    code = conversation.state.get("resume")
    if code:
        conversation.say(key, code=shown(code["code"]), link=code.get("link") or "-")


def phone_given(conversation: ConversationView, phone: Any) -> None:
    """The applicant's phone was answered: the code is made (or its digits follow the corrected phone)."""
    digits = last_four(phone if isinstance(phone, str) else None)
    if digits:
        code = (conversation.state.get("resume") or {}).get("code")
        conversation.effects.append(KeepResumeCode(digits, code))


def on_command(conversation: ConversationView, arg: str) -> None:
    """`/resume CODE` (and the web link, which sends it)."""
    code = typed_code(arg, bare=True) or typed_code("resume " + arg, bare=False)
    if code:
        conversation.effects.append(FindResume(code))
        return
    conversation.say("resume.how")
    conversation.ask()


def on_input(conversation: ConversationView, text: str, *, option: bool) -> bool:
    """A typed code, or the digits asked for one; False when the message is neither (the turn goes on).

    A pressed button is never either: it ends a check that was waiting for digits."""
    checking = conversation.state.get("resume_check")
    if option:
        if checking:
            conversation.state["resume_check"] = None
        return False
    code = typed_code(text, bare=conversation.state.get("flow") is None or checking is not None)
    if code:
        conversation.effects.append(FindResume(code))
        return True
    if not checking:
        return False
    if intents.intent(text) in ("cancel", "back", "no"):
        conversation.state["resume_check"] = None
        conversation.say("resume.stopped")
        conversation.ask()
        return True
    digits = four_digits(text)
    if digits is None:
        conversation.say("resume.digits_again")
        return True
    conversation.effects.append(CheckResume(checking["code"], digits))
    return True


EVENTS = frozenset({"resume_code", "resume_found", "resume_here", "resume_locked", "resume_wrong", "resume_ok",
                    "resume_unavailable"})


def on_event(conversation: ConversationView, inbound: Inbound) -> None:
    """What the runner found for a code, or the code it made."""
    event, data, state = inbound.event, inbound.data, conversation.state
    if event == "resume_code":
        state["resume"] = {"code": data["code"], "link": data.get("link")}
        if data.get("new"):
            show(conversation, "resume.issued")
        return
    if event == "resume_found":
        if state.get("flow") is not None:
            conversation.say("resume.busy")
            return conversation.ask()
        state["resume_check"] = {"code": data["code"]}
        state["asked"] += 1  # buttons shown before the digits were asked no longer answer anything
        return conversation.say("resume.digits")
    if event == "resume_wrong":
        return conversation.say("resume.wrong", left=data.get("left", 0))
    state["resume_check"] = None
    if event == "resume_ok":
        return taken_over(conversation, data)
    if event == "resume_locked":
        conversation.say("resume.too_many" if data.get("many") else "resume.locked",
                         minutes=max(1, math.ceil(data.get("seconds", 60) / 60)))
    elif event == "resume_here":
        conversation.say("resume.here")
        show(conversation)
    else:
        conversation.say("resume.unavailable")
    return conversation.ask()


def taken_over(conversation: ConversationView, data: dict[str, Any]) -> None:
    """The runner moved the application here: say so, show what waited for the resident, ask on."""
    state, replies = conversation.state, conversation.replies
    conversation.say("resume.ok", code=shown(state["resume"]["code"]) if state.get("resume") else "-")
    waiting = [Reply.from_data(message) for message in data.get("waiting") or ()]
    if not waiting and state.get("flow") == "more_info" and state.get("reopen"):
        # the request itself was read on the other device: it is shown again with the caseworker's note
        reopen = state["reopen"]
        conversation.say("more_info.intro", n=reopen.get("intake_id"), note=reopen.get("note") or "-")
    head = len(replies)
    conversation.ask()
    # the open question is asked last, once: a waiting copy of it is not shown twice
    asked = {reply.text for reply in replies[head:]}
    waiting = [reply for reply in waiting if reply.text not in asked]
    if waiting:
        conversation.say("resume.ok.messages")
        lead, first = replies.pop(), waiting[0]
        replies[head:head] = [Reply(f"{lead.text}\n{first.text}", first.options), *waiting[1:]]


def transcript_line(state: dict[str, Any] | None, text: str) -> str:
    """What the transcript keeps of a resident's message (a code or its digits hidden)."""
    return for_transcript(text, checking=bool(state and (state.get("resume_check") or hides_digits(state))))
