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
from dialogs.events import ResumeCode, ResumeEvent, ResumeFound, ResumeHere, ResumeLocked, ResumeOk, ResumeWrong
from dialogs.messages import CheckResume, FindResume, KeepResumeCode, Reply
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


def on_event(conversation: ConversationView, event: ResumeEvent) -> None:
    """What the runner found for a code, or the code it made."""
    state = conversation.state
    if isinstance(event, ResumeCode):
        state["resume"] = {"code": event.code, "link": event.link}
        if event.new:
            show(conversation, "resume.issued")
        return
    if isinstance(event, ResumeFound):
        if state.get("flow") is not None:
            conversation.say("resume.busy")
            return conversation.ask()
        state["resume_check"] = {"code": event.code}
        state["asked"] += 1  # buttons shown before the digits were asked no longer answer anything
        return conversation.say("resume.digits")
    if isinstance(event, ResumeWrong):
        return conversation.say("resume.wrong", left=event.left)
    state["resume_check"] = None
    if isinstance(event, ResumeOk):
        return taken_over(conversation, event.waiting)
    if isinstance(event, ResumeLocked):
        conversation.say("resume.too_many" if event.many else "resume.locked",
                         minutes=max(1, math.ceil(event.seconds / 60)))
    elif isinstance(event, ResumeHere):
        conversation.say("resume.here")
        show(conversation)
    else:
        conversation.say("resume.unavailable")
    return conversation.ask()


def taken_over(conversation: ConversationView, waited: tuple[dict[str, Any], ...]) -> None:
    """The runner moved the application here: say so, show what waited for the resident, ask on."""
    state, replies = conversation.state, conversation.replies
    conversation.say("resume.ok", code=shown(state["resume"]["code"]) if state.get("resume") else "-")
    waiting = [Reply.from_data(message) for message in waited]
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
