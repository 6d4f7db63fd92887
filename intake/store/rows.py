"""Rows derived from an application record: answer items, the people index, attachments, search terms,
queue columns."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from intake.household import household_size
from intake.crypto import Vault
from intake.models import Answer, Intake, Person, SearchTerm, StoredAttachment
from intake.store.answers import attachments, id_numbers
from intake.urgency import assess
from knowledge.params import PolicyParams, load_params


def user_key(vault: Vault, channel: str, user_id: str) -> str:
    """The look-up hash of a resident on a channel (a channel's user id may be a phone number)."""
    return vault.keyed_hash(f"user:{channel}\x00{user_id}")


async def write_items(
    conn: AsyncConnection,
    vault: Vault,
    intake_id: int,
    items: Iterable[tuple[str, Any]],
    *,
    entered_by: str | None,
    at: datetime,
    by_path: Mapping[str, str] | None = None,
) -> None:
    """Record answered items with who entered them (`by_path` first, else `entered_by`); earlier values stay as history."""
    by_path = by_path or {}
    rows = [
        {"intake_id": intake_id, "path": path, "value": vault.encrypt_json(value),
         "entered_by": by_path.get(path, entered_by), "entered_at": at}
        for path, value in items
    ]
    if rows:
        await conn.execute(insert(Answer), rows)


async def write_derived(
    conn: AsyncConnection, vault: Vault, intake_id: int, application: dict[str, Any], *, fresh: bool = False
) -> None:
    """Rewrite the people index, the attachment list and the search terms of an intake (`fresh`: it has
    none yet)."""
    if not fresh:
        for table in (Person, StoredAttachment, SearchTerm):
            await conn.execute(delete(table).where(table.intake_id == intake_id))
    terms = [{"intake_id": intake_id, "term": term} for term in sorted(search_hashes(vault, application))]
    if terms:
        await conn.execute(insert(SearchTerm), terms)
    people = [
        {"intake_id": intake_id, "role": role, "id_hash": vault.id_number_hash(number)}
        for role, number in id_numbers(application)
    ]
    if people:
        await conn.execute(insert(Person), people)
    files = [
        {
            "intake_id": intake_id,
            "file_id": str(file["file_id"]),
            "name": vault.encrypt_text(str(file.get("name") or "")),
            "content_type": str(file.get("content_type") or "application/octet-stream"),
            "size": int(file.get("size") or 0),
            "expense_index": index,
            "reading": vault.encrypt_json(file["reading"]) if isinstance(file.get("reading"), dict) else None,
        }
        for index, file in attachments(application)
    ]
    if files:
        await conn.execute(insert(StoredAttachment), files)


def overall_outcome(prescreen: dict[str, Any] | None) -> str | None:
    """The pre-screen in one word: met if any programme's rules are met, else unknown if any could not be told."""
    programmes = ((prescreen or {}).get("prescreen") or {}).get("programmes") or []
    outcomes = {p.get("outcome") for p in programmes if isinstance(p, dict)}
    for outcome in ("met", "unknown", "not_met"):
        if outcome in outcomes:
            return outcome
    return None


def queue_fields(vault: Vault, application: dict[str, Any], prescreen: dict[str, Any] | None,
                 params: PolicyParams) -> dict[str, Any]:
    """What the queue shows, filters and orders on, derived from the answers: columns of the intake row."""
    applicant = application.get("applicant") if isinstance(application.get("applicant"), dict) else {}
    name, phone = str(applicant.get("name") or "").strip(), str(applicant.get("phone") or "")
    urgency = assess(application, params)
    return {
        "urgency_score": urgency.score,
        "urgent": urgency.urgent,
        "urgency": vault.encrypt_json(urgency.to_dict()),
        "district": str(applicant.get("district"))[:32] if applicant.get("district") else None,
        "household_size": household_size(application),
        "outcome": overall_outcome(prescreen),
        "applicant_name": vault.encrypt_text(name) if name else None,
        "name_hash": name_hash(vault, name) if name else None,
        "phone_hash": phone_hash(vault, phone) if phone else None,
    }


def phone_hash(vault: Vault, phone: str) -> str:
    """The look-up hash of a phone number: digits only, the mainland prefix dropped, so 138… and +86 138… match."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return vault.keyed_hash("phone:" + digits)


def name_hash(vault: Vault, name: str) -> str:
    """The look-up hash of an applicant's name as written."""
    return vault.keyed_hash("name:" + name.strip())


NAME_PART_CHARS = 8  # the longest part of a name a search may give (a whole Chinese name fits)
NAME_CHARS = 30  # parts are taken from this much of a name


def name_key(text: str) -> str:
    """A name or part of one as searched: no spaces, any case (Sam Lee, samlee and SAM LEE are one)."""
    return "".join(text.split()).casefold()


def name_part_hash(vault: Vault, part: str) -> str:
    """The look-up hash of a part of a name (already `name_key`ed)."""
    return vault.keyed_hash("name-part:" + part)


def phone_tail_hash(vault: Vault, last_four: str) -> str:
    """The look-up hash of a phone number's last four digits."""
    return vault.keyed_hash("phone-tail:" + last_four)


def search_hashes(vault: Vault, application: dict[str, Any]) -> set[str]:
    """What a search may find this intake by, beyond its number and the whole name or phone: every part of
    the applicant's name up to `NAME_PART_CHARS` characters, and the phone's last four digits."""
    applicant = application.get("applicant") if isinstance(application.get("applicant"), dict) else {}
    name = name_key(str(applicant.get("name") or ""))[:NAME_CHARS]
    parts = {name[start:start + size]
             for size in range(1, NAME_PART_CHARS + 1) for start in range(len(name) - size + 1)}
    hashes = {name_part_hash(vault, part) for part in parts}
    digits = "".join(ch for ch in str(applicant.get("phone") or "") if ch.isdigit())
    if len(digits) >= 4:
        hashes.add(phone_tail_hash(vault, digits[-4:]))
    return hashes


async def write_queue_fields(conn: AsyncConnection, vault: Vault, intake_id: int, params: PolicyParams | None) -> None:
    """Derive the queue's columns of one intake again from its stored answers and pre-screen."""
    row = (await conn.execute(select(Intake.answers, Intake.prescreen).where(Intake.id == intake_id))).first()
    if row is None:
        return
    prescreen = None if row.prescreen is None else vault.decrypt_json(row.prescreen)
    fields = queue_fields(vault, vault.decrypt_json(row.answers), prescreen, params or load_params())
    await conn.execute(update(Intake).where(Intake.id == intake_id).values(**fields))
