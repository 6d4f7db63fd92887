"""A caseworker's actions on an intake: the store changes it, the queue lets go, the resident is told."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from dialogs.flows.hardship import REOPENABLE
from intake.console.answers import item_label
from intake.console.canned import compose
from intake.console.checklist import ChecklistItem, checklist, missing_note
from intake.console.context import ConsoleContext
from intake.errors import ConsentMissing, InvalidRequest
from intake.models import IntakeStatus, ReferralStatus, Role
from intake.queue.base import QueueEntry
from intake.store.consents import REFERRAL
from intake.store.records import IntakeRecord, ReturnVisitRecord
from intake.submission import file_visit
from knowledge.params import load_params

log = logging.getLogger(__name__)
CASEWORKERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.ADMIN})  # accounts that can be given intakes


def programme_name(match: dict[str, Any], locale: str) -> str:
    """A matched charity programme as the resident reads it: its name and who runs it."""
    name = (match.get("name") or {}).get(locale) or (match.get("name") or {}).get("zh") or match.get("programme", "")
    organisation = (match.get("organisation") or {}).get(locale) or (match.get("organisation") or {}).get("zh")
    if not organisation:
        return name
    return f"{name}（{organisation}）" if locale == "zh" else f"{name} ({organisation})"


def find_match(record: IntakeRecord, programme: str) -> dict[str, Any]:
    """The pre-screen's match for `programme`; a ValueError if the intake was not matched to it."""
    for match in (record.prescreen or {}).get("matches") or []:
        if match.get("programme") == programme:
            return match
    raise InvalidRequest(f"intake {record.id} has no match for programme {programme!r}")


