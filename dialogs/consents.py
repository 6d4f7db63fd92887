"""The privacy notice and the consents the dialog asks: the notice is versioned and said before anything is
collected; each yes or no becomes a `RecordConsent` effect, recorded by the runner as its own row.

The household economic-status check (the `consent` step) is the one consent an application cannot go on
without. Health data, financial data and the data of a household member under 14 are asked separately, each
just before the first question that needs it; a no leaves those questions for the caseworker (a "no_consent"
note, dialogs.follow_up) and the application goes on to be filed. Consents to give a household to a charity are asked per recipient by staff in the console
(`intake.store.consents`), before anything is sent.
"""
from __future__ import annotations

from typing import Any

from dialogs import follow_up
from dialogs.conversation import ConversationView
from dialogs.flows import hardship as flow
from dialogs.messages import RecordConsent
from dialogs.steps import Step

NOTICE_VERSION = "2026-12-v3"  # change with every change of the notice's wording (texts "privacy.notice")
ECONOMIC_CHECK = "economic_check"
HEALTH = "health_data"
FINANCIAL = "financial_data"
CHILD = "child_data"  # the applicant confirmed being the guardian of a member under 14
# the step that asks each optional consent, and the purpose its answer is recorded under
ASKED = {"consents.health": HEALTH, "consents.financial": FINANCIAL, "members.guardian": CHILD}
NO_CONSENT = "no_consent"  # the follow-up note on what was left for the caseworker for want of consent
# what an applicant who is not the child's guardian has already told about the child: taken back
CHILD_DETAILS = ("members.name", "members.id_number")


def show_notice(conversation: ConversationView) -> None:
    """Say the notice, and keep which version was shown: every consent given after it names that version."""
    conversation.say("privacy.notice", version=NOTICE_VERSION)
    conversation.state["notice"] = NOTICE_VERSION


def answered(conversation: ConversationView, purpose: str, granted: bool) -> None:
    """A consent question was answered: record it, with the notice version shown in this conversation."""
    conversation.effects.append(RecordConsent(purpose, granted, conversation.state.get("notice")))


def settled(conversation: ConversationView, step: Step, item: int | None, granted: Any) -> None:
    """An optional consent was answered (after its answer is stored): record it; on a no, note it for the
    caseworker, and for a child whose guardian did not answer, take back the child's name and ID number."""
    answered(conversation, ASKED[step.id], bool(granted))
    answers = conversation.answers
    follow_up.note(answers, step, item, None if granted else NO_CONSENT)
    if not granted:
        conversation.say("consents.left")
    if step.id != "members.guardian":
        return
    for detail in map(flow.BY_ID.get, CHILD_DETAILS):
        if not granted:
            answers[step.group][item][detail.field] = None
            follow_up.note(answers, detail, item, NO_CONSENT)
        elif follow_up.reason(answers, detail, item) == NO_CONSENT:
            follow_up.note(answers, detail, item, None)
