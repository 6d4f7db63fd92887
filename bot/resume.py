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
from typing import Any

from bot.conversation import ConversationKey
from bot.limits import RateLimit
from bot.state.base import BaseStateStore
from dialogs.engine import Context, handle
from dialogs.messages import CheckResume, FindResume, Inbound, KeepResumeCode, Reply, ResumeEffect, Turn
from dialogs.resume_codes import masked, shown
from dialogs.state import new_state, upgrade
from intake.store import RESIDENT
from intake.store.resume import CheckStatus, Holder, ResumeCodes

LOOKUPS, LOOKUP_WINDOW = 10, 3600.0  # codes one conversation may type an hour
LOCK_WAIT = 10.0  # seconds to wait for the old conversation's turn to finish (two moves crossing give up)


class ResumeDesk:
    """Makes, finds and checks codes, and moves a conversation to where its code was typed."""

    def __init__(self, *, codes: ResumeCodes, states: BaseStateStore, mailbox: Any,
                 web_url: str, lookups: RateLimit | None = None) -> None:
        self.codes, self.states, self.mailbox = codes, states, mailbox
        self.web_url = web_url.rstrip("/")
        # codes typed per conversation: wrong digits are limited per code, this limits trying code after code
        self.lookups = lookups or RateLimit(burst=LOOKUPS, window=LOOKUP_WINDOW)

    def link(self, code: str) -> str:
        """The web chat link that opens with the code typed (a fragment: it never reaches a server log)."""
        return f"{self.web_url}/chat#resume={shown(code)}"

    async def perform(self, key: ConversationKey, state: dict[str, Any], effect: ResumeEffect, ctx: Context,
                      *, staff_id: str | None = None) -> Turn:
        """Carry out one effect inside `key`'s turn; the engine's answer to it (its state replaces the turn's)."""
        if isinstance(effect, KeepResumeCode):
            code, new = await self.codes.keep(key.channel, key.user_id, effect.digits, effect.code)
            return self._event(state, "resume_code", ctx, code=code, link=self.link(code), new=new)
        if isinstance(effect, FindResume):
            if not await self.lookups.allow(key.hashed(self.codes.vault)):
                return self._event(state, "resume_locked", ctx, seconds=int(self.lookups.window), many=True)
            found = await self.codes.find(effect.code)
            if found.status is CheckStatus.OK and found.holder == Holder(key.channel, key.user_id):
                return self._event(state, "resume_here", ctx)
            return self._answer(state, found, ctx, code=effect.code)
        checked = await self.codes.check(effect.code, effect.digits)
        if checked.status is not CheckStatus.OK:
            return self._answer(state, checked, ctx, code=effect.code)
        if checked.holder == Holder(key.channel, key.user_id):
            return self._event(state, "resume_here", ctx)
        moved, waiting = await self.move(effect.code, checked.holder, key, state, actor=staff_id or RESIDENT)
        return handle(moved, Inbound(event="resume_ok", data={"waiting": waiting}), ctx)

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
            for transient in ("message_id", "resume_check", "moved", "submission"):
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
            turn = handle(moved, Inbound(event="resume_ok", data={"waiting": waiting}, staff_id=staff_id), ctx)
            await self.states.commit(key, turn.state, [("staff", "/resume ****-****", staff_id),
                                                       *(("bot", masked(r.text), None) for r in turn.replies)])
        return turn.replies

    def _answer(self, state: dict[str, Any], check: Any, ctx: Context, *, code: str) -> Turn:
        if check.status is CheckStatus.OK:
            return self._event(state, "resume_found", ctx, code=code)
        if check.status is CheckStatus.WRONG:
            return self._event(state, "resume_wrong", ctx, left=check.tries_left)
        if check.status is CheckStatus.LOCKED:
            return self._event(state, "resume_locked", ctx, seconds=int(check.wait.total_seconds()))
        return self._event(state, "resume_unknown", ctx)

    @staticmethod
    def _event(state: dict[str, Any], event: str, ctx: Context, **data: Any) -> Turn:
        return handle(state, Inbound(event=event, data=data), ctx)


def unavailable(state: dict[str, Any], ctx: Context) -> Turn:
    """Without a desk (no resume codes configured), the engine's polite answer."""
    return handle(state, Inbound(event="resume_unavailable"), ctx)
