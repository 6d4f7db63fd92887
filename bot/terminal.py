"""The terminal channel: the same dialogs on stdin/stdout, options chosen by number."""
from __future__ import annotations

import sys
from typing import TextIO

from bot.conversation import ConversationKey
from bot.runner import Outcome, Runner
from dialogs import intents
from dialogs.messages import Inbound, Reply


def render(replies: list[Reply], out: TextIO) -> list[str]:
    """Print replies; returns the option values in the order they were numbered."""
    values: list[str] = []
    for reply in replies:
        print(reply.text, file=out)
        for option in reply.options:
            values.append(option.value)
            print(f"  [{len(values)}] {option.label}", file=out)
    out.flush()
    return values


def to_inbound(line: str, values: list[str]) -> Inbound:
    """A typed line: a number picks an offered option when the question has real choices."""
    text = line.rstrip("\n")
    if (typed := intents.command(text.strip())):
        return Inbound(command=typed[0], text=typed[1] or None)
    choices = any(not value.startswith("_") for value in values)
    number = text.strip()
    if choices and number.isdigit() and 1 <= int(number) <= len(values):
        return Inbound(option=values[int(number) - 1])
    return Inbound(text=text)


async def chat(runner: Runner, key: ConversationKey, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> Outcome | None:
    """Run a conversation until end of input; returns the last outcome."""
    outcome = await runner.handle(key, Inbound(command="start"))
    values = render(outcome.replies, stdout)
    interactive = stdin.isatty()
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return outcome
        if not interactive:
            print(f"> {line.rstrip()}", file=stdout)
        outcome = await runner.handle(key, to_inbound(line, values))
        values = render(outcome.replies, stdout)
