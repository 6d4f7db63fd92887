"""Figures residents type: amounts of money in everyday forms, with the period they name, and small counts.

Each parser returns a clean value or raises `Invalid` with a text key, like those in validators.py.
"""
from __future__ import annotations

import re
from typing import Any

from dialogs.validators import Invalid, normalise

MONEY_MAX = 1_000_000_000  # above this a typing slip is far more likely than a real figure
COUNT_MAX = 20

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


# a period named with an amount (每月5000, 三千五一个月, 年收入3万, 1500 a month, 5k/month), as a prefix or a suffix
_PERIOD_WORDS = {
    "month": (r"(平均)?(每|一)(个|個)?月(平均)?|月(薪|收入|入|均|工资|人工)|(monthly|per month|a month|each month|"
              r"every month)\b", r"(/|每|一)(个|個)?月|/\s*(month|mo)|\b(monthly|(a|per|each|every)\s*month)"),
    "year": (r"(过去|最近)?(每|一|全|今|去)年|(过去|最近)?(12|十二)(个|個)月|年(薪|收入|入|均)|"
             r"(yearly|annually|per year|a year|each year|every year|per annum)\b",
             r"(/|每|一)年|/\s*(year|yr)|\b(yearly|annually|per annum|(a|per|each|every)\s*year)"),
}
_PERIOD_PREFIX = {period: re.compile(rf"^({prefix})\s*[:：]?\s*", re.IGNORECASE)
                  for period, (prefix, _) in _PERIOD_WORDS.items()}
_PERIOD_SUFFIX = {period: re.compile(rf"\s*({suffix})$", re.IGNORECASE)
                  for period, (_, suffix) in _PERIOD_WORDS.items()}
# words between a period and its figure: 每月工资5000, 一年一共3万, 一個月人工三千五
_FILLER = re.compile(r"^(的|工资|人工|薪水|收入|退休金|养老金|租金|利息|开支|支出|花费|生活费|一共|总共|合计|共|有|是)\s*|"
                     r"\s*(一共|总共|合计)$")
# periods the record cannot keep as they are: asked again as a month or a year
_OTHER_PERIOD = re.compile(r"每?(一|半|两|几|\d+)?(个|個)?(周|星期|礼拜|禮拜|天|日|季度?)|半年|(\d+|[两几三四五六七八九十])(个|個)月|"
                           r"\b(week|weekly|day|daily|quarter|quarterly|fortnight)\b", re.IGNORECASE)
# two figures where one is asked: a range (3000-4000, 三四千) or two amounts
_TWO_FIGURES = re.compile(r"\d\s*([-~～到至或]|or|to)\s*\d|[一二三四五六七八九两][一二三四五六七八九](十|百|千|万|萬)|\d\s*[^\d.,\s]+\s*\d",
                          re.IGNORECASE)


def _strip_once(text: str) -> tuple[str, bool, str | None]:
    """One layer of words around a figure: (rest, an estimate word went, the period a period word named)."""
    stripped = _ESTIMATE.sub("", text, count=1).strip()
    if stripped != text:
        return stripped, True, None
    for pattern in (r"^(¥|￥|rmb|cny)\s*", r"\s*(元|块钱|块|蚊|rmb|cny|yuan)$"):
        stripped = re.sub(pattern, "", text, flags=re.IGNORECASE).strip()
        if stripped != text:
            return stripped, False, None
    for period in _PERIOD_WORDS:
        for pattern in (_PERIOD_PREFIX[period], _PERIOD_SUFFIX[period]):
            stripped = pattern.sub("", text, count=1).strip()
            if stripped != text and stripped:
                return stripped, False, period
    stripped = _FILLER.sub("", text, count=1).strip()
    return (stripped, False, None) if stripped else (text, False, None)


def parse_money(raw: str) -> dict[str, Any]:
    """Money in everyday forms -> {"amount": yuan (cents kept), "estimated": bool, "period": "month" | "year" | None}.

    `period` is the period the resident named ("每月5000", "1500 a month"), None for a bare figure.
    """
    text = normalise(raw)
    if not text:
        raise Invalid("invalid.empty")
    if len(text) > 4 * MAX_NUMBER_CHARS:
        _too_long(text, "invalid.money_too_large")
    if text.lower() in _NONE_WORDS:
        return {"amount": 0, "estimated": False, "period": None}
    estimated, period = False, None
    while (layer := _strip_once(text))[0] != text:
        text, estimate, named = layer
        estimated = estimated or estimate
        if named and period and named != period:  # 每月5000一年: which one?
            raise Invalid("invalid.money_two")
        period = named or period
    if re.search(r"\d{4}\s+\d", text):  # 3000 4000: two figures, not one with a space
        raise Invalid("invalid.money_two")
    text = text.replace("，", ",").replace(" ", "")
    if text.startswith(("-", "负", "−")):
        raise Invalid("invalid.money_negative")
    _too_long(text, "invalid.money_too_large")
    try:
        value = _number(text)
    except Invalid:
        if _OTHER_PERIOD.search(text):
            raise Invalid("invalid.money_period") from None
        if _TWO_FIGURES.search(text):
            raise Invalid("invalid.money_two") from None
        raise
    if value > MONEY_MAX:
        raise Invalid("invalid.money_too_large")
    return {"amount": yuan(value), "estimated": estimated, "period": period}


def yuan(value: float) -> int | float:
    """An amount as the record keeps it: whole yuan as an int, else yuan with its cents (14293.9)."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


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
