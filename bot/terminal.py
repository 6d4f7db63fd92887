"""The terminal channel: the same dialogs on stdin/stdout, options chosen by number."""
from __future__ import annotations

import mimetypes
import re
import sys
from pathlib import Path
from typing import TextIO

from bot.files import FileStore
from bot.conversation import ConversationKey
from bot.notifiers import Mailbox
from bot.runner import Outcome, Runner
from dialogs import intents
from dialogs.events import FileRefused
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


async def to_inbound(line: str, values: list[str], files: FileStore | None = None) -> Inbound:
    """A typed line: a number picks an offered option when the question has real choices;
    `/file PATH` attaches a scanned receipt from the local disk."""
    text = line.rstrip("\n")
    if files is not None and text.startswith("/file "):
        return await attach(Path(text[6:].strip()).expanduser(), files)
    if (typed := intents.command(text)):
        return typed
    choices = any(not value.startswith("_") for value in values)
    number = text.strip()
    if choices and re.fullmatch(r"[0-9]{1,3}", number) and 1 <= int(number) <= len(values):
        return Inbound(option=values[int(number) - 1])
    return Inbound(text=text)


async def attach(path: Path, files: FileStore) -> Inbound:
    """A local file as an inbound attachment, refused the same way as on any channel."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if not path.is_file():
        return Inbound(event=FileRefused("type", files.limit_mb))
    return await files.receive(path.read_bytes(), name=path.name, content_type=kind)


async def chat(runner: Runner, key: ConversationKey, *, files: FileStore | None = None, stdin: TextIO = sys.stdin,
               stdout: TextIO = sys.stdout, mailbox: Mailbox | None = None) -> Outcome | None:
    """Run a conversation until end of input; returns the last outcome. With the `mailbox`, what comes
    outside a turn (what was read on a receipt) is shown once it is there."""
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
        outcome = await runner.handle(key, await to_inbound(line, values, files))
        values = render(outcome.replies, stdout)
        if mailbox is not None and runner.reading is not None and runner.reading.pending(key) is not None:
            await runner.reading.settled(key)  # a terminal reads one line at a time: the offer is waited for
            values = render(await mailbox.collect(key.channel, key.user_id, fresh=True), stdout) or values
