"""The conversation thread of an intake, and the caseworkers' marks on its document checklist.

A staff message is kept with the notice that carries it (`bot.notices`): its delivery state is the notice's.
A resident's message after filing lands here and marks the intake 「居民有回复」 (`intakes.replied`) until a
caseworker answers or decides; a file the resident sends joins the intake's documents.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.crypto import Vault
from intake.errors import InvalidRequest
from intake.models import ChecklistMark, Intake, Notice, ThreadMessage
from intake.store.answers import DOCUMENTS
from intake.store.rows import write_derived
from intake.store.workflow import current_state

PHONE_CHANNELS = ("phone", "station")  # residents who called or came in: staff pass messages on by phone
MAX_MESSAGE = 2000  # characters of one message, either way
MARK_STATES = ("received", "waived", "needed")


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One message as the console shows it; `delivery` for a staff message: queued | sent | failed | read | relay."""

    id: int
    at: datetime
    sender: str  # staff | resident
    author: str | None
    kind: str  # message | request | file
    text: str
    file_id: str | None
    delivery: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "sender": self.sender, "author": self.author,
                "kind": self.kind, "text": self.text, "file_id": self.file_id, "delivery": self.delivery}


@dataclass(frozen=True, slots=True)
class Mark:
    """The latest mark on one checklist item."""

    item: str
    state: str
    file_id: str | None
    reason: str | None
    actor: str
    at: datetime


def delivery(read_at: datetime | None, notice: Any, *, relayed: bool = False) -> str:
    """What became of a staff message: read (where known), sent (its channel took it), failed (given up), queued;
    on the phone channels, where staff pass it on, relay until the resident's answer is written down."""
    if read_at is not None:
        return "read"
    if relayed:
        return "relay"
    if notice is None or notice.delivered_at is not None:
        return "sent" if notice is not None else "queued"
    return "queued" if notice.due_at is not None else "failed"


