"""Parsers for what residents type: each returns a clean value or raises `Invalid` with a text key."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

import phonenumbers
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError



class Invalid(ValueError):
    """The input cannot be accepted; `key` names the text that explains why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def normalise(text: str) -> str:
    """Full-width to half-width, trimmed, inner whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def tidy(text: str) -> str:
    """Whitespace trimmed and collapsed; the resident's own characters and punctuation kept."""
    return re.sub(r"\s+", " ", text).strip()


def has_symbols(text: str) -> bool:
    """True when the text holds emoji or other pictographs."""
    return any(unicodedata.category(ch) in ("So", "Cs", "Co") for ch in text)


# -- text ---------------------------------------------------------------------------------

def parse_text(raw: str, *, max_len: int, min_len: int = 1) -> str:
    text = tidy(raw)
    if len(text) < min_len:
        raise Invalid("invalid.empty")
    if len(text) > max_len:
        raise Invalid("invalid.too_long", max=max_len, got=len(text))
    return text


def parse_name(raw: str) -> str:
    name = parse_text(raw, max_len=40)
    if has_symbols(name) or re.search(r"[0-9@#$%^&*_=+<>/\\|{}\[\]]", name):
        raise Invalid("invalid.name")
    return name


# -- identity -----------------------------------------------------------------------------

ID_LENGTH = 18
EARLIEST_BIRTH = date(1890, 1, 1)
_ID_SHAPE = re.compile(r"\d{17}[\dX]")


def parse_id_number(raw: str, *, today: date) -> str:
    """A mainland resident ID number: 18 characters, checksum, a real past birth date, a known province
    and prefecture.

    The county code is not checked against the birth year: a number carries the code of the office
    that issued it, often created years after the holder was born (see `id_area_known`).
    """
    value = normalise(raw).replace(" ", "").replace("-", "").upper()
    if not value:
        raise Invalid("invalid.empty")
    digits = sum(ch.isdecimal() for ch in value[: 4 * ID_LENGTH])
    if not digits:  # words, not a number: no "you entered N digits" for a sentence
        raise Invalid("invalid.id_no_digits")
    if len(value) > 4 * ID_LENGTH:  # a pasted paragraph: say how long it should be, do no more work
        raise Invalid("invalid.id_format", got=len(value))
    if len(value) != ID_LENGTH or not _ID_SHAPE.fullmatch(value):
        raise Invalid("invalid.id_format", got=len(value))
    if ric.calc_check_digit(value) != value[-1]:
        raise Invalid("invalid.id_checksum")
    try:
        born = ric.get_birth_date(value)
    except ValidationError:
        raise Invalid("invalid.id_birth") from None
    if not EARLIEST_BIRTH <= born <= today:
        raise Invalid("invalid.id_birth")
    if not _prefix_exists(value):
        raise Invalid("invalid.id_area")
    return value


def _area_parts(code: str) -> dict[str, str]:
    return {key: text for _, props in numdb.get("cn/loc").info(code) for key, text in props.items()}


def _prefix_exists(number: str) -> bool:
    """The province and the prefecture (the first four digits) are codes that exist or existed."""
    return "province" in _area_parts(number[:2] + "0000") and "county" in _area_parts(number[:4] + "00")


def id_area_note(number: str) -> str | None:
    """Why staff check a valid number's county code by hand, or None: "id_county_unknown" (a code missing from
    the table of codes, e.g. one created or retired without record) or "id_area_unverified" (not in use in the
    holder's birth year, normal for districts created later)."""
    if "county" not in _area_parts(number[:6]):
        return "id_county_unknown"
    try:
        ric.get_birth_place(number)
    except ValidationError:
        return "id_area_unverified"
    return None


def id_area_known(number: str) -> bool:
    """Whether the county code is known and was in use in the holder's birth year."""
    return id_area_note(number) is None


def age_from_id(id_number: str, today: date) -> int | None:
    """Age in whole years on `today`, from the birth date in the ID number."""
    try:
        born = ric.get_birth_date(id_number)
    except ValidationError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def parse_phone(raw: str) -> str:
    """A phone number reachable in China (mobile or landline with area code), as E.164."""
    value = normalise(raw)
    if not value:
        raise Invalid("invalid.empty")
    if not re.fullmatch(r"[+\d][\d\s()\-]{4,24}", value):
        raise Invalid("invalid.phone")
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise Invalid("invalid.phone") from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid("invalid.phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- dates --------------------------------------------------------------------------------

def parse_date(raw: str, *, today: date) -> str:
    """A past date, e.g. 2026-03-05, 2026/3/5, 2026年3月5日, 3月5日 -> ISO string."""
    text = normalise(raw)
    if not text:
        raise Invalid("invalid.empty")
    match = (re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
             or re.fullmatch(r"()(\d{1,2})[-/.月](\d{1,2})日?", text))
    if not match:
        raise Invalid("invalid.date")
    year = int(match.group(1)) if match.group(1) else today.year
    try:
        value = date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise Invalid("invalid.date") from None
    if value > today:
        raise Invalid("invalid.date_future")
    if value.year < today.year - 10:
        raise Invalid("invalid.date_old")
    return value.isoformat()
