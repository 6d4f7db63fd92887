"""Replies as WeChat text messages: options as numbered, tappable lines, texts cut to WeChat's limit.

A tappable line is a `weixin://bizmsgmenu` link: tapping it sends the label as the resident's message
with the link's id (`bizmsgmenuid`), which carries the question counter and the option's value.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.telegram.callbacks import encode_press
from dialogs.messages import Option, Reply

MAX_BYTES = 2048  # WeChat's limit for the content of a text message, passive or pushed, in UTF-8 bytes
QUESTION_ROOM = 400  # bytes kept for the question beside its options (longer questions go in a message before)
SEPARATOR = "\n\n"  # between two replies packed into one message
_UNSAFE = re.compile(r'[&"<>#%=?\n]')  # characters that would break a link's query or markup


@dataclass(frozen=True, slots=True)
class Numbered:
    """The options shown with the last question, in the order they were numbered, and its counter."""

    asked: int | None
    values: tuple[str, ...]

    def pick(self, typed: str) -> str | None:
        """The value of the option whose number was typed, if it was one."""
        word = typed.strip().rstrip(".。")
        if word.isascii() and word.isdigit() and 1 <= int(word) <= len(self.values):
            return self.values[int(word) - 1]
        return None


def menu_link(label: str, menu_id: str, content: str | None = None) -> str:
    """A tappable line that sends `content` (the label by default) with `menu_id`."""
    sent = _UNSAFE.sub(" ", content if content is not None else label).strip()
    return f'<a href="weixin://bizmsgmenu?msgmenucontent={sent}&msgmenuid={menu_id}">{label}</a>'


def option_lines(options: Iterable[Option], asked: int | None, *, links: bool = True) -> str:
    lines = []
    for number, option in enumerate(options, 1):
        label = menu_link(option.label, encode_press(asked, option.value)) if links else option.label
        lines.append(f"{number}. {label}")
    return "\n".join(lines)


def render(replies: Iterable[Reply], *, asked: int | None) -> list[str]:
    """The messages for a turn's replies, each within WeChat's limit, several replies packed in one."""
    pieces: list[str] = []
    for reply in replies:
        pieces.extend(_pieces(reply, asked))
    messages: list[str] = []
    for piece in pieces:
        if messages and _size(messages[-1] + SEPARATOR + piece) <= MAX_BYTES:
            messages[-1] += SEPARATOR + piece
        else:
            messages.append(piece)
    return messages


def _pieces(reply: Reply, asked: int | None) -> list[str]:
    """One reply as one or more texts within the limit; the options stay with the end of the question."""
    text = reply.text.strip()
    if not reply.options:
        return split(text, MAX_BYTES)
    tail = option_lines(reply.options, asked)
    if _size(tail) > MAX_BYTES - QUESTION_ROOM:
        tail = option_lines(reply.options, asked, links=False)  # too many options for links: numbers only
    room = MAX_BYTES - _size(tail) - 1
    chunks = split(text, room) if text else [""]
    return [*chunks[:-1], f"{chunks[-1]}\n{tail}".lstrip("\n")]


def split(text: str, limit: int) -> list[str]:
    """Cut a text into parts of at most `limit` UTF-8 bytes, at a line break where there is one."""
    chunks: list[str] = []
    text = text.strip()
    while _size(text) > limit:
        head = text.encode()[:limit].decode(errors="ignore")  # never half a character
        cut = head.rfind("\n")
        if cut < len(head) // 2:
            cut = len(head)
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def _size(text: str) -> int:
    return len(text.encode())
