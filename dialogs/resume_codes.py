"""Resume codes as residents read and type them: "ABCD-EFGH", with or without a word before it.

A code names a conversation (its application, and the caseworker's messages about what it filed), so
a resident can continue on another device or channel after giving the last four digits of their phone.
Pure functions: making a code (randomness) and checking it (keyed hashes) belong to `intake.store.resume`.
"""
from __future__ import annotations

import re

from dialogs.validators import normalise

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud and typed by hand without doubt
LENGTH = 8
# words a resident may put before the code ("继续 ABCD-EFGH", "resume abcd efgh", "/resume ABCDEFGH")
_WORDS = ("继续申请", "续办码", "恢复码", "继续", "恢复", "续办", "resume code", "resume", "continue", "code")
_LEAD = re.compile(r"^/?(?:" + "|".join(re.escape(w) for w in _WORDS) + r")\s*[:：]?\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-_–—·.]")
_GROUPED = re.compile(r"^[A-Za-z0-9]{4}[\s\-–—]+[A-Za-z0-9]{4}$")
_SHOWN = re.compile(r"(?<![A-Za-z0-9])[" + ALPHABET + r"]{4}-[" + ALPHABET + r"]{4}(?![A-Za-z0-9])")
_DIGITS = re.compile(r"\d")


def canonical(word: str) -> str | None:
    """The eight characters of a code as typed ("abcd efgh", "ABCD-EFGH", full-width too), or None."""
    word = _SEPARATORS.sub("", normalise(word)).upper()
    if len(word) == LENGTH and all(ch in ALPHABET for ch in word):
        return word
    return None


def shown(code: str) -> str:
    """A code as residents see it: two groups of four, "ABCD-EFGH"."""
    return f"{code[:4]}-{code[4:]}"


def typed_code(text: str, *, bare: bool) -> str | None:
    """The code in a message that asks to resume ("继续 ABCD-EFGH", "resume abcd efgh"), or None.

    A code on its own ("ABCD-EFGH") counts only when `bare` (the conversation is not in the middle of a
    question whose answer could look like one).
    """
    text = normalise(text)
    if len(text) > 40:
        return None
    lead = _LEAD.match(text)
    if lead and lead.end() < len(text):
        return canonical(text[lead.end():])
    return canonical(text) if bare and _GROUPED.match(text) else None


def four_digits(text: str) -> str | None:
    """The last four digits of a phone as typed: "1234", "1 2 3 4", or the whole number; None otherwise."""
    text = normalise(text)
    digits = "".join(_DIGITS.findall(text))
    if len(text) > 30 or re.search(r"[^\d\s\-+()]", text):
        return None
    return digits[-4:] if len(digits) == 4 or 7 <= len(digits) <= 15 else None


def last_four(phone: str | None) -> str | None:
    """The last four digits of a stored phone number, or None when it has fewer."""
    digits = "".join(_DIGITS.findall(phone or ""))
    return digits[-4:] if len(digits) >= 4 else None


def masked(text: str) -> str:
    """A line with any code in it hidden, for the transcript that staff read."""
    return _SHOWN.sub("****-****", text)


def for_transcript(text: str, *, checking: bool) -> str:
    """What the transcript keeps of a resident's message: a code or the digits that unlock it are hidden."""
    if checking and four_digits(text):
        return "****"
    if typed_code(text, bare=True):
        return "****-****"
    return masked(text)
