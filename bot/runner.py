"""The runner: lock, load, run the engine, perform its effects, save. Every channel goes through it."""
from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from bot.conversation import ConversationKey
from bot.metrics import ANSWER_CONFIDENCE, SUBMISSIONS, TURNS
from bot.state.base import BaseStateStore
from dialogs import application as household
from dialogs.engine import Context, handle
from dialogs.flows.hardship import BY_ID
from dialogs.messages import AnswerQuestion, Inbound, Reply, ShowStatus, Submit, SubmitMoreInfo
from dialogs.texts import t
from intake.charity import match_programmes
from intake.eligibility import prescreen, resident_summary
from intake.errors import IntakeError
from intake.store.answers import attribute
from knowledge.params import PolicyParams

log = logging.getLogger(__name__)
TRANSCRIPT_LIMIT = 400  # entries kept per conversation; older ones are dropped first
TRANSCRIPT_TEXT = 1000  # characters kept per entry


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
    """Runs turns for every channel against one engine, one state store and one intake store."""

    def __init__(self, *, states: BaseStateStore, intakes: Any, params: PolicyParams, vault: Any,
                 answerer: Answerer | None = None, default_locale: str = "zh",
                 today: Callable[[], date] = date.today) -> None:
        self.states, self.intakes, self.params, self.vault = states, intakes, params, vault
        self.answerer, self.default_locale, self.today = answerer, default_locale, today

    def context(self, locale: str | None = None) -> Context:
        return Context(today=self.today(), districts=self.params.city_districts,
                       default_locale=locale or self.default_locale)

    async def handle(self, key: ConversationKey, inbound: Inbound, *, locale: str | None = None) -> Outcome:
        """One resident message in, the replies out; the state is saved before returning."""
        async with self.states.lock(key):
            state = await self.states.get(key)
            # the transcript rides along in the saved state but is none of the engine's business
            transcript = state.pop("transcript", []) if state else []
            # who entered each answer (phone staff sharing a call), by record path; the resident is the default
            entered = state.pop("entered_by", {}) if state else {}
            before = state.get("step") if state else None
            answers_before = copy.deepcopy(state.get("answers")) if state else None
            turn = handle(state, inbound, self.context(locale))
            attribute(entered, answers_before, turn.state.get("answers"), inbound.staff_id)
            replies = await self._perform(key, turn, inbound, transcript, entered)
            _record(transcript, inbound, replies)
            turn.state["transcript"] = transcript
            if entered:
                turn.state["entered_by"] = entered
            await self.states.set(key, turn.state)
        TURNS.labels(channel=key.channel.split(":")[0], moved=str(before != turn.state.get("step")).lower()).inc()
        state = turn.state
        intake_id = state.get("intake_id") if state.get("flow") is None else (state.get("reopen") or {}).get("intake_id")
        return Outcome(replies, state.get("flow"), state.get("step"), intake_id, state.get("asked", 0))

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

    async def _perform(self, key: ConversationKey, turn, inbound: Inbound, transcript: list,
                       entered: dict[str, str]) -> list[Reply]:
        """Carry out the engine's effects; results come back as replies or as events to the engine."""
        before: list[Reply] = []
        after: list[Reply] = []
        ctx = self.context(turn.state.get("locale"))
        for effect in turn.effects:
            if isinstance(effect, AnswerQuestion):
                before.extend(await self._answer(effect))
            elif isinstance(effect, ShowStatus):
                after.append(await self._status(key, effect.locale))
            elif isinstance(effect, Submit):
                after.extend(await self._submit(key, turn, effect, inbound, ctx, transcript, entered))
            elif isinstance(effect, SubmitMoreInfo):
                event = await self._return_more_info(key, effect, inbound)
                follow = handle(turn.state, Inbound(event=event, data={"intake_id": effect.intake_id}), ctx)
                turn.state = follow.state
                after.extend(follow.replies)
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
        screen = prescreen(record.application, self.params)
        stored = dict(record.prescreen or {})
        stored.update(prescreen=screen.to_dict(),
                      matches=[m.to_dict() for m in match_programmes(record.application, screen)])
        await self.intakes.set_prescreen(effect.intake_id, stored, urgent=household.is_urgent(record.application))
        return "more_info_saved"

    async def _answer(self, effect: AnswerQuestion) -> list[Reply]:
        if self.answerer is None:
            return [Reply(t(effect.locale, "answer.unavailable"))]
        answer = await self.answerer.answer(effect.question, effect.locale)
        ANSWER_CONFIDENCE.observe(1.0 if answer.confident else 0.0)
        text = answer.text
        if answer.sources:
            titles = "；".join(dict.fromkeys(source.title for source in answer.sources))
            text += "\n" + t(effect.locale, "answer.sources", titles=titles)
        return [Reply(text), Reply(t(effect.locale, "answer.back"))]

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
                      transcript: list, entered: dict[str, str]) -> list[Reply]:
        application = effect.application
        screen = prescreen(application, self.params)
        matches = match_programmes(application, screen)
        duplicates = await self._duplicates(application)
        try:
            intake_id = await self.intakes.submit(
                application, channel=key.channel, user_id=key.user_id, locale=effect.locale,
                transcript=list(transcript), staff_id=inbound.staff_id, answer_staff=dict(entered),
                prescreen={"prescreen": screen.to_dict(), "matches": [m.to_dict() for m in matches],
                           "duplicates": duplicates},
                urgent=household.is_urgent(application))
        except Exception:
            # the resident's answers stay in the state; they can confirm again
            log.exception("submitting an intake failed", extra={"channel": key.channel})
            follow = handle(turn.state, Inbound(event="submit_failed"), ctx)
            turn.state = follow.state
            return follow.replies
        SUBMISSIONS.labels(channel=key.channel.split(":")[0]).inc()
        follow = handle(turn.state, Inbound(event="submitted", data={"intake_id": intake_id}), ctx)
        turn.state = follow.state
        transcript.clear()
        entered.clear()
        replies = list(follow.replies)
        # a resident hears only of their own applications: an ID number typed in must not reveal
        # whether someone else has applied; caseworkers see every match
        mine = {record.id for record in await self.intakes.list_for_user(key.channel, key.user_id)}
        for duplicate in duplicates:
            if duplicate["intake_id"] in mine and duplicate["intake_id"] != intake_id:
                replies.append(Reply(t(effect.locale, "duplicate.notice", n=duplicate["intake_id"],
                                       name=duplicate["name"])))
        replies.append(Reply(resident_summary(screen, matches, effect.locale)))
        return replies

    async def _duplicates(self, application: dict[str, Any]) -> list[dict[str, Any]]:
        """People of this application already in an open or recently recognised intake."""
        hashes = {self.vault.id_number_hash(person["id_number"]): person.get("name") or ""
                  for person in household.people(application) if isinstance(person.get("id_number"), str)}
        if not hashes:
            return []
        months = int(self.params.value("duplicate_lookback_months"))
        since = datetime.now(timezone.utc) - timedelta(days=months * 31)
        found = await self.intakes.people_in_intakes(list(hashes), since)
        seen: dict[int, dict[str, Any]] = {}
        for match in found:
            seen.setdefault(match.intake_id, {"intake_id": match.intake_id, "status": str(match.status),
                                              "name": hashes.get(match.id_hash, "")})
        return list(seen.values())


def _record(transcript: list[dict[str, str]], inbound: Inbound, replies: list[Reply]) -> None:
    """Keep the conversation's transcript, for the caseworker to read with the intake."""
    said = inbound.text or inbound.option or (inbound.command and f"/{inbound.command}") or \
        (inbound.attachments and f"[{len(inbound.attachments)} file(s)]") or None
    if said and not inbound.event:
        transcript.append({"who": "staff" if inbound.staff_id else "resident", "text": said[:TRANSCRIPT_TEXT]})
    transcript.extend({"who": "bot", "text": reply.text[:TRANSCRIPT_TEXT]} for reply in replies)
    del transcript[:-TRANSCRIPT_LIMIT]
