"""The desk's open calls: applications staff began for callers and have not submitted, to resume any time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.conversation import ConversationKey
from bot.phone import calls
from bot.state.base import BaseStateStore
from dialogs.flows import hardship as flow

# one shared record in the conversation store, under its own lock, listing the numbers of calls begun
DESK = ConversationKey("desk", "open-calls")
MAX_CALLS = 500


@dataclass(frozen=True, slots=True)
class OpenCall:
    """A call in progress: its number, who began it and when, who entered the latest answer, where it stands."""

    key: ConversationKey
    started_by: str
    started_at: datetime
    last_staff: str
    step: str | None
    section: int


async def remember(states: BaseStateStore, key: ConversationKey, staff: str) -> None:
    """Put a call just begun on the desk's list."""
    async with states.lock(DESK):
        desk = await states.get(DESK) or {"calls": []}
        desk["calls"] = [*desk["calls"], {"channel": key.channel, "number": key.user_id, "by": staff,
                                          "at": datetime.now(UTC).isoformat()}][-MAX_CALLS:]
        await states.set(DESK, desk)


async def open_calls(states: BaseStateStore) -> list[OpenCall]:
    """Calls still in an application, newest first; finished or cancelled ones leave the list."""
    async with states.lock(DESK):
        desk = await states.get(DESK) or {"calls": []}
        found, kept = [], []
        for entry in desk["calls"]:
            key = ConversationKey(entry["channel"], entry["number"])
            state = await states.get(key)
            if state is None or state.get("flow") != flow.FLOW or entry["channel"] not in calls.CHANNELS:
                continue  # submitted, cancelled or expired
            kept.append(entry)
            step = flow.BY_ID.get(state.get("step") or "")
            entered = state.get("entered_by") or {}
            found.append(OpenCall(key, entry["by"], datetime.fromisoformat(entry["at"]),
                                  list(entered.values())[-1] if entered else entry["by"],
                                  state.get("step"), step.section if step else 0))
        if len(kept) != len(desk["calls"]):
            await states.set(DESK, {"calls": kept})
    return sorted(found, key=lambda c: c.started_at, reverse=True)