class SqlThread:
    """Thread messages and checklist marks (mixed into the SQL intake store)."""

    engine: AsyncEngine
    vault: Vault
    clock: Callable[[], datetime]

    async def add_staff_message(self, intake_id: int, *, author: str, text: str, kind: str = "message") -> int:
        """Keep a caseworker's message (before it is sent); a reply takes away the 「居民有回复」 mark."""
        text = text.strip()
        if not text or len(text) > MAX_MESSAGE:
            raise InvalidRequest(f"a message needs between 1 and {MAX_MESSAGE} characters")
        async with self.engine.begin() as conn:
            await current_state(conn, intake_id)
            message_id = (await conn.execute(insert(ThreadMessage).values(
                intake_id=intake_id, at=self.clock(), sender="staff", author=author, kind=kind,
                text=self.vault.encrypt_text(text)).returning(ThreadMessage.id))).scalar_one()
            if kind == "message":
                await conn.execute(update(Intake).where(Intake.id == intake_id).values(replied=False))
        return message_id

    async def link_notice(self, message_id: int, notice_id: int) -> None:
        """The notice that carries a staff message: its delivery state is the message's."""
        async with self.engine.begin() as conn:
            await conn.execute(update(ThreadMessage).where(ThreadMessage.id == message_id).values(notice_id=notice_id))

    async def add_resident_message(self, intake_id: int, *, text: str | None = None,
                                   files: list[dict[str, Any]] | None = None, relayed_by: str | None = None) -> None:
        """A resident's message (and files) after filing: in the thread, the intake marked 「居民有回复」,
        every staff message before it read; files join the intake's documents. `relayed_by`: the staff member
        who wrote down what the resident said on the phone."""
        now, files = self.clock(), [f for f in files or [] if f.get("file_id")]
        async with self.engine.begin() as conn:
            await current_state(conn, intake_id)
            rows = []
            if text and text.strip():
                rows.append({"kind": "message", "text": text.strip()[:MAX_MESSAGE], "file_id": None})
            rows += [{"kind": "file", "text": str(f.get("name") or "-"), "file_id": str(f["file_id"])} for f in files]
            if not rows:
                return
            await conn.execute(insert(ThreadMessage), [
                {"intake_id": intake_id, "at": now, "sender": "resident", "author": relayed_by, "kind": row["kind"],
                 "text": self.vault.encrypt_text(row["text"]), "file_id": row["file_id"]} for row in rows])
            values: dict[str, Any] = {"replied": True, "updated_at": now}
            if files:
                answers = (await conn.execute(select(Intake.answers).where(Intake.id == intake_id))).scalar_one()
                application = self.vault.decrypt_json(answers)
                kept = [{k: v for k, v in f.items() if k in ("file_id", "name", "content_type", "size")} for f in files]
                application[DOCUMENTS] = [*(application.get(DOCUMENTS) or []), *copy.deepcopy(kept)]
                values["answers"] = self.vault.encrypt_json(application)
                await write_derived(conn, self.vault, intake_id, application)
            await conn.execute(update(Intake).where(Intake.id == intake_id).values(**values))
            await conn.execute(update(ThreadMessage).where(
                ThreadMessage.intake_id == intake_id, ThreadMessage.sender == "staff",
                ThreadMessage.read_at.is_(None)).values(read_at=now))

    async def thread_read(self, user_key: str) -> int:
        """The resident's page took their waiting messages: every sent staff message to them is read."""
        now = self.clock()
        delivered = select(Notice.id).where(Notice.delivered_at.is_not(None))
        async with self.engine.begin() as conn:
            result = await conn.execute(update(ThreadMessage).where(
                ThreadMessage.intake_id.in_(select(Intake.id).where(Intake.user_key == user_key)),
                ThreadMessage.sender == "staff", ThreadMessage.read_at.is_(None),
                ThreadMessage.notice_id.in_(delivered)).values(read_at=now))
        return result.rowcount or 0

    async def awaiting_relay(self, limit: int = 500) -> list[tuple[int, ThreadEntry]]:
        """Caseworkers' messages to phone and station residents that staff have not passed on yet (no answer
        written down since): (intake number, the latest such message), the oldest first. A request for more
        information has its own call-back row."""
        query = select(ThreadMessage.intake_id, func.max(ThreadMessage.id).label("last")) \
            .join(Intake, Intake.id == ThreadMessage.intake_id) \
            .where(Intake.channel.in_(PHONE_CHANNELS), ThreadMessage.sender == "staff", ThreadMessage.kind == "message",
                   ThreadMessage.read_at.is_(None)).group_by(ThreadMessage.intake_id)
        async with self.engine.connect() as conn:
            latest = {row.last for row in (await conn.execute(query)).all()}
            rows = (await conn.execute(select(ThreadMessage.__table__).where(ThreadMessage.id.in_(latest))
                                       .order_by(ThreadMessage.id).limit(limit))).all() if latest else []
        return [(m.intake_id, ThreadEntry(m.id, m.at, m.sender, m.author, m.kind, self.vault.decrypt_text(m.text),
                                          m.file_id, "relay")) for m in rows]

    async def seen_replies(self, intake_id: int) -> None:
        """A caseworker read the resident's messages without answering: the 「居民有回复」 mark goes."""
        async with self.engine.begin() as conn:
            await current_state(conn, intake_id)
            await conn.execute(update(Intake).where(Intake.id == intake_id).values(replied=False))

    async def thread(self, intake_id: int) -> list[ThreadEntry]:
        """The intake's messages in order, each staff message with its delivery state."""
        query = select(*ThreadMessage.__table__.c, Notice.delivered_at, Notice.due_at, Notice.id.label("nid"),
                       Intake.channel) \
            .join(Intake, Intake.id == ThreadMessage.intake_id) \
            .outerjoin(Notice, Notice.id == ThreadMessage.notice_id) \
            .where(ThreadMessage.intake_id == intake_id).order_by(ThreadMessage.id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        out = []
        for m in rows:
            state = delivery(m.read_at, m if m.nid is not None else None,
                             relayed=m.channel.split(":")[0] in PHONE_CHANNELS) if m.sender == "staff" else None
            out.append(ThreadEntry(m.id, m.at, m.sender, m.author, m.kind, self.vault.decrypt_text(m.text),
                                   m.file_id, state))
        return out

    async def mark_item(self, intake_id: int, item: str, *, state: str, actor: str, file_id: str | None = None,
                        reason: str | None = None) -> None:
        """Mark a checklist item received (with its file), waived (with a reason) or needed again."""
        if state not in MARK_STATES:
            raise InvalidRequest(f"a checklist mark is one of {', '.join(MARK_STATES)}")
        if state == "waived" and not (reason or "").strip():
            raise InvalidRequest("waiving an item needs a reason")
        if state == "received" and not file_id:
            raise InvalidRequest("a received item names its file")
        async with self.engine.begin() as conn:
            await current_state(conn, intake_id)
            await conn.execute(insert(ChecklistMark).values(
                intake_id=intake_id, item=item[:64], state=state, file_id=file_id if state == "received" else None,
                reason=self.vault.encrypt_text(reason.strip()) if state == "waived" else None, actor=actor,
                at=self.clock()))

    async def checklist_marks(self, intake_id: int) -> dict[str, Mark]:
        """The latest mark per checklist item."""
        query = select(ChecklistMark.__table__).where(ChecklistMark.intake_id == intake_id).order_by(ChecklistMark.id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {r.item: Mark(r.item, r.state, r.file_id, self.vault.decrypt_text(r.reason) if r.reason else None,
                             r.actor, r.at) for r in rows}
