"""Read-aloud for the web chat: a message spoken by espeak-ng on the server, as WAV.

The page posts the message's text to `/web/speech` (in the body, so it stays out of access logs) and plays
what comes back. Questions and answers are the same for everyone, so their audio is kept under var/speech/ and made
once; a text with digits in it may carry an amount, an ID or a phone number of the resident's, and is
spoken fresh each time and never written down.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dialogs.spoken import spoken

ESPEAK = "espeak-ng"
VOICES = {"zh": "cmn", "yue": "yue", "en": "en"}
WORDS_PER_MINUTE = 140  # espeak's default 175 is fast for an older listener
MAX_CHARS = 1000  # the longest message the chat sends is well under this
SPEAK_SECONDS = 20.0
AT_ONCE = asyncio.Semaphore(2)  # espeak processes at a time: speech must not starve the chat of CPU


class SpeechRequest(BaseModel):
    """A message to read: its text and the voice ("zh" Mandarin, "yue" Cantonese, "en" English)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_CHARS)
    lang: Literal["zh", "yue", "en"]


class SpeechUnavailable(Exception):
    """espeak-ng is not installed or did not answer in time."""


async def synthesise(text: str, lang: str) -> bytes:
    """WAV audio of `text` read in `lang`, numbers and dates as words."""
    if shutil.which(ESPEAK) is None:
        raise SpeechUnavailable(f"{ESPEAK} is not installed")
    args = [ESPEAK, "-v", VOICES[lang], "-s", str(WORDS_PER_MINUTE), "--stdout", "-b", "1"]
    async with AT_ONCE:
        # the text goes in on stdin: never on a command line other users of the machine can list
        process = await asyncio.create_subprocess_exec(*args, stdin=asyncio.subprocess.PIPE,
                                                       stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.DEVNULL)
        try:
            audio, _ = await asyncio.wait_for(process.communicate(spoken(text, lang).encode()), SPEAK_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise SpeechUnavailable("espeak-ng took too long") from None
    if process.returncode != 0 or not audio.startswith(b"RIFF"):
        raise SpeechUnavailable(f"espeak-ng failed ({process.returncode})")
    return audio


async def speech(text: str, lang: str, cache: Path) -> bytes:
    """The audio for `text`, from the cache when it may be kept there."""
    if any(c.isdigit() for c in text):
        return await synthesise(text, lang)
    name = hashlib.sha256(f"{VOICES[lang]}:{WORDS_PER_MINUTE}:{text}".encode()).hexdigest()
    path = cache / f"{name}.wav"
    if path.exists():
        return path.read_bytes()
    audio = await synthesise(text, lang)
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(audio)
    partial.replace(path)  # a reader never sees half a file
    return audio
