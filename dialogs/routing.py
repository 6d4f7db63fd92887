"""Question or answer: whether a message typed at a step is the answer to it or a question to answer first.

Each step kind has its own test of a plausible answer; a message that fails it and reads as a question
goes to the knowledge base, and the same step is asked again.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from dialogs import intents
from dialogs.numbers import parse_count, parse_money
from dialogs.validators import Invalid, normalise, parse_date, parse_id_number, parse_phone

_CLAUSE = re.compile(r"[，,。；;！!]")
_RHETORICAL = re.compile(r"不知道(该|要|能)?(怎么办|怎么过|如何是好)|怎么办才好|点算好")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")
_DIGITS_ONLY = ("id_number", "phone", "date")
NAME_MAX_CJK = 6  # 欧阳娜娜, 司马相如; longer Chinese text is a sentence, not a name

_TYPED: dict[str, Callable[[str, date], Any]] = {
    "id_number": lambda text, today: parse_id_number(text, today=today),
    "phone": lambda text, today: parse_phone(text),
    "money": lambda text, today: parse_money(text),
    "count": lambda text, today: parse_count(text),
    "date": lambda text, today: parse_date(text, today=today),
}


def parses(kind: str, text: str, today: date) -> bool:
    """Whether a typed-value step (ID, phone, money, count, date) would take the text as it is."""
    try:
        _TYPED[kind](text, today)
    except Invalid:
        return False
    return True


def free_text_asks(text: str) -> bool:
    """Free text (an address, a description) that asks: its last clause is a question, and not a sigh."""
    text = normalise(text)
    clauses = [c for c in _CLAUSE.split(text) if c.strip()]
    last = clauses[-1] if clauses else text
    if _RHETORICAL.search(last):
        return False
    return text.endswith(("?", "？")) or intents.is_question(last)


def plausible_name(text: str) -> bool:
    """A short name: no question words, no sentence punctuation, not a Chinese sentence."""
    text = normalise(text)
    if intents.is_question(text) or _CLAUSE.search(text) or re.search(r"[?？]", text):
        return False
    cjk = len(_CJK.findall(text))
    return cjk <= NAME_MAX_CJK if cjk else len(text.split()) <= 5


def asks(kind: str, text: str, *, today: date, exact: Callable[[str], bool]) -> bool:
    """Whether `text`, typed at a step of `kind`, is a question rather than the answer.

    `exact(text)` says whether it names one of the step's options outright (number, label or value).
    """
    if kind in _TYPED:
        # a policy topic without a digit is no ID number, phone or date either: 「临时救助最长几个月」; an amount
        # may be written in words (三千) and 「没有收入」 answers, so money and counts need a question word
        return not parses(kind, text, today) and (intents.is_question(text) or (
            kind in _DIGITS_ONLY and intents.is_about_policy(text) and not _DIGIT.search(text)))
    if kind in ("choice", "yesno", "multi"):
        return not exact(text) and intents.is_question(text)
    if len(text) > intents.QUESTION_MAX:
        return False
    if kind == "text":
        return free_text_asks(text)
    return intents.is_question(text)  # name, files, summary
