"""The shape of an answer: a short answer first, at most three supporting lines, then the sources.

Made from the units an excerpt quotes (sentences and list items, figures already filled in with their
dates). Text is cut only where a sentence or a list item ends, or where a clause ends inside a long
sentence, so a resident never reads half a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# the short answer: this many characters in Chinese, this many words in English
LEAD_CHARS = 120
LEAD_WORDS = 60
SUPPORT_LINES = 3
# the longer answer ("more") adds at most this many lines
MORE_LINES = 12
# a supporting line is about the question at least this share as much as the unit most about it
SUPPORT_SHARE = 0.5
# a supporting line longer than this is cut at a sentence or clause end
SUPPORT_CHARS = 160
SUPPORT_WORDS = 70
# the head of a list item, named in the short answer (身份证件 of 「身份证件：申请人和家庭成员的…」)
ITEM_HEAD_CHARS = 24
ITEM_HEAD_WORDS = 8
_ITEM = "· "
_SENTENCE = {"zh": re.compile(r"(?<=[。！？；])"), "en": re.compile(r"(?<=[.!?;])\s+")}
_CLAUSE = {"zh": re.compile(r"(?<=[，：、）])"), "en": re.compile(r"(?<=[,:)])\s+")}
_HEAD_END = {"zh": re.compile(r"[：:（(，,。；]"), "en": re.compile(r"[:(,.;]| - | – ")}


@dataclass(frozen=True, slots=True)
class Shaped:
    """The lines of an answer before its sources."""

    lead: str
    support: tuple[str, ...]
    # what the passages say beyond the supporting lines, for a resident who asks for more
    more: tuple[str, ...] = ()

    def lines(self, *, more: bool = False) -> list[str]:
        return [self.lead, *self.support, *(self.more if more else ())]


def size(text: str, locale: str) -> int:
    """How long a text reads: characters in Chinese, words in English."""
    return len(text.split()) if locale == "en" else len(text)


def fit(text: str, limit: int, locale: str) -> str:
    """The text, or as many of its first sentences (else clauses) as fit the limit, ended as a sentence."""
    return split(text, limit, locale)[0]


def split(text: str, limit: int, locale: str) -> tuple[str, str]:
    """What of the text fits the limit, cut after a sentence (else a clause) and ended as one, and the rest."""
    if size(text, locale) <= limit:
        # a unit the corpus cut at a semicolon still reads as a whole sentence
        return (_closed(text, locale) if text.endswith(("；", ";", "，", ",", "：", ":")) else text), ""
    for pattern in (_SENTENCE[locale], _CLAUSE[locale]):
        pieces = [p for p in pattern.split(text) if p]
        kept = ""
        for piece in pieces:
            joined = f"{kept} {piece}".strip() if locale == "en" else kept + piece
            if size(joined, locale) > limit:
                break
            kept = joined
        if kept:
            return _closed(kept, locale), text[len(kept):].strip() if text.startswith(kept) else ""
    # one clause longer than the limit: the whole clause, closed (rare in the corpus)
    first = _CLAUSE[locale].split(text)[0]
    return _closed(first, locale), text[len(first):].strip()


def _closed(text: str, locale: str) -> str:
    """A clause ended as a sentence."""
    text = text.rstrip(" ，,：:、；;")
    if locale == "en":
        return text if text.endswith((".", "!", "?")) else text + "."
    return text if text.endswith(("。", "！", "？", "）")) else text + "。"


def _head(item: str, locale: str) -> str:
    """What a list item is about, as named in the short answer."""
    body = item[len(_ITEM):].strip()
    head = _HEAD_END[locale].split(body, maxsplit=1)[0].strip()
    limit = ITEM_HEAD_WORDS if locale == "en" else ITEM_HEAD_CHARS
    return head if head and size(head, locale) <= limit else ""


def _clause_head(item: str, head: str) -> bool:
    """Whether an item's head is only the first clause of a sentence, not a label (身份证件：, Income (…))
    nor the whole item: 「情况紧急的，镇街可以先行救助…」 is not about 「情况紧急的」."""
    body = item[len(_ITEM):].strip()
    after = body[len(head):].lstrip()[:1]
    return bool(after) and after not in "：:（(-–" and body.rstrip("。.；;") != head


def shape(units: list[str], locale: str, *, is_list: bool, next_step: str = "",
          relevance: list[float] | None = None, lead_by_relevance: bool = False, focused: bool = False) -> Shaped:
    """A short answer and at most three supporting lines from the quoted units.

    A list question is answered by naming the list's items in one sentence when they fit; anything
    else by the first unit, or with `lead_by_relevance` the unit most about the question (the first
    of equals). A `focused` answer (how much, can I) keeps only supporting lines about the question
    (SUPPORT_SHARE). The supporting lines are the
    units most about the question (`relevance`, one figure per unit), shown in their order.
    """
    relevance = relevance or [0.0] * len(units)
    scored = {u.strip(): r for u, r in zip(units, relevance)}
    lead_limit = LEAD_WORDS if locale == "en" else LEAD_CHARS
    support_limit = SUPPORT_WORDS if locale == "en" else SUPPORT_CHARS
    units = [u.strip() for u in units if u.strip()]
    if not units:
        return Shaped("", ())
    items = [u for u in units if u.startswith(_ITEM)]
    prose = [u for u in units if not u.startswith(_ITEM)]
    lead = ""
    rest = list(units)
    # a sentence that opens a list (符合下面三个条件的人：) is answered with the list, whatever was asked
    opens_list = bool(prose) and prose[0] == units[0] and prose[0].endswith(("：", ":"))
    if (is_list or opens_list) and len(items) >= 2:
        heads = [h for h in (_head(i, locale) for i in items) if h]
        # the first clauses of sentences name a list only beside labels or whole items (三个条件: 无劳动能力、…)
        clauses = sum(_clause_head(i, h) for i, h in zip(items, heads))
        if len(heads) == len(items) and 2 * clauses < len(items):
            # the items named by their heads (身份证件：…), then those short enough to be named whole
            # (a cap on them all), as a sentence of their own: not 「…、先行救助、每个家庭…合计最多…」
            whole = [h == i[len(_ITEM):].strip().rstrip("。.；;") or _clause_head(i, h) for h, i in zip(heads, items)]
            groups = [[h for h, w in zip(heads, whole) if not w], [h for h, w in zip(heads, whole) if w]]
            named = [(", " if locale == "en" else "、").join(g) for g in groups if g]
            joined = ("; ".join(named) + ".") if locale == "en" else ("；".join(named) + "。")
            opening = prose[0] if prose and units.index(prose[0]) < units.index(items[0]) else ""
            if opening and not opening.endswith(("：", ":")):
                opening = _closed(opening, locale)
            candidate = (f"{opening} {joined}" if locale == "en" else opening + joined) if opening else joined
            if size(candidate, locale) <= lead_limit:
                lead = candidate
                rest = [u for u in units if u != prose[0]] if opening else list(units)
            elif size(joined, locale) <= lead_limit:
                lead = joined
    if not lead:
        best = max(range(len(units)), key=lambda i: (scored.get(units[i], 0.0), -i)) if lead_by_relevance else 0
        units.insert(0, units.pop(best))
        first = units[0][len(_ITEM):] if units[0].startswith(_ITEM) else units[0]
        lead, remainder = split(first, lead_limit, locale)
        rest = units[1:]
        if remainder:  # the rest of the sentence the short answer began comes first
            scored[remainder] = max(scored.get(units[0], 0.0), max(relevance, default=0.0))
            rest.insert(0, remainder)
    room = SUPPORT_LINES - bool(next_step)
    top = max(relevance, default=0.0)
    ranked = [i for i in sorted(range(len(rest)), key=lambda i: (-scored.get(rest[i], 0.0), i))
              if not focused or top <= 0 or scored.get(rest[i], 0.0) >= SUPPORT_SHARE * top][:room]
    support = [fit(rest[i], support_limit, locale) for i in sorted(ranked)]
    extra = [rest[i] for i in range(len(rest)) if i not in ranked][:MORE_LINES]
    if locale == "en":  # a unit the corpus cut after a semicolon starts in lower case
        lead, support = lead[:1].upper() + lead[1:], [u[:1].upper() + u[1:] for u in support]
        extra = [u[:1].upper() + u[1:] for u in extra]
    extra = [_closed(u, locale) if u.endswith(("；", ";", "，", ",", "：", ":")) else u for u in extra]
    return Shaped(lead, tuple(support + ([next_step] if next_step else [])), tuple(extra))
