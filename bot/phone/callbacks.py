"""The call-back list: callers a caseworker asked for more information, or wrote to in the intake's thread, for
staff to ring back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.conversation import ConversationKey
from bot.phone.calls import CHANNELS
from intake.console.answers import item_label
from intake.models import IntakeStatus
from intake.store.base import BaseIntakeStore

LIMIT = 500  # waiting intakes read per listing


@dataclass(frozen=True, slots=True)
class Callback:
    """One caller to ring back: who, on which number, for what (the phone number is for staff eyes only)."""

    intake_id: int
    key: ConversationKey
    name: str
    phone: str
    items: tuple[str, ...]
    note: str
    requested_by: str
    requested_at: datetime


async def waiting(store: BaseIntakeStore, locale: str) -> list[Callback]:
    """Phone and station intakes with an open request for more information, the oldest request first."""
    found = []
    for summary in await store.list_intakes([IntakeStatus.NEEDS_INFORMATION], limit=LIMIT):
        request = summary.open_request
        if summary.channel not in CHANNELS or request is None:
            continue
        record = await store.get(summary.id)
        applicant = record.application.get("applicant") or {}
        found.append(Callback(
            intake_id=record.id, key=ConversationKey(record.channel, record.user_id),
            name=str(applicant.get("name") or "-"), phone=str(applicant.get("phone") or "-"),
            items=tuple(item_label(item, locale) for item in request.items), note=request.message or "",
            requested_by=request.requested_by, requested_at=request.requested_at,
        ))
    # a caseworker's message in the thread, waiting for staff to pass it on (the answer is typed in the call)
    for intake_id, message in await store.awaiting_relay(limit=LIMIT):
        record = await store.get(intake_id)
        applicant = record.application.get("applicant") or {}
        found.append(Callback(
            intake_id=record.id, key=ConversationKey(record.channel, record.user_id),
            name=str(applicant.get("name") or "-"), phone=str(applicant.get("phone") or "-"), items=(),
            note=message.text, requested_by=message.author or "-", requested_at=message.at,
        ))
    return sorted(found, key=lambda c: c.requested_at)
