"""Replies as Telegram messages: text cut to Telegram's limit, options as inline keyboards."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.telegram.callbacks import encode_press
from dialogs.messages import Reply

# Telegram's limit is 4096 UTF-16 units; characters outside the BMP count twice, so stay below.
MAX_TEXT = 4000


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: what it says and the callback_data it sends back."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Telegram message to send, with its inline keyboard rows (may be empty)."""

    text: str
    keyboard: tuple[tuple[Button, ...], ...] = ()


def render(replies: Iterable[Reply], *, asked: int | None) -> list[Outgoing]:
    """The messages for a turn's replies; option buttons carry `asked` so old keyboards are recognised."""
    messages: list[Outgoing] = []
    for reply in replies:
        chunks = split_text(reply.text)
        if not chunks:
            continue
        keyboard = layout([Button(option.label, encode_press(asked, option.value)) for option in reply.options])
        messages.extend(Outgoing(chunk) for chunk in chunks[:-1])
        # The buttons go under the last part, next to the question they answer.
        messages.append(Outgoing(chunks[-1], keyboard))
    return messages


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut a long text into messages, at a line break where there is one."""
    text = text.strip()
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def layout(buttons: list[Button]) -> tuple[tuple[Button, ...], ...]:
    """Rows of buttons: short labels side by side, long ones one to a row so they are not cut off."""
    if not buttons:
        return ()
    widest = max(_width(button.label) for button in buttons)
    per_row = 3 if widest <= 8 else 2 if widest <= 16 else 1
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _width(label: str) -> int:
    # Chinese characters take two columns on a phone screen.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in label)
