"""The runner: lock, load, run the engine, perform its effects, save. Every channel goes through it."""
from __future__ import annotations

import copy
import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from bot.conversation import ConversationKey
from bot.metrics import ANSWER_CONFIDENCE, SUBMISSIONS, TURNS
from bot.resume import unavailable as resume_unavailable
from bot.state.base import BaseStateStore
from dialogs.engine import Context, handle
from dialogs.events import (EarlierIntake, MoreInfoClosed, MoreInfoSaved, Repeat, RightsUnavailable, SubmitFailed,
                            Submitted)
from dialogs.flows.hardship import BY_ID
from dialogs.messages import (AnswerQuestion, Inbound, KeepResumeCode, RecordConsent, Reply, ResumeEffect,
                              RightsEffect, ShowStatus, Submit, SubmitMoreInfo, WriteToCaseworker)
from dialogs.receipts import takes_receipts, without_readings
from dialogs.resume import transcript_line
from dialogs.resume_codes import masked
from dialogs.state import upgrade
from dialogs.texts import t
from intake.errors import IntakeError
from intake.models import OFFICE_TIME
from intake.store import RESIDENT
from intake.store.answers import attribute
from intake.submission import file_application, return_answers
from knowledge.answerer import language_of
from knowledge.params import PolicyParams

log = logging.getLogger(__name__)


class Answerer(Protocol):
    async def answer(self, question: str, locale: str = "zh", *, more: bool = False) -> Any: ...


@dataclass(slots=True)
class Outcome:
    """What a channel shows after one turn."""

    replies: list[Reply]
    flow: str | None
    step: str | None
    intake_id: int | None
    asked: int

    def public_state(self) -> dict[str, Any]:
        return {"flow": self.flow, "step": self.step, "intake_id": self.intake_id}


