"""The runner: lock, load, run the engine, perform its effects, save. Every channel goes through it."""
from __future__ import annotations

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
from intake import household
from dialogs.engine import Context, handle
from dialogs.flows.hardship import BY_ID
from dialogs.messages import (AnswerQuestion, Inbound, KeepResumeCode, Reply, ResumeEffect, ShowStatus, Submit,
                              SubmitMoreInfo)
from dialogs.receipts import takes_receipts, without_readings
from dialogs.resume import transcript_line
from dialogs.resume_codes import masked
from dialogs.state import upgrade
from dialogs.texts import t
from intake.errors import IntakeError
from intake.store.answers import attribute
from intake.store.transcripts import TranscriptLog
from intake.submission import file_application, screen_application
from knowledge.params import PolicyParams

log = logging.getLogger(__name__)


class Answerer(Protocol):
    async def answer(self, question: str, locale: str = "zh") -> Any: ...


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
                 transcripts: TranscriptLog, answerer: Answerer | None = None, default_locale: str = "zh",
                 today: Callable[[], date] = date.today, fault: Callable[[str], None] | None = None,
                 reading: Any = None, resume: Any = None) -> None:
        self.reading = reading  # a bot.reading.ReceiptReading: receipts read in the background, offered after
        self.resume = resume  # a bot.resume.ResumeDesk: resume codes made, found, checked
        self.states, self.intakes, self.params, self.vault = states, intakes, params, vault
        self.transcripts = transcripts
        self.answerer, self.default_locale, self.today = answerer, default_locale, today
        # tests pass a hook that fails at a named point ("filed": the intake is written, the state not yet)
        self.fault = fault or (lambda point: None)

    def context(self, locale: str | None = None, channel: str | None = None) -> Context:
        return Context(today=self.today(), districts=self.params.city_districts,
                       default_locale=locale or self.default_locale, channel=channel)

    async def handle(self, key: ConversationKey, inbound: Inbound, *, locale: str | None = None,
                     message_id: str | None = None) -> Outcome:
        """One resident message in, the replies out; the state is saved before returning.

        `message_id` (chosen by the client) makes a resend harmless: a message already handled,
        sent again because its answer was lost, only gets the current question again.
        """
        conversation = key.hashed(self.vault)
        async with self.states.lock(key):
            state = upgrade(await self.states.get(key))
            reading = self.reading is not None and bool(inbound.attachments) and takes_receipts(state)
            if reading:  # said to be read now, offered once read (bot.reading)
                inbound = replace(inbound, data={**inbound.data, "reading": True})
            if message_id is not None and state is not None and state.get("message_id") == message_id:
                turn = handle(state, Inbound(event="repeat"), self.context(locale, key.channel))
                return Outcome(turn.replies, state.get("flow"), state.get("step"), _intake_id(state),
                               state.get("asked", 0))
            before = state.get("step") if state else None
            said = _said(inbound, state)
            if said:
                self.transcripts.append(conversation, [said])
            turn = handle(state, inbound, self.context(locale, key.channel))  # works on its own copy of `state`
            if inbound.staff_id or turn.state.get("entered_by"):
                # who entered each answer (phone staff sharing a call), by record path; the resident is the default
                attribute(turn.state.setdefault("entered_by", {}), state and state.get("answers"),
                          turn.state.get("answers"), inbound.staff_id)
                if not turn.state["entered_by"]:
                    del turn.state["entered_by"]
            replies = await self._perform(key, turn, inbound, state)
            if message_id is not None:
                turn.state["message_id"] = message_id
            await self.states.set(key, turn.state)
        if reading:
            self.reading.start(key, inbound.attachments)
        self.transcripts.append(conversation, [("bot", masked(reply.text), None) for reply in replies])
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

    async def _perform(self, key: ConversationKey, turn, inbound: Inbound, saved: dict | None) -> list[Reply]:
        """Carry out the engine's effects; results come back as replies or as events to the engine."""
        before: list[Reply] = []
        after: list[Reply] = []
        ctx = self.context(turn.state.get("locale"), key.channel)
        for effect in turn.effects:
            if isinstance(effect, AnswerQuestion):
                before.extend(await self._answer(effect))
            elif isinstance(effect, ShowStatus):
                before.append(await self._status(key, effect.locale))  # then the question again, last
            elif isinstance(effect, Submit):
                after.extend(await self._submit(key, turn, effect, inbound, ctx, saved or {}))
            elif isinstance(effect, SubmitMoreInfo):
                event = await self._return_more_info(key, effect, inbound)
                follow = handle(turn.state, Inbound(event=event, data={"intake_id": effect.intake_id}), ctx)
                turn.state = follow.state
                after.extend(follow.replies)
            elif isinstance(effect, ResumeEffect):
                follow = await self.resume.perform(key, turn.state, effect, ctx, staff_id=inbound.staff_id) \
                    if self.resume is not None else resume_unavailable(turn.state, ctx)
                turn.state = follow.state
                # a new code is said before the next question; what a typed code found is the turn's answer
                (before if isinstance(effect, KeepResumeCode) else after).extend(follow.replies)
        return before + turn.replies + after

    async def _return_more_info(self, key: ConversationKey, effect: SubmitMoreInfo, inbound: Inbound) -> str:
        """Put the answers back into the same intake and screen it again; the event says how it went."""
        try:
            await self.intakes.return_more_info(effect.intake_id, effect.answers, staff_id=inbound.staff_id,
                                                channel=key.channel, user_id=key.user_id)
        except IntakeError:
            # decided or closed while the resident was answering: nothing is waiting for these answers
            return "more_info_closed"
        record = await self.intakes.get(effect.intake_id)
        stored = dict(record.prescreen or {})
        stored.update(screen_application(record.application, self.params))
        await self.intakes.set_prescreen(effect.intake_id, stored, urgent=household.is_urgent(record.application))
        return "more_info_saved"

    async def _answer(self, effect: AnswerQuestion) -> list[Reply]:
        if self.answerer is None:
            return [Reply(t(effect.locale, "answer.unavailable"))]
        answer = await self.answerer.answer(effect.question, effect.locale)
        ANSWER_CONFIDENCE.observe(1.0 if answer.confident else 0.0)
        text = answer.text
        titles = [title for title in dict.fromkeys(source.title for source in answer.sources) if title not in text]
        if titles:  # the answer names its sources; only those it did not name are added
            text += "\n" + t(effect.locale, "answer.sources", titles="；".join(titles))
        return [Reply(text)]  # the engine's next question says it returns to it

    async def _status(self, key: ConversationKey, locale: str) -> Reply:
        records = await self.intakes.list_for_user(key.channel, key.user_id)
        if not records:
            return Reply(t(locale, "status.none"))
        lines = [t(locale, "status.title")]
        for record in records:
            submitted = record.submitted_at.date().isoformat() if record.submitted_at else "-"
            lines.append(t(locale, "status.line", n=record.id, status=t(locale, f"status.{record.status}"),
                           date=submitted))
        return Reply("\n".join(lines))

    async def _submit(self, key: ConversationKey, turn, effect: Submit, inbound: Inbound, ctx: Context,
                      saved: dict) -> list[Reply]:
        """File the application once. The submission key is saved with the conversation before the
        write, so confirming again after a crash or a lost reply returns the same intake."""
        digest = hashlib.sha256(BaseStateStore.dumps(without_readings(effect.application))).hexdigest()
        submission = saved.get("submission")
        if not submission or submission.get("digest") != digest:
            submission = {"key": uuid.uuid4().hex, "digest": digest}
            # the state as it stood before this confirm: after a crash the resident confirms again
            await self.states.checkpoint(key, {**saved, "submission": submission})
        await self.transcripts.flush()
        try:
            filed = await file_application(
                self.intakes, effect.application, params=self.params, vault=self.vault, channel=key.channel,
                user_id=key.user_id, locale=effect.locale, submission_key=submission["key"],
                staff_id=inbound.staff_id, answer_staff=turn.state.get("entered_by"))
        except Exception:
            # the resident's answers and the key stay in the state; confirming again files once
            log.exception("submitting an intake failed", extra={"channel": key.channel})
            turn.state["submission"] = submission
            follow = handle(turn.state, Inbound(event="submit_failed"), ctx)
            turn.state = follow.state
            return follow.replies
        self.fault("filed")
        SUBMISSIONS.labels(channel=key.channel.split(":")[0]).inc()
        follow = handle(turn.state, Inbound(event="submitted", data={
            "intake_id": filed.intake_id, "summary": filed.resident_summary(effect.locale),
            "earlier": [{"n": d["intake_id"], "name": d["name"]} for d in filed.own_earlier]}), ctx)
        turn.state = follow.state
        turn.state.pop("submission", None)
        turn.state.pop("entered_by", None)
        return follow.replies


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
