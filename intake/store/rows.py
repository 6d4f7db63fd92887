"""Rows derived from an application record: answer items, the people index, attachments."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from intake.crypto import Vault
from intake.models import Answer, Person, StoredAttachment
from intake.store.answers import attachments, id_numbers


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
) -> None:
    """Record answered items with who entered them; earlier values stay as history."""
    rows = [
        {"intake_id": intake_id, "path": path, "value": vault.encrypt_json(value), "entered_by": entered_by, "entered_at": at}
        for path, value in items
    ]
    if rows:
        await conn.execute(insert(Answer), rows)


async def write_derived(
    conn: AsyncConnection, vault: Vault, intake_id: int, application: dict[str, Any], *, fresh: bool = False
) -> None:
    """Rewrite the people index and the attachment list of an intake (`fresh`: it has none yet)."""
    if not fresh:
        await conn.execute(delete(Person).where(Person.intake_id == intake_id))
        await conn.execute(delete(StoredAttachment).where(StoredAttachment.intake_id == intake_id))
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
