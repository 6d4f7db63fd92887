"""Money as printed on Chinese receipts: figures (小写) and the capital-character form (大写)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# OCR reads a figure with stray look-alikes; only these are mended, inside a figure
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "，": ",", "。": ".", "：": ":",
                             "＄": "", "￥": "¥", "Y": "¥"})
FIGURE = re.compile(r"(?<![\dA-Za-z.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?(?![\d])")

_DIGITS = {"零": 0, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
           "柒": 7, "捌": 8, "玖": 9, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9, "〇": 0}
_SMALL_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CAPITAL_CHARS = set(_DIGITS) | set(_SMALL_UNITS) | set(_BIG_UNITS) | set("元圆角分整正")
CAPITAL = re.compile(r"[零壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億元圆角分整正]{2,}")


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def figures(text: str) -> list[Decimal]:
    """Every money figure in a piece of text, in order (commas as thousands separators)."""
    found = []
    for match in FIGURE.finditer(text.translate(_LOOKALIKES)):
        try:
            found.append(cents(Decimal(match.group().replace(",", ""))))
        except InvalidOperation:
            continue
    return found


def _integer(part: str) -> int:
    """An integer written in capital characters, up to the 亿 range."""
    total = section = digit = 0
    for char in part:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[char]
            digit = 0
        elif char in _BIG_UNITS:
            total = (total + section + digit) * _BIG_UNITS[char]
            section = digit = 0
    return total + section + digit


def _split_yuan(text: str) -> tuple[str, str, str]:
    found = re.search("[元圆]", text)
    return (text[:found.start()], found.group(), text[found.end():]) if found else ("", "", text)


def capital_amount(text: str) -> Decimal | None:
    """The amount of a 大写 figure such as 叁佰肆拾叁元玖角整, or None when there is none."""
    match = max(CAPITAL.findall(text), key=len, default=None)
    if not match or not any(c in match for c in "元圆角分"):
        return None
    yuan, _, rest = _split_yuan(match)
    jiao = re.search(r"([零壹贰貳叁參肆伍陆陸柒捌玖])角", rest)
    fen = re.search(r"([零壹贰貳叁參肆伍陆陸柒捌玖])分", rest)
    value = Decimal(_integer(yuan))
    value += Decimal(_DIGITS[jiao.group(1)]) / 10 if jiao else 0
    value += Decimal(_DIGITS[fen.group(1)]) / 100 if fen else 0
    return cents(value)


def to_capital(amount: Decimal) -> str:
    """The 大写 form of an amount, as receipts print it (used by the drawn test set and checks)."""
    digits = "零壹贰叁肆伍陆柒捌玖"
    yuan, fraction = divmod(int(cents(amount) * 100), 100)
    jiao, fen = divmod(fraction, 10)

    def four(n: int) -> str:
        out, zero = "", False
        for unit, size in (("仟", 1000), ("佰", 100), ("拾", 10), ("", 1)):
            d = n // size % 10
            if d:
                out += ("零" if zero and out else "") + digits[d] + unit
                zero = False
            else:
                zero = True
        return out

    text = ""
    if yuan >= 10_000:
        text = four(yuan // 10_000) + "万" + ("零" if 0 < yuan % 10_000 < 1000 else "")
    text += four(yuan % 10_000)
    text = (text or "零") + "元"
    if not jiao and not fen:
        return text + "整"
    if jiao:
        text += digits[jiao] + "角"
    elif fen:
        text += "零"
    return text + (digits[fen] + "分" if fen else "整")
