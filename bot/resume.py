"""Resume codes at work: the runner's effects `KeepResumeCode`, `FindResume` and `CheckResume`, and the phone
desk opening a caller's conversation by code.

When the digits are right the conversation moves: the application state is written under the new
conversation first, then the code, the intakes filed from the old conversation and its unfiled
transcript lines point at the new one (one transaction, audited), then the old conversation is left idle
with a note that the application went on elsewhere, and the messages waiting in its mailbox are shown
here. The old device therefore keeps no copy that could drift apart; typing the code there moves it back.
"""
from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from bot.conversation import ConversationKey
from bot.state.base import BaseStateStore
from dialogs.engine import Context, handle
from dialogs.events import (ResumeCode, ResumeEvent, ResumeFound, ResumeHere, ResumeLocked, ResumeOk,
                            ResumeUnavailable, ResumeWrong)
from dialogs.messages import FindResume, Inbound, KeepResumeCode, Reply, ResumeEffect, Turn
from dialogs.resume_codes import masked, shown
from dialogs.state import new_state, upgrade
from intake.store import RESIDENT
from intake.store.attempts import Attempt
from intake.store.resume import CheckStatus, Holder, ResumeCodes

# Guesses are limited per guesser, never per code: a stranger cannot lock a resident out of their code.
GUESS_WINDOW = timedelta(hours=1)
CODES = 10  # codes one conversation may type in the window
DIGITS = 5  # digits one conversation may try in the window
CLIENT = 30  # codes and digits together from one client (a web chat address, an API channel's token)
LOCK_WAIT = 10.0  # seconds to wait for the old conversation's turn to finish (two moves crossing give up)


class Attempts(Protocol):
    """Attempts counted per key in a window shared by every process (`SqlAttempts`, `RedisAttempts`)."""

    async def hit(self, key: str) -> Attempt: ...


@dataclass(frozen=True, slots=True)
class Guesser:
    """Who types a code or its digits: the conversation, and the client behind it when the channel knows one
    (`address:<ip>` on the web chat, `token:<channel>` on the HTTP chat API, whose user ids the client picks)."""

    conversation: str  # keyed hash
    client: str | None = None


@dataclass(frozen=True, slots=True)
class Proof:
    """How a code and its digits went: the conversation they open, or the tries left, or how long to wait
    (`many`: the client typed too many codes and digits altogether)."""

    holder: Holder | None = None
    left: int = 0
    wait: timedelta | None = None
    many: bool = False


