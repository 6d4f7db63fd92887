"""Inline-button callback data: which question's keyboard a press came from, and the option."""
from __future__ import annotations

from dataclasses import dataclass

# Telegram refuses callback_data longer than 64 bytes.
MAX_CALLBACK_BYTES = 64
# Buttons sent outside a question (e.g. on a status notification) carry no question counter.
NO_QUESTION = "-"


@dataclass(frozen=True, slots=True)
class Press:
    """A decoded button press: the `asked` counter of its keyboard (None outside a question) and the option."""

    asked: int | None
    value: str


def encode_press(asked: int | None, value: str) -> str:
    """The callback_data for an option button, e.g. "12:yes"."""
    data = f"{NO_QUESTION if asked is None else asked}:{value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"option value too long for a Telegram button: {value[:20]!r}…")
    return data


def decode_press(data: str | None) -> Press | None:
    """The press encoded in callback_data, or None when it is not ours (an old or foreign format)."""
    if not data:
        return None
    counter, sep, value = data.partition(":")
    if not sep or not value:
        return None
    if counter == NO_QUESTION:
        return Press(None, value)
    if not counter.isascii() or not counter.isdigit():
        return None
    return Press(int(counter), value)