class Runner:
    """Runs turns for every channel: lock, load, engine, effects, save. Filing belongs to `intake.submission`."""

    def __init__(self, *, states: BaseStateStore, intakes: Any, params: PolicyParams, vault: Any,
                 answerer: Answerer | None = None, default_locale: str = "zh",
                 today: Callable[[], date] = date.today, fault: Callable[[str], None] | None = None,
                 reading: Any = None, resume: Any = None, consents: Any = None, rights: Any = None) -> None:
        self.reading = reading  # a bot.reading.ReceiptReading: receipts read in the background, offered after
        self.resume = resume  # a bot.resume.ResumeDesk: resume codes made, found, checked
        self.rights = rights  # a bot.rights.ResidentRights: the chat's rights desk proves, shows, files
        self.consents = consents  # an intake.store.consents.ConsentLog: every yes or no recorded as a row
        self.states, self.intakes, self.params, self.vault = states, intakes, params, vault
        self.answerer, self.default_locale, self.today = answerer, default_locale, today
        # tests pass a hook that fails at a named point ("filed", "returned": the intake is written, the state not yet)
        self.fault = fault or (lambda point: None)

    def context(self, locale: str | None = None, channel: str | None = None) -> Context:
        return Context(today=self.today(), districts=self.params.city_districts,
                       default_locale=locale or self.default_locale, channel=channel)

    async def handle(self, key: ConversationKey, inbound: Inbound, *, locale: str | None = None,
                     message_id: str | None = None, client: str | None = None) -> Outcome:
        """One resident message in, the replies out; the state is saved before returning.

        `message_id` (chosen by the client) makes a resend harmless: a message already handled,
        sent again because its answer was lost, only gets the current question again. `client` names
        who sends the messages when the channel knows (`bot.resume.Guesser`): resume code guesses count there.
        """
        async with self.states.lock(key):
            state = upgrade(await self.states.get(key))
            reading = self.reading is not None and bool(inbound.attachments) and takes_receipts(state)
            if reading:  # said to be read now, offered once read (bot.reading)
                inbound = replace(inbound, data={**inbound.data, "reading": True})
            if message_id is not None and state is not None and state.get("message_id") == message_id:
                turn = handle(state, Inbound(event=Repeat()), self.context(locale, key.channel))
                return Outcome(turn.replies, state.get("flow"), state.get("step"), _intake_id(state),
                               state.get("asked", 0))
            before = state.get("step") if state else None
            said = _said(inbound, state)
            # who entered each answer (phone staff sharing a call) is noted by comparing the answers before
            entered = inbound.staff_id or (state or {}).get("entered_by")
            answers = copy.deepcopy(state.get("answers")) if entered and state else None
            # the state was just loaded for this turn alone: the engine may change it in place (no copy)
            turn = handle(state, inbound, self.context(locale, key.channel), owned=True)
            if entered:
                attribute(turn.state.setdefault("entered_by", {}), answers, turn.state.get("answers"),
                          inbound.staff_id)
                if not turn.state["entered_by"]:
                    del turn.state["entered_by"]
            replies, filed = await self._perform(key, turn, inbound, client)
            if message_id is not None:
                turn.state["message_id"] = message_id
            # the turn's one write: its state and every line of it, committed before the answer goes out
            lines = [said] if said else []
            lines.extend(("bot", masked(reply.text), None) for reply in replies)
            await self.states.commit(key, turn.state, lines, intake_id=filed)
        if reading:
            self.reading.start(key, inbound.attachments)
        TURNS.labels(channel=key.channel.split(":")[0], moved=str(before != turn.state.get("step")).lower()).inc()
        state = turn.state
        return Outcome(replies, state.get("flow"), state.get("step"), _intake_id(state), state.get("asked", 0))

    async def stops(self) -> dict[int, int]:
        """How many unfinished applications stand in each section: where residents stop."""
        counts: dict[int, int] = {}
        async for state in self.states.states():
            step = BY_ID.get(state.get("step") or "") if state.get("flow") == "hardship" else None
            if step is not None and step.section > 0:
                counts[step.section] = counts.get(step.section, 0) + 1
        return counts

    async def feed(self, key: ConversationKey, inbound: Inbound) -> list[Reply]:
        """Feed a system event (e.g. a caseworker's request) to a conversation; returns the replies."""
        return (await self.handle(key, inbound)).replies

    async def _perform(self, key: ConversationKey, turn, inbound: Inbound,
                       client: str | None = None) -> tuple[list[Reply], int | None]:
        """Carry out the engine's effects; results come back as replies or as events to the engine. Returns
        the replies and the intake this turn filed, if any."""
        before: list[Reply] = []
        after: list[Reply] = []
        filed = saved = None
        if any(isinstance(effect, (Submit, SubmitMoreInfo)) for effect in turn.effects):
            # filing checkpoints the state as it stood before this turn: read again, nothing is written yet
            saved = upgrade(await self.states.get(key))
        ctx = self.context(turn.state.get("locale"), key.channel)
        for effect in turn.effects:
            if isinstance(effect, AnswerQuestion):
                before.extend(await self._answer(effect))
            elif isinstance(effect, ShowStatus):
                before.append(await self._status(key, effect.locale, filling=effect.filling))  # then the question
            elif isinstance(effect, Submit):
                filed, replies = await self._submit(key, turn, effect, inbound, ctx, saved or {})
                after.extend(replies)
            elif isinstance(effect, SubmitMoreInfo):
                event = await self._return_more_info(key, effect, inbound, saved or {})
                follow = handle(turn.state, Inbound(event=event), ctx, owned=True)
                turn.state = follow.state
                turn.state.pop("submission", None)
                after.extend(follow.replies)
            elif isinstance(effect, RecordConsent):
                await self._record_consent(key, effect, inbound)
            elif isinstance(effect, WriteToCaseworker):
                after.append(await self._write_to_caseworker(effect, inbound.staff_id))
            elif isinstance(effect, ResumeEffect):
                follow = await self.resume.perform(key, turn.state, effect, ctx, staff_id=inbound.staff_id,
                                                   client=client) if self.resume is not None else resume_unavailable(turn.state, ctx)
                turn.state = follow.state
                # a new code is said before the next question; what a typed code found is the turn's answer
                (before if isinstance(effect, KeepResumeCode) else after).extend(follow.replies)
            elif isinstance(effect, RightsEffect):
                if self.rights is None:
                    follow = handle(turn.state, Inbound(event=RightsUnavailable()), ctx)
                else:
                    follow = await self.rights.perform(key, turn.state, effect, ctx, client=client,
                                                       staff_id=inbound.staff_id)
                if isinstance(follow, list):  # the resident's data, shown before the desk's menu
                    before.extend(follow)
                else:
                    turn.state = follow.state
                    after.extend(follow.replies)
        return before + turn.replies + after, filed

    async def _record_consent(self, key: ConversationKey, effect: RecordConsent, inbound: Inbound) -> None:
        """One yes or no, recorded before the turn answers: by the resident, or by staff for a caller."""
        if self.consents is None:
            return
        await self.consents.record(subject=key.hashed(self.vault), purpose=effect.purpose, granted=effect.granted,
                                   notice_version=effect.notice_version, channel=key.channel,
                                   method="phone" if inbound.staff_id else "chat",
                                   collected_by=inbound.staff_id or RESIDENT)

    async def _write_to_caseworker(self, effect: WriteToCaseworker, staff_id: str | None = None) -> Reply:
        """Keep the resident's message or files in the intake's thread (typed by staff for a caller: relayed by
        them); say whether it reached the caseworkers."""
        try:
            await self.intakes.add_resident_message(effect.intake_id, text=effect.text, files=list(effect.files),
                                                    relayed_by=staff_id)
        except Exception as error:  # noqa: BLE001 - the resident is told to send again; nothing else is lost
            log.warning("a resident's message could not be kept: %s", type(error).__name__,
                        extra={"intake_id": effect.intake_id})
            return Reply(t(effect.locale, "thread.failed"))
        if effect.files:
            return Reply(t(effect.locale, "thread.files_sent", n=effect.intake_id, count=len(effect.files)))
        return Reply(t(effect.locale, "thread.sent", n=effect.intake_id))

    async def _return_more_info(self, key: ConversationKey, effect: SubmitMoreInfo, inbound: Inbound,
                                saved: dict) -> MoreInfoSaved | MoreInfoClosed:
        """Put the answers back into the same intake (`intake.submission`); the event says how it went."""
        submission = await self._submission_key(key, {"intake_id": effect.intake_id, "answers": effect.answers}, saved)
        try:
            await return_answers(self.intakes, effect.intake_id, effect.answers, params=self.params, vault=self.vault,
                                 channel=key.channel, user_id=key.user_id, submission_key=submission["key"],
                                 staff_id=inbound.staff_id)
        except IntakeError:
            # decided or closed while the resident was answering: nothing is waiting for these answers
            return MoreInfoClosed(effect.intake_id)
        self.fault("returned")
        return MoreInfoSaved(effect.intake_id)

    async def _answer(self, effect: AnswerQuestion) -> list[Reply]:
        if self.answerer is None:
            return [Reply(t(effect.locale, "answer.unavailable"))]
        answer = await self.answerer.answer(effect.question, effect.locale, more=effect.more)
        ANSWER_CONFIDENCE.observe(1.0 if answer.confident else 0.0)
        if answer.longer:  # the short answer first; the rest when the resident asks (every channel alike)
            # in the answer's language: an English question in a Chinese conversation is answered in English
            return [Reply(answer.text + "\n" + t(language_of(effect.question, effect.locale), "answer.more"))]
        return [Reply(answer.text)]  # it ends with its sources; the engine's next question says it returns to it

    async def _status(self, key: ConversationKey, locale: str, *, filling: bool = False) -> Reply:
        records = await self.intakes.list_for_user(key.channel, key.user_id)
        if not records:
            return Reply(t(locale, "status.filling" if filling else "status.none"))
        lines = [t(locale, "status.title")]
        for record in records:
            submitted = record.submitted_at.astimezone(OFFICE_TIME).date().isoformat() if record.submitted_at else "-"
            lines.append(t(locale, "status.line", n=record.id, status=t(locale, f"status.{record.status}"),
                           date=submitted))
        return Reply("\n".join(lines))

    async def _submission_key(self, key: ConversationKey, filing: dict[str, Any], saved: dict) -> dict[str, str]:
        """The key that makes filing these answers idempotent: saved with the conversation before the
        write, so confirming again after a crash or a lost reply finds what was filed. What receipts
        read later does not make the same answers another filing."""
        digest = hashlib.sha256(BaseStateStore.dumps(without_readings(filing))).hexdigest()
        submission = saved.get("submission")
        if not submission or submission.get("digest") != digest:
            submission = {"key": uuid.uuid4().hex, "digest": digest}
            # the state as it stood before this confirm: after a crash the resident confirms again
            await self.states.checkpoint(key, {**saved, "submission": submission})
        return submission

    async def _submit(self, key: ConversationKey, turn, effect: Submit, inbound: Inbound, ctx: Context,
                      saved: dict) -> tuple[int | None, list[Reply]]:
        """File the application once. The submission key is saved with the conversation before the
        write, so confirming again after a crash or a lost reply returns the same intake."""
        submission = await self._submission_key(key, effect.application, saved)
        try:
            filed = await file_application(
                self.intakes, effect.application, params=self.params, vault=self.vault, channel=key.channel,
                user_id=key.user_id, locale=effect.locale, submission_key=submission["key"],
                staff_id=inbound.staff_id, answer_staff=turn.state.get("entered_by"))
        except Exception:
            # the resident's answers and the key stay in the state; confirming again files once
            log.exception("submitting an intake failed", extra={"channel": key.channel})
            turn.state["submission"] = submission
            follow = handle(turn.state, Inbound(event=SubmitFailed()), ctx, owned=True)
            turn.state = follow.state
            return None, follow.replies
        self.fault("filed")
        if self.consents is not None:  # the consents given so far belong to this intake (again, on a retry)
            await self.consents.link(key.hashed(self.vault), filed.intake_id)
        SUBMISSIONS.labels(channel=key.channel.split(":")[0]).inc()
        follow = handle(turn.state, Inbound(event=Submitted(
            filed.intake_id, filed.resident_summary(effect.locale),
            tuple(EarlierIntake(d["intake_id"], d["name"]) for d in filed.own_earlier))), ctx, owned=True)
        turn.state = follow.state
        turn.state.pop("submission", None)
        turn.state.pop("entered_by", None)
        return filed.intake_id, follow.replies


def _intake_id(state: dict[str, Any]) -> int | None:
    """The intake a conversation shows: the one just filed, or the one whose request is being answered."""
    return state.get("intake_id") if state.get("flow") is None else (state.get("reopen") or {}).get("intake_id")


def _said(inbound: Inbound, state: dict[str, Any] | None) -> tuple[str, str, str | None] | None:
    """The transcript line of what the resident (or staff for a caller) sent, if anything (a resume code
    or the digits that unlock it hidden)."""
    if inbound.event:
        return None
    said = inbound.text or inbound.option or (inbound.command and f"/{inbound.command}") or \
        (inbound.attachments and f"[{len(inbound.attachments)} file(s)]") or None
    if not said:
        return None
    return ("staff" if inbound.staff_id else "resident", transcript_line(state, said), inbound.staff_id)