class ResumeDesk:
    """Makes, finds and checks codes, and moves a conversation to where its code was typed.

    Until the digits are right a code answers the same whether it exists or not: any code typed asks for
    the digits, and wrong digits of a code that does not exist are "wrong" like any others.
    """

    def __init__(self, *, codes: ResumeCodes, states: BaseStateStore, mailbox: Any,
                 web_url: str, attempts: Attempts) -> None:
        self.codes, self.states, self.mailbox = codes, states, mailbox
        self.web_url = web_url.rstrip("/")
        self.attempts = attempts

    def link(self, code: str) -> str:
        """The web chat link that opens with the code typed (a fragment: it never reaches a server log)."""
        return f"{self.web_url}/chat#resume={shown(code)}"

    async def perform(self, key: ConversationKey, state: dict[str, Any], effect: ResumeEffect, ctx: Context,
                      *, staff_id: str | None = None, client: str | None = None) -> Turn:
        """Carry out one effect inside `key`'s turn; the engine's answer to it (its state replaces the turn's).

        `client` names who sends the conversation's messages, when the channel knows (see `Guesser`)."""
        if isinstance(effect, KeepResumeCode):
            code, new = await self.codes.keep(key.channel, key.user_id, effect.digits, effect.code)
            return self._event(state, ResumeCode(code, self.link(code), new), ctx)
        if isinstance(effect, FindResume):
            guesser = Guesser(key.hashed(self.codes.vault), client)
            if (wait := await self._client_over(guesser)) is not None:
                return self._locked(state, ctx, wait, many=True)
            typed = await self._hit("codes", guesser.conversation)
            if typed.count > CODES:
                return self._locked(state, ctx, typed.wait, many=True)
            found = await self.codes.find(effect.code)
            if found.holder == Holder(key.channel, key.user_id):
                return self._event(state, ResumeHere(), ctx)
            return self._event(state, ResumeFound(effect.code), ctx)
        proof = await self.prove(key, effect.code, effect.digits, client=client)
        if proof.wait is not None:
            return self._locked(state, ctx, proof.wait, many=proof.many)
        if proof.holder is None:
            return self._event(state, ResumeWrong(proof.left), ctx)
        if proof.holder == Holder(key.channel, key.user_id):
            return self._event(state, ResumeHere(), ctx)
        moved, waiting = await self.move(effect.code, proof.holder, key, state, actor=staff_id or RESIDENT)
        return handle(moved, Inbound(event=ResumeOk(tuple(waiting))), ctx)

    async def prove(self, key: ConversationKey, code: str, digits: str, *, client: str | None = None) -> Proof:
        """Check a code and its four digits typed in `key`'s conversation, counted against the guesser (the
        conversation, and the client behind it): resuming and the rights desk share these limits. A code that
        does not exist and wrong digits give the same answer."""
        guesser = Guesser(key.hashed(self.codes.vault), client)
        if (wait := await self._client_over(guesser)) is not None:
            return Proof(wait=wait, many=True)
        tried = await self._hit("digits", guesser.conversation)
        if tried.count > DIGITS:
            return Proof(wait=tried.wait)
        checked = await self.codes.check(code, digits)
        if checked.status is not CheckStatus.OK:
            if tried.count >= DIGITS:
                return Proof(wait=tried.wait)
            return Proof(left=DIGITS - tried.count)
        return Proof(holder=checked.holder)

    async def _hit(self, kind: str, who: str) -> Attempt:
        return await self.attempts.hit(self.codes.vault.keyed_hash(f"resume-guess:{kind}:{who}"))

    async def _client_over(self, guesser: Guesser) -> timedelta | None:
        """Every code and every digits from one client counted together; the wait when it is over its limit."""
        if guesser.client is None:
            return None
        counted = await self._hit("client", guesser.client)
        return counted.wait if counted.count > CLIENT else None

    def _locked(self, state: dict[str, Any], ctx: Context, wait: timedelta, *, many: bool) -> Turn:
        return self._event(state, ResumeLocked(max(1, int(wait.total_seconds())), many), ctx)

    async def move(self, code: str, holder: Holder, key: ConversationKey, here: dict[str, Any] | None, *,
                   actor: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Take the conversation the code opens over into `key` (whose turn the caller holds); the state it
        continues with there and the messages that waited for the resident."""
        old = ConversationKey(holder.channel, holder.user_id)
        async with AsyncExitStack() as stack:
            async with asyncio.timeout(LOCK_WAIT):
                await stack.enter_async_context(self.states.lock(old))
            earlier = upgrade(await self.states.get(old))
            locale = (here or {}).get("locale") or (earlier or {}).get("locale") or "zh"
            moved = earlier or new_state(locale)
            for transient in ("message_id", "resume_check", "moved", "submission", "rights"):
                moved.pop(transient, None)
            # the resident's language here wins; buttons shown here before no longer answer anything
            moved["locale"] = locale
            moved["asked"] = max(moved.get("asked", 0), (here or {}).get("asked", 0)) + 1
            moved["resume"] = {"code": code, "link": self.link(code)}
            if here and here.get("cancelled") and not moved.get("cancelled"):
                moved["cancelled"] = here["cancelled"]
            # the application is written here before anything leaves the old conversation: after a crash
            # it exists twice at worst, never nowhere
            # the old conversation's lines are all written: each of its turns committed them before answering
            await self.states.checkpoint(key, moved)
            await self.codes.move(code, key.channel, key.user_id, actor=actor)
            await self.states.set(old, {**new_state((earlier or {}).get("locale") or locale), "moved": True})
        waiting = await self.mailbox.collect(old.channel, old.user_id, fresh=True)
        return moved, [reply.as_data() for reply in waiting]

    async def open_for_staff(self, code: str, key: ConversationKey, *, staff_id: str,
                             ctx: Context) -> list[Reply] | None:
        """Phone desk: staff open the caller's conversation by its code (staff are trusted: no digits), into
        the new call `key`; the replies to show, or None when no code opens anything."""
        found = await self.codes.find(code)
        if found.holder is None:
            return None
        async with self.states.lock(key):
            moved, waiting = await self.move(code, found.holder, key, None, actor=staff_id)
            turn = handle(moved, Inbound(event=ResumeOk(tuple(waiting)), staff_id=staff_id), ctx)
            await self.states.commit(key, turn.state, [("staff", "/resume ****-****", staff_id),
                                                       *(("bot", masked(r.text), None) for r in turn.replies)])
        return turn.replies

    @staticmethod
    def _event(state: dict[str, Any], event: ResumeEvent, ctx: Context) -> Turn:
        return handle(state, Inbound(event=event), ctx)


def unavailable(state: dict[str, Any], ctx: Context) -> Turn:
    """Without a desk (no resume codes configured), the engine's polite answer."""
    return handle(state, Inbound(event=ResumeUnavailable()), ctx)
