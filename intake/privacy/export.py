"""One resident's data as a single JSON document (PIPL Art. 45, access and copy): everything the inventory
lists for their intake, decrypted, with who read it and what they consented to.

`EXPORTED` names the tables each section comes from and `WITHHELD` the intake's tables left out, with the
reason; `tests/intake/test_rights_export.py` checks that every table of the inventory that belongs to an
intake is one or the other.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any

EXPORTED = {
    "intake": ("intakes",), "answers": ("answers",), "attachments": ("attachments",),
    "transcript": ("transcripts", "transcript_lines"), "audit": ("audit_log",), "notes": ("notes",),
    "assignments": ("assignments",),
    "info_requests": ("info_requests",), "referrals": ("referrals", "referral_events"), "consents": ("consents",),
    "reads": ("access_log",), "return_visits": ("return_visits",), "rights_requests": ("rights_requests",),
    "thread": ("thread_messages",), "checklist": ("checklist_marks",),
}
WITHHELD = {
    "people": "keyed hashes of the ID numbers: they reveal nothing; the ID numbers themselves are in the answers",
    "search_terms": "keyed hashes of parts of the name and of the phone's last digits, for staff search: they reveal "
                    "nothing; the name and phone themselves are in the answers",
    "outbox": "the queue's bookkeeping: no personal data",
    "notices": "decision messages already sent to the resident; each decision and its reason are in `audit`",
}


def plain(value: Any) -> Any:
    """A record as JSON-safe data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


async def export_intake(*, store: Any, consents: Any, access: Any, rights: Any, intake_id: int,
                        now: datetime) -> dict[str, Any]:
    """Everything held about the intake `intake_id`, as one document (the files themselves are listed, not
    embedded: staff hand them over as copies)."""
    record = await store.get(intake_id)
    head = {name: getattr(record, name) for name in ("id", "channel", "locale", "status", "urgent", "created_at",
                                                     "submitted_at", "updated_at", "application", "prescreen",
                                                     "referral")}
    visits = [v for v in await store.return_visits(pending=False, limit=10_000) if v.intake_id == intake_id]
    return plain({
        "exported_at": now, "intake": head, "answers": record.answers, "attachments": record.attachments,
        "transcript": record.transcript, "audit": record.audit, "notes": record.notes,
        "assignments": await store.assignments(intake_id),
        "info_requests": record.info_requests, "referrals": await store.referrals(intake_id),
        "consents": await consents.of_intake(intake_id) if consents else [],
        "reads": await access.recent(intake_id=intake_id, limit=10_000) if access else [],
        "return_visits": visits, "rights_requests": await rights.of_intake(intake_id) if rights else [],
        "thread": await store.thread(intake_id), "checklist": list((await store.checklist_marks(intake_id)).values()),
    })
