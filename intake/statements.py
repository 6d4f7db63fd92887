"""What a resident writes that a caseworker must act on at once, found in their own words and quoted.

Six kinds: no food, eviction or nowhere to live, in hospital now, nobody to care for a dependent,
water, power or gas cut off, thoughts of ending one's life. Phrases are listed in Mandarin, Cantonese
and English; traditional characters are read as simplified first (Hong Kong forms), so one list serves
both scripts. A phrase just after a denial in the same clause ("没有断粮", "we are not going hungry")
does not count. Past events are left out where the words tell (住院 alone is often last year's stay;
正在住院, 住紧院, "still in hospital" are now).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

KINDS = ("no_food", "eviction", "hospitalised", "no_carer", "utilities", "self_harm")

# each kind: phrases as regular expressions over lower-cased simplified text
PHRASES: dict[str, tuple[str, ...]] = {
    "no_food": (
        "断粮", "断顿", "没饭吃", "没有饭吃", "吃不上饭", "吃不饱", "没吃饱", "揭不开锅", "饿肚子", "挨饿",
        "没东西吃", "没有东西吃", "没有吃的", "没钱买(?:米|菜|吃的|饭)", "[0-9一二两三四五六七八九十几]+天没(?:有)?吃",
        "冇饭食", "冇嘢食", "冇米落锅", "食唔饱", "冇钱买(?:米|餸|嘢食)",
        r"\bno food\b", r"\bout of food\b", r"\bnothing to eat\b", r"\b(?:haven't|have not|hasn't|has not) eaten\b",
        r"\bgo(?:ing)? hungry\b", r"\b(?:can't|cannot|can not) afford (?:food|to eat)\b", r"\bskipping meals\b",
        r"\bstarving\b",
    ),
    "eviction": (
        "赶出来", "赶出去", "被赶走", "赶我们走", "被房东赶", "要我们搬走", "让我们搬走", "限期搬走", "逼迁",
        "强制搬离", "无家可归", "流落街头", "露宿", "没地方住", "没有地方住", "没处住", "收回房子",
        "收[返番]间屋", "收[返番]屋", "冇地方住", "冇屋住", "瞓街", "[俾畀]人赶走", "赶我哋走", "要我哋搬走", "冇瓦遮头",
        r"\bevict(?:ed|ion|ing)?\b", r"\bkicked (?:us |me )?out\b", r"\bthrown (?:us |me )?out\b", r"\bhomeless\b",
        r"\bsleeping (?:rough|on the streets?)\b", r"\bnowhere to (?:live|stay|sleep)\b", r"\bchanged the locks\b",
    ),
    "hospitalised": (
        "正在住院", "还在住院", "仍在住院", "现在住院", "目前住院", "住院中", "住着院", "在icu", "重症监护",
        "抢救", "病危", "送进医院", "躺在医院", "刚入院", "住进医院",
        "住紧院", "入咗院", "喺医院", "留院", "深切治疗",
        r"\b(?:is|am|are|'s|'m|'re|still|currently|now) (?:in|at) (?:the )?hospital\b",
        r"\b(?:is|am|are|still|currently|now|just been|has been|have been) (?:hospitali[sz]ed|admitted)\b",
        r"\bin (?:the )?(?:icu|intensive care)\b", r"\bcritical condition\b",
    ),
    "no_carer": (
        "没人照顾", "没有人照顾", "无人照顾", "无人照料", "没人照料", "没人管", "没有人管", "无人看管", "没人看管",
        "没人带孩子", "独自在家",
        "冇人照顾", "冇人睇", "冇人湊",
        r"\b(?:no one|nobody|no-one) (?:to|will|can|could) (?:look after|care for|take care of|watch)\b",
        r"\b(?:left )?(?:home )?alone at home\b", r"\bhome alone\b",
    ),
    "utilities": (
        "停水", "停电", "停气", "断水", "断电", "断了水", "断了电", "被停了?[水电气]", "燃气被停", "煤气被停", "水电被停",
        "水电都停", "欠费停",
        "[停断截]咗[水电气]",
        r"\b(?:electricity|power|water|gas|heating)(?: supply)? (?:was |has been |have been |got |is |are )?"
        r"(?:cut off|shut off|disconnected|turned off|cut)\b",
        r"\b(?:cut|shut|turned) off (?:our|the|my) (?:electricity|power|water|gas)\b", r"\bno (?:electricity|running water)\b",
    ),
    "self_harm": (
        "不想活", "活不下去", "活着没意思", "活着没有意思", "想死", "去死", "寻死", "自杀", "轻生", "一死了之", "了结自己",
        "结束生命", "跳楼", "跳河", "喝农药", "不如死了", "死了算了",
        "唔想活", "唔想再?生存", "活唔落去", "死咗算", "死咗佢",
        r"\bkill(?:ing)? myself\b", r"\bend(?:ing)? my life\b", r"\bend it all\b", r"\bsuicid(?:e|al)\b",
        r"\b(?:don't|do not) want to (?:live|go on)\b", r"\bwant to die\b", r"\bself[- ]harm\b", r"\bhurt(?:ing)? myself\b",
        r"\bno reason to live\b", r"\bbetter off dead\b",
    ),
}

# a denial just before a phrase, in the same clause
_DENIAL_ZH = re.compile(r"(?:没有|没|不是|不会|并非|未|不至于|没到|唔系|唔会|未至于|冇)[^，,]{0,3}$")
_DENIAL_EN = re.compile(r"\b(?:not|never|no longer|isn't|aren't|wasn't|weren't|don't|doesn't|didn't)\b[^,]{0,12}$")
_SENTENCES = re.compile(r"(?:[^。！？!?；;\n.]|\.(?=\S))+")  # a full stop inside 3.5 or e.g. does not end one
_CLAUSES = re.compile(r"[^，,。！？!?；;\n]+")
LONGEST_QUOTE = 80
CONTEXT = 36  # characters kept either side of a phrase in a long clause


@dataclass(frozen=True, slots=True)
class Statement:
    """One thing the resident wrote that cannot wait: its kind, and their words as a quote."""

    kind: str
    quote: str


@lru_cache(maxsize=1)
def _matcher() -> tuple[opencc.OpenCC, re.Pattern[str]]:
    groups = "|".join(f"(?P<{kind}>{'|'.join(PHRASES[kind])})" for kind in KINDS)
    # the Hong Kong standard first, as for the knowledge base: residents here write Hong Kong forms
    return opencc.OpenCC("hk2s"), re.compile(groups)


def _read(text: str) -> str:
    converter, _ = _matcher()
    return converter.convert(unicodedata.normalize("NFKC", text)).lower()


def _denied(before: str) -> bool:
    return bool(_DENIAL_ZH.search(before) or _DENIAL_EN.search(before))


def _quote(sentence: str, start: int, end: int) -> str:
    """The resident's sentence around a phrase; a long one is cut to the clause, then to the words around it."""
    text = sentence.strip()
    if len(text) <= LONGEST_QUOTE:
        return text
    clause = next((c for c in _CLAUSES.finditer(sentence) if c.start() <= start < c.end()), None)
    if clause is not None and len(clause.group().strip()) <= LONGEST_QUOTE:
        return clause.group().strip()
    left, right = max(0, start - CONTEXT), min(len(sentence), end + CONTEXT)
    # whole words in English: widen to the spaces around the window
    while 0 < left and sentence[left - 1].isascii() and sentence[left - 1].isalnum():
        left -= 1
    while right < len(sentence) and sentence[right].isascii() and sentence[right].isalnum():
        right += 1
    return ("…" if left else "") + sentence[left:right].strip() + ("…" if right < len(sentence) else "")


def statements(text: str | None) -> list[Statement]:
    """Every kind of crisis the text states, once each, with the sentence that says it, in order."""
    if not isinstance(text, str) or not text.strip():
        return []
    _, pattern = _matcher()
    found: dict[str, Statement] = {}
    for sentence in _SENTENCES.finditer(text):
        read = _read(sentence.group())
        # simplified text of a Hong Kong sentence keeps its length, so a quote comes from the resident's own characters
        same_length = len(read) == len(sentence.group())
        for match in pattern.finditer(read):
            kind = match.lastgroup
            clause_start = max(read.rfind(c, 0, match.start()) for c in "，,") + 1
            if kind is None or kind in found or _denied(read[clause_start:match.start()]):
                continue
            source = sentence.group() if same_length else read
            found[kind] = Statement(kind, _quote(source, match.start(), match.end()))
    return sorted(found.values(), key=lambda s: KINDS.index(s.kind))
