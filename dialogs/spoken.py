"""Text as it should be read aloud: numbers, amounts and dates written out in words.

A speech engine reading 「1,309 元」 says "one, three hundred and nine" or the digits one by one; a resident
hears 「一千三百零九元」 only when the words are written for it. Long digit runs (ID numbers, phone numbers,
codes) are read digit by digit, as people read them out.
"""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
PLACES = ("", "十", "百", "千")
GROUPS = ("", "万", "亿", "万亿")
LONGEST_AMOUNT = 6  # digits; a longer run without separators is an ID, a phone number or a code
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

DATE = re.compile(r"(?<!\d)(\d{4})(?:[-/.年])(\d{1,2})(?:[-/.月])(\d{1,2})日?(?!\d)")
YEAR = re.compile(r"(?<!\d)(\d{4})年")
PERCENT = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*[%％]")
NUMBER = re.compile(r"(?<![\d,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")
LONG_RUN = re.compile(r"\d{7,}[Xx]?")


def _group(n: int) -> str:
    """0 < n < 10000 in words, with 零 for the gaps (1009 -> 一千零九)."""
    out, gap = "", False
    for place in range(3, -1, -1):
        digit = n // 10 ** place % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += DIGITS[digit] + PLACES[place]
    return out


def chinese_number(n: int) -> str:
    """A whole number in Chinese words: 1309 -> 一千三百零九, 100010 -> 十万零一十."""
    if n < 0:
        return "负" + chinese_number(-n)
    if n == 0:
        return DIGITS[0]
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(GROUPS):
        return digit_by_digit(str(sum(g * 10000 ** i for i, g in enumerate(groups))))
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _group(group) + GROUPS[index]
        gap = False
    # 一十 is written but 十 is said at the start of a number
    return out[1:] if out.startswith("一十") else out


def digit_by_digit(digits: str) -> str:
    """Each digit on its own (an ID number, a year): 2026 -> 二零二六."""
    return "".join(DIGITS[int(c)] if c.isdigit() else c for c in digits)


def _decimal(whole: str, fraction: str | None) -> str:
    words = chinese_number(int(whole.replace(",", "")))
    return words + ("点" + digit_by_digit(fraction[1:]) if fraction else "")


def _chinese_numbers(match: re.Match[str]) -> str:
    whole, fraction = match.group(1), match.group(2)
    if "," not in whole and (len(whole) > LONGEST_AMOUNT or (len(whole) > 1 and whole.startswith("0"))):
        return digit_by_digit(whole) + ("点" + digit_by_digit(fraction[1:]) if fraction else "")
    return _decimal(whole, fraction)


def _chinese(text: str) -> str:
    text = LONG_RUN.sub(lambda m: digit_by_digit(m.group(0)), text)
    text = DATE.sub(lambda m: f"{digit_by_digit(m.group(1))}年{chinese_number(int(m.group(2)))}月"
                              f"{chinese_number(int(m.group(3)))}日", text)
    text = YEAR.sub(lambda m: digit_by_digit(m.group(1)) + "年", text)
    text = PERCENT.sub(lambda m: "百分之" + _decimal(m.group(1), m.group(2)), text)
    return NUMBER.sub(_chinese_numbers, text)


def _english_date(match: re.Match[str]) -> str:
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return match.group(0)
    return f"{day} {MONTHS[month - 1]} {year}"


def _english(text: str) -> str:
    text = DATE.sub(_english_date, text)
    # a long run is spaced so the engine says the digits, not a number in the billions
    return LONG_RUN.sub(lambda m: " ".join(m.group(0)), text)


def spoken(text: str, locale: str) -> str:
    """`text` as a speech engine should read it in `locale` ("zh", "yue" or "en")."""
    return _english(text) if locale == "en" else _chinese(text)
