"""Conversations staff hold for callers: their numbers, and finding one by conversation or intake number."""
from __future__ import annotations

import re
import secrets
from datetime import date

from bot.conversation import ConversationKey
from bot.state.base import BaseStateStore
from intake.errors import IntakeNotFound
from intake.store.base import BaseIntakeStore

CHANNELS = ("phone", "station")
PREFIX = {"phone": "P", "station": "S"}
# no 0/O, 1/I/L: the number is read out over the phone
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER = re.compile(r"^([PS])(\d{6})-([" + ALPHABET + r"]{5})$")
CHANNEL_PATTERN = "^(" + "|".join(CHANNELS) + ")$"


class NotACall(Exception):
    """The intake was not taken by phone or at a station, so staff may not answer for the resident."""

    def __init__(self, intake_id: int) -> None:
        super().__init__(f"intake {intake_id} was not taken by phone or at a station")
        self.intake_id = intake_id


def new_number(channel: str, today: date) -> str:
    """A fresh conversation number, e.g. "P260503-K7Q2M" (channel, date, five characters)."""
    tail = "".join(secrets.choice(ALPHABET) for _ in range(5))
    return f"{PREFIX[channel]}{today:%y%m%d}-{tail}"


async def open_new(states: BaseStateStore, channel: str, today: date) -> ConversationKey:
    """The key of a conversation number nobody has used yet."""
    while True:
        key = ConversationKey(channel, new_number(channel, today))
        if await states.get(key) is None:
            return key


def parse_number(typed: str) -> ConversationKey | None:
    """The conversation a typed number names ("p260503 k7q2m" is forgiven), or None."""
    word = re.sub(r"[\s_]", "", typed).upper().replace("—", "-")
    if "-" not in word and len(word) == 12:
        word = word[:7] + "-" + word[7:]
    found = NUMBER.match(word)
    if not found:
        return None
    channel = next(name for name, letter in PREFIX.items() if letter == found.group(1))
    return ConversationKey(channel, word)


async def find(typed: str, *, states: BaseStateStore, intakes: BaseIntakeStore) -> ConversationKey | None:
    """The conversation named by a conversation number or an intake number; `NotACall` for an online intake."""
    typed = typed.strip()
    if typed.isdigit() and len(typed) <= 9:  # an intake number fits the database's integer
        try:
            record = await intakes.get(int(typed))
        except IntakeNotFound:
            return None
        if record.channel not in CHANNELS:
            raise NotACall(record.id)
        return ConversationKey(record.channel, record.user_id)
    key = parse_number(typed)
    if key is None or await states.get(key) is None:
        return None
    return key
