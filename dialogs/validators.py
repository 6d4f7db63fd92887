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

MONEY_MAX = 1_000_000_000  # above this a typing slip is far more likely than a real figure
COUNT_MAX = 20


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


def id_area_known(number: str) -> bool:
    """Whether the county code was in use in the holder's birth year; when not, staff check it by hand."""
    try:
        ric.get_birth_place(number)
    except ValidationError:
        return False
    return True


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


# -- numbers ------------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
           "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_NONE_WORDS = {"无", "没有", "没", "冇", "零", "0", "none", "no", "nothing", "nil", "n/a", "na"}
_ESTIMATE = re.compile(r"^(约|大约|大概|差不多|估计|约为|about|around|approx\.?|approximately|roughly|~)\s*|"
                       r"\s*(左右|上下|多|来|估计|估算|approx\.?)$", re.IGNORECASE)


MAX_NUMBER_CHARS = 24  # 1,000,000,000.00 and its Chinese forms fit; longer is a slip or an attack
_NUMBER_SCALE = {"千": 1000, "k": 1000, "K": 1000, "万": 10_000, "萬": 10_000, "w": 10_000, "W": 10_000,
                 "亿": 100_000_000}


def _chinese_number(text: str) -> int:
    """Chinese numerals, including colloquial forms such as 一万二 (12,000) and 三千五 (3,500)."""
    total, section, digit, last_unit, last_small = 0, 0, None, None, None
    for ch in text:
        if ch in ("零", "〇"):  # a placeholder zero: 一千零五 = 1,005, so no step-down after it
            if last_unit is None or digit is not None:  # 零零, 五零: not a numeral, a slip
                raise Invalid("invalid.money")
            digit, last_unit = None, None
        elif ch in _DIGITS:
            if digit is not None:  # two digits in a row, e.g. 二五 -> not a numeral form we accept
                raise Invalid("invalid.money")
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if last_small is not None and unit >= last_small:  # 十十, 百千: units only step down
                raise Invalid("invalid.money")
            section += (1 if digit is None else digit) * unit
            digit, last_unit, last_small = None, unit, unit
        elif ch in _BIG_UNITS:
            if digit is None and section == 0:  # 万万, a bare 亿: a unit of nothing
                raise Invalid("invalid.money")
            unit = _BIG_UNITS[ch]
            section += digit or 0
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, digit, last_unit, last_small = 0, None, unit, None
        else:
            raise Invalid("invalid.money")
    if digit is not None:
        # a trailing digit after a unit means one step down: 一万二 = 12,000, 三千五 = 3,500
        section += digit * (last_unit // 10 if last_unit and last_unit >= 100 else 1)
    return total + section


def _number(text: str) -> float:
    """Digits with optional separators and a unit suffix (千/k, 万/w), or Chinese numerals.

    Callers cap the length first, so no conversion here ever sees more than a few dozen characters.
    """
    match = re.fullmatch(r"(\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+)\s*(千|k|K|万|w|W|萬|亿)?", text, re.ASCII)
    if match:
        return float(match.group(1).replace(",", "")) * _NUMBER_SCALE.get(match.group(2) or "", 1)
    if text and all(ch in _DIGITS or ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in text):
        return _chinese_number(text)
    raise Invalid("invalid.money")


def _too_long(text: str, key: str) -> None:
    """Refuse a figure too long to be real before any conversion: a wall of digits is "too large"."""
    if len(text) > MAX_NUMBER_CHARS:
        raise Invalid(key if re.fullmatch(r"[\d,.\s]+", text, re.ASCII) else "invalid.money")


def parse_money(raw: str) -> dict[str, Any]:
    """Money in everyday forms -> {"amount": int yuan, "estimated": bool}."""
    text = normalise(raw)
    if not text:
        raise Invalid("invalid.empty")
    if len(text) > 4 * MAX_NUMBER_CHARS:
        _too_long(text, "invalid.money_too_large")
    if text.lower() in _NONE_WORDS:
        return {"amount": 0, "estimated": False}
    estimated = False
    while (stripped := _ESTIMATE.sub("", text, count=1)) != text:
        text, estimated = stripped.strip(), True
    text = re.sub(r"^(¥|￥|rmb|cny)\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*(元|块钱|块|蚊|rmb|cny|yuan)$", "", text, flags=re.IGNORECASE)
    text = text.replace("，", ",").replace(" ", "")
    if text.startswith(("-", "负", "−")):
        raise Invalid("invalid.money_negative")
    _too_long(text, "invalid.money_too_large")
    value = _number(text)
    if value > MONEY_MAX:
        raise Invalid("invalid.money_too_large")
    return {"amount": int(round(value)), "estimated": estimated}


def parse_count(raw: str) -> int:
    """A small whole number such as 0, 2, 两, 两套."""
    text = re.sub(r"(套|辆|个|间|处|部)$", "", normalise(raw))
    if text.lower() in _NONE_WORDS:
        return 0
    if text.startswith(("-", "负")) or len(text) > 8:  # COUNT_MAX needs at most a few characters
        raise Invalid("invalid.count")
    try:
        value = _number(text)
    except Invalid:
        raise Invalid("invalid.count") from None
    if not 0 <= value <= COUNT_MAX or value != int(value):
        raise Invalid("invalid.count")
    return int(value)


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