class Decisions:
    """Every decision goes through here, so the console and the JSON API behave the same.

    Each method that changes what the resident should know returns whether they were told; a
    failed delivery never undoes the decision (the caseworker sees it and can call).
    """

    def __init__(self, ctx: ConsoleContext) -> None:
        self.ctx = ctx

    async def claim_next(self, worker: str) -> QueueEntry | None:
        """The next intake for `worker`, under a lease; one given to nobody becomes theirs."""
        entry = await self.ctx.queue.claim_next(worker)
        if entry is not None:
            await self.ctx.store.assign([entry.intake_id], worker, actor=worker, only_unassigned=True)
        return entry

    async def claim(self, intake_id: int, *, worker: str) -> QueueEntry:
        """A chosen intake for `worker`, under the same lease rules; one given to nobody becomes theirs."""
        entry = await self.ctx.queue.claim(intake_id, worker=worker)
        await self.ctx.store.assign([intake_id], worker, actor=worker, only_unassigned=True)
        return entry

    async def assign(self, intake_ids: list[int], *, actor: str, to: str, note: str = "") -> list[int]:
        """Give intakes to the caseworker named `to` ("" gives them back to the team), with a note; returns the
        ids that changed hands. Whoever holds one under a lease and gives it away lets go of it, so the new
        caseworker can take it."""
        if not intake_ids:
            raise InvalidRequest("choose the intakes to assign")
        if to:
            account = await self.ctx.store.get_user(to)
            if account is None or account.disabled or account.role not in CASEWORKERS:
                raise InvalidRequest(f"{to!r} is not a caseworker's account")
        changed = await self.ctx.store.assign(intake_ids, to or None, actor=actor, note=note)
        for intake_id in changed:
            record = await self.ctx.store.get(intake_id)
            holding = record.claimed_by == actor and record.lease_until is not None and record.status is IntakeStatus.CLAIMED
            if holding and to != actor:
                await self.release(intake_id, actor=actor, reason=f"handed over to {to or 'the team'}")
        return changed

    async def caseworkers(self) -> list[str]:
        """The names of accounts that can be given intakes."""
        return sorted(a.name for a in await self.ctx.store.list_users() if not a.disabled and a.role in CASEWORKERS)

    async def accept(self, intake_id: int, *, actor: str, reason: str = "") -> bool:
        """Accept for processing; `reason` is an optional word to the resident."""
        await self.ctx.store.accept(intake_id, actor=actor, reason=reason.strip() or None)
        return await self._decided(intake_id, "notify.accepted", reason.strip())

    async def reject(self, intake_id: int, *, actor: str, reason: str) -> bool:
        """Reject with a reason the resident will read."""
        await self.ctx.store.reject(intake_id, actor=actor, reason=reason.strip())
        return await self._decided(intake_id, "notify.rejected", reason.strip())

    async def refer(self, intake_id: int, *, actor: str, programme: str, reason: str = "") -> bool:
        """Refer the household to one of the matched charity programmes; the case goes on (accept or reject still open)."""
        record = await self.ctx.store.get(intake_id)
        match = find_match(record, programme)
        # nothing goes to a charity the resident has not agreed to, recipient by recipient (PIPL Art. 23)
        if self.ctx.consents is not None and not await self.ctx.consents.holds(intake_id, REFERRAL, programme):
            raise ConsentMissing(intake_id, REFERRAL, programme)
        await self.ctx.store.add_referral(intake_id, match, actor=actor, note=reason.strip())
        return await self._inform(record, "notify.referred", programme_name(match, record.locale))

    async def record_consent(self, intake_id: int, *, actor: str, purpose: str, granted: bool, method: str,
                             recipient: str | None = None) -> None:
        """Record a resident's yes or no that staff collected (by phone or at the counter); a referral's
        recipient must be one of the intake's matched programmes."""
        record = await self.ctx.store.get(intake_id)
        if purpose == REFERRAL:
            find_match(record, recipient or "")
        elif recipient:
            raise InvalidRequest("only a referral names a recipient")
        if self.ctx.consents is None:
            raise InvalidRequest("consents are not recorded here")
        await self.ctx.consents.record_for_intake(intake_id, purpose=purpose, recipient=recipient, granted=granted,
                                                  channel="console", method=method, collected_by=actor)

    async def record_referral(self, referral_id: int, *, actor: str, status: str, note: str = "", help: str = "",  # noqa: A002
                              amount: int | None = None) -> tuple[int, bool]:
        """Record a partner's answer to a referral; the resident is told. Returns (intake number, told)."""
        referral = await self.ctx.store.record_referral(referral_id, ReferralStatus(status), actor=actor, note=note,
                                                        help=help, amount=amount)
        record = await self.ctx.store.get(referral.intake_id)
        name = programme_name(referral.programme_doc, record.locale)
        what = {"accepted": name,
                "helped": f"{name}（{help.strip()}）" if record.locale != "en" else f"{name} ({help.strip()})",
                "declined": f"{name}，{note.strip()}" if record.locale != "en" else f"{name}, {note.strip()}"}
        return referral.intake_id, await self._inform(record, f"notify.referral_{referral.status.value}",
                                                      what[referral.status.value])

    async def close(self, intake_id: int, *, actor: str, reason: str) -> bool:
        """Close a decided intake, or one whose request for information went unanswered."""
        if not reason.strip():
            raise InvalidRequest("closing needs a reason")
        await self.ctx.store.close_intake(intake_id, actor=actor, reason=reason.strip())
        return await self._decided(intake_id, "notify.closed", reason.strip())

    async def request_info(self, intake_id: int, *, actor: str, items: list[str], note: str = "") -> bool:
        """Ask the resident for `items` again; their conversation reopens exactly those."""
        chosen = list(dict.fromkeys(i for i in items if i))
        unknown = [i for i in chosen if i not in REOPENABLE]
        if unknown or not chosen:
            raise InvalidRequest(f"choose items to ask for among {', '.join(REOPENABLE)}")
        await self.ctx.store.request_more_info(intake_id, chosen, actor=actor, message=note.strip() or None)
        await self._ack(intake_id)
        record = await self.ctx.store.get(intake_id)
        # the request is one kind of message in the thread: what was asked, in the resident's words, and the note
        asked = "、".join(item_label(i, record.locale) for i in chosen) if record.locale != "en" \
            else ", ".join(item_label(i, "en") for i in chosen)
        message_id = await self.ctx.store.add_staff_message(
            intake_id, author=actor, kind="request", text="\n".join(p for p in (asked, note.strip()) if p))
        try:
            return await self.ctx.contact.reopen(record, chosen, note.strip(),
                                                 kept=lambda notice: self.ctx.store.link_notice(message_id, notice))
        except Exception:
            log.exception("could not reopen the resident's conversation", extra={"intake_id": intake_id})
            return False

    async def send_message(self, intake_id: int, *, actor: str, text: str = "", canned: str = "") -> bool:
        """A caseworker's message (a canned reply in the resident's language, their own words, or both) on the
        resident's channel, kept in the thread with its delivery state; True if the channel took it now."""
        record = await self.ctx.store.get(intake_id)
        if not record.user_id:
            raise InvalidRequest(f"intake {intake_id} is anonymised: nobody to write to")
        body = compose(canned, text, record.locale)
        message_id = await self.ctx.store.add_staff_message(intake_id, author=actor, text=body)
        try:
            return await self.ctx.contact.message(record, body,
                                                  kept=lambda notice: self.ctx.store.link_notice(message_id, notice))
        except Exception:
            log.exception("could not send the caseworker's message", extra={"intake_id": intake_id})
            return False

    async def relay(self, intake_id: int, *, actor: str, text: str) -> None:
        """What a resident said on the phone, written into the thread by the staff member who took the call."""
        if not text.strip():
            raise InvalidRequest("a relayed message needs some text")
        await self.ctx.store.add_resident_message(intake_id, text=text, relayed_by=actor)

    async def checklist(self, intake_id: int) -> list[ChecklistItem]:
        """The intake's document checklist as it stands."""
        record = await self.ctx.store.get(intake_id)
        return checklist(record, await self.ctx.store.checklist_marks(intake_id))

    async def mark_item(self, intake_id: int, item: str, *, actor: str, state: str, file_id: str = "",
                        reason: str = "") -> None:
        """Mark a checklist item received (one of the intake's files), waived (why) or needed again."""
        record = await self.ctx.store.get(intake_id)
        if item not in {i.key for i in checklist(record, {})}:
            raise InvalidRequest(f"no checklist item {item!r} on intake {intake_id}")
        if file_id and file_id not in {a.file_id for a in record.attachments}:
            raise InvalidRequest("that file is not one of this intake's")
        await self.ctx.store.mark_item(intake_id, item, state=state, actor=actor, file_id=file_id or None,
                                       reason=reason)

    async def request_missing(self, intake_id: int, *, actor: str) -> bool:
        """A request for more information naming every missing checklist item, in the resident's language."""
        record = await self.ctx.store.get(intake_id)
        note = missing_note(checklist(record, await self.ctx.store.checklist_marks(intake_id)), record.locale)
        if not note:
            raise InvalidRequest("nothing on the checklist is missing")
        return await self.request_info(intake_id, actor=actor, items=["documents"], note=note)

    async def release(self, intake_id: int, *, actor: str, reason: str | None = None) -> None:
        """Give the intake back to the queue, in its old place."""
        await self.ctx.queue.release(intake_id, worker=actor, reason=reason or None)

    async def extend(self, intake_id: int, *, actor: str) -> datetime:
        """Renew the caseworker's lease while they work on the intake."""
        return await self.ctx.queue.extend(intake_id, worker=actor)

    async def note(self, intake_id: int, *, author: str, text: str) -> int:
        """Add a note for colleagues (never shown to the resident)."""
        return await self.ctx.store.add_note(intake_id, author=author, text=text.strip())

    async def _ack(self, intake_id: int) -> None:
        try:
            await self.ctx.queue.ack(intake_id)
        except Exception as error:  # noqa: BLE001 - SQL holds the decision; the queue catches up on its own
            log.warning("queue acknowledgement failed: %s", type(error).__name__, extra={"intake_id": intake_id})

    async def draw_sample(self, size: int, *, actor: str) -> tuple[str, list[int]]:
        """A random sample of closed cases for return calls."""
        return await self.ctx.store.draw_sample(size, actor=actor)

    async def record_visit(self, visit_id: int, *, actor: str, outcome: str, note: str = "") -> ReturnVisitRecord:
        """What a return call found; a household still in need is filed again from its last answers."""
        if outcome != "still_in_need":
            return await self.ctx.store.record_visit(visit_id, outcome, actor=actor, note=note)
        return await file_visit(self.ctx.store, visit_id, actor=actor, note=note,
                                params=self.ctx.params or load_params(), vault=self.ctx.store.vault)

    async def _inform(self, record: IntakeRecord, key: str, reason: str) -> bool:
        """News that is no decision on the intake (a referral's step): told, nothing ended."""
        try:
            await self.ctx.contact.tell(record, key, reason, final=False)
        except Exception:
            log.exception("could not tell the resident", extra={"intake_id": record.id})
            return False
        return True

    async def _decided(self, intake_id: int, key: str, reason: str) -> bool:
        await self._ack(intake_id)
        record = await self.ctx.store.get(intake_id)
        try:
            return await self.ctx.contact.tell(record, key, reason)
        except Exception:
            log.exception("could not tell the resident", extra={"intake_id": intake_id})
            return False
