"""The privacy notice and the consents the dialog asks: the notice is versioned and said before anything is
collected; each yes or no becomes a `RecordConsent` effect, recorded by the runner as its own row.

The household economic-status check (the `consent` step) is the one consent an application cannot go on
without. Consents to give a household to a charity are asked per recipient by staff in the console
(`intake.store.consents`), before anything is sent.
"""
from __future__ import annotations

from dialogs.conversation import ConversationView
from dialogs.messages import RecordConsent

NOTICE_VERSION = "2026-12-v1"  # change with every change of the notice's wording (texts "privacy.notice")
ECONOMIC_CHECK = "economic_check"


def show_notice(conversation: ConversationView) -> None:
    """Say the notice, and keep which version was shown: every consent given after it names that version."""
    conversation.say("privacy.notice", version=NOTICE_VERSION)
    conversation.state["notice"] = NOTICE_VERSION


def answered(conversation: ConversationView, purpose: str, granted: bool) -> None:
    """A consent question was answered: record it, with the notice version shown in this conversation."""
    conversation.effects.append(RecordConsent(purpose, granted, conversation.state.get("notice")))
