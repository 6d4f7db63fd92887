"""Tokens for Chinese policy text: traditional to simplified, jieba words, pinyin bigrams, English terms."""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import yaml
from dialogs.script import simplified

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")
# a city's name at the head of a longer name is not the city (中山大学, 中山路, 北京路 are in Guangzhou)
_NOT_A_PLACE_AFTER = r"(?!大学|大道|路|医|公园|纪念|站|街|广场|[a-z])"
# pinyin bigrams live beside the words in one vocabulary; the prefix keeps them apart from English
PINYIN_PREFIX = "~"
_CJK = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[a-z0-9][a-z0-9.+#&_%-]+|\d")
_DIGITS = re.compile(r"[\d.]+")
_CHINESE_AMOUNT = re.compile(r"[零一二两三四五六七八九十百千万亿几多余来半]+[块元蚊岁个]?|[块元]")
PARTIAL_MATCH = 0.5
# jieba's own count of each word a vocabulary taught it, as it was before
_DICTIONARY_COUNTS: dict[str, int] = {}


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing a question asks about, and which passage tokens count as mentioning it."""

    surface: str
    # the word itself and its everyday synonyms: any one is a full mention
    exact: frozenset[str]
    # dictionary sub-words of a compound (买房子: 买房, 房子): each found one is a share of a mention
    parts: tuple[str, ...] = ()
    # a misspelt word still counts when all of its sound bigrams appear ...
    pinyin_all: tuple[str, ...] = ()
    # ... and a stray single character when a bigram joining it to a neighbour does
    pinyin_any: tuple[str, ...] = ()
    # the characters of a compound: a phrase jieba made up (有车) counts when each appears,
    # a dictionary word (机票) only half counts (机 of 机动车 and 票 of 票据 are not a ticket)
    characters: tuple[str, ...] = ()
    character_match: float = PARTIAL_MATCH

    def match(self, tokens: frozenset[str] | set[str], units: Sequence[frozenset[str]] | None = None) -> float:
        """How far a passage with these tokens mentions this concept, from 0 to 1.

        With the tokens of each of the passage's sentences (`units`), a compound's characters count
        only when one sentence has them all (护 of 保护 and 照 of 照片 are far apart: no 护照).
        """
        if not self.exact.isdisjoint(tokens):
            return 1.0
        if self.pinyin_all and all(b in tokens for b in self.pinyin_all):
            return 1.0
        if any(b in tokens for b in self.pinyin_any):
            return 1.0
        share = sum(p in tokens for p in self.parts) / len(self.parts) if self.parts else 0.0
        if self.characters and all(c in tokens for c in self.characters):
            if units is None or any(all(c in unit for c in self.characters) for unit in units):
                share = max(share, self.character_match)
        return share

    def tokens(self) -> frozenset[str]:
        """Every token that can stand for this concept."""
        return self.exact | frozenset((*self.parts, *self.pinyin_all, *self.pinyin_any))


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the index sees it: BM25 tokens and the concepts it asks about."""

    text: str
    tokens: tuple[str, ...]
    concepts: tuple[Concept, ...]

    @classmethod
    def joined(cls, parts: Sequence[Query], text: str) -> Query:
        """The question made of several parts cut apart by punctuation (clauses of a long message)."""
        return cls(
            text=text,
            tokens=tuple(dict.fromkeys(t for part in parts for t in part.tokens)),
            concepts=tuple(c for part in parts for c in part.concepts),
        )


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The contents of `vocabulary.yaml`."""

    domain_words: tuple[str, ...]
    stopwords: frozenset[str]
    english: dict[str, tuple[str, ...]]
    colloquial: dict[str, tuple[str, ...]]
    # Cantonese wording rewritten to Mandarin, in order
    cantonese: tuple[tuple[re.Pattern[str], str], ...] = ()
    # spellings OpenCC leaves as they are that Mainland text writes otherwise (甚么 -> 什么), longest first
    variants: tuple[tuple[str, str], ...] = ()
    # cities whose rules the corpus does not hold, and the words that say the question is about this one
    other_places: tuple[str, ...] = ()
    home_places: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Vocabulary:
        """Read a vocabulary file (the packaged one by default)."""
        raw = yaml.safe_load(Path(path or VOCABULARY_PATH).read_text(encoding="utf-8"))
        return cls(
            domain_words=tuple(raw.get("domain_words") or ()),
            stopwords=frozenset(str(w) for w in raw.get("stopwords") or ()),
            english={k.lower(): tuple(v) for k, v in (raw.get("english") or {}).items()},
            colloquial={k: tuple(v) for k, v in (raw.get("colloquial") or {}).items()},
            cantonese=tuple((re.compile(pattern), str(to)) for pattern, to in raw.get("cantonese") or ()),
            variants=tuple(
                sorted(((str(k), str(v)) for k, v in (raw.get("variants") or {}).items()), key=lambda kv: -len(kv[0]))
            ),
            other_places=tuple(str(p).lower() for p in raw.get("other_places") or ()),
            home_places=tuple(str(p).lower() for p in raw.get("home_places") or ()),
        )

    def question_phrases(self) -> set[str]:
        """Stopword phrases jieba must cut whole (给我列一下: 给我/列一下, not 给/我列/一下)."""
        return {w for w in self.stopwords if len(w) > 1 and _CJK.fullmatch(w)}

    def jieba_words(self) -> set[str]:
        """Words jieba must keep whole, so a question and a passage cut them the same way."""
        words = set(self.domain_words) | set(self.colloquial)
        for terms in (*self.english.values(), *self.colloquial.values()):
            words.update(terms)
        return {w for w in words if _CJK.fullmatch(w)}


class Tokenizer:
    """Turns documents and questions into tokens; build one per process (see `shared_tokenizer`)."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or Vocabulary.load()
        self._stop = self.vocabulary.stopwords
        self._jieba = _loaded_jieba()
        words = sorted(self.vocabulary.jieba_words())
        # everyday words residents use (each colloquial entry) keep their everyday counts for
        # `specificity`: being taught to jieba does not make 每个月 a rare word
        everyday = set(self.vocabulary.colloquial) - set(self.vocabulary.domain_words)
        for word in words:
            # jieba is shared by every tokenizer of the process: the count before any was taught it
            _DICTIONARY_COUNTS.setdefault(word, self._jieba.FREQ.get(word, 0))
            self._jieba.add_word(word)
        taught = list(words)
        for phrase in self.vocabulary.question_phrases():
            # only phrases jieba lacks: teaching a known one (多少) lowers its count and glues it (多少钱)
            if not self._jieba.FREQ.get(phrase):
                _DICTIONARY_COUNTS.setdefault(phrase, 0)
                self._jieba.add_word(phrase)
                taught.append(phrase)
        # what was taught, with the counts jieba settled on, so a saved tokenizer is taught again quickly
        self._taught = {w: (self._jieba.FREQ[w], _DICTIONARY_COUNTS[w]) for w in taught}
        self._everyday = {w: _DICTIONARY_COUNTS[w] for w in words if w in everyday}
        self._freq = self._jieba.FREQ
        self._total = self._jieba.total
        self._pinyin: dict[str, str] = {}
        # one pass finds whether any Cantonese rule applies; most questions need none of them
        self._cantonese = re.compile("|".join(f"(?:{p.pattern})" for p, _ in self.vocabulary.cantonese) or "(?!)")
        phrases = sorted(self.vocabulary.english, key=len, reverse=True)
        # ASCII word edges by hand: Python's \b treats Chinese characters as word characters
        self._english = re.compile(
            r"(?<![a-z])(" + "|".join(re.escape(p) for p in phrases) + r")(?:e?s)?(?![a-z])"
        )

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_jieba", "_freq", "_total")}
        # jieba's dictionary goes along: a pickle of it loads in a third of the time jieba's own cache takes
        state["_dictionary"] = (self._jieba.FREQ, self._jieba.total)
        return state

    def __setstate__(self, state: dict) -> None:
        dictionary = state.pop("_dictionary")
        self.__dict__.update(state)
        self._jieba = _loaded_jieba(dictionary)
        for word, (count, before) in self._taught.items():
            _DICTIONARY_COUNTS.setdefault(word, before)
            if self._jieba.FREQ.get(word) != count:
                self._jieba.add_word(word, count)  # with its count: no trial cut of the word, as at first
        self._freq = self._jieba.FREQ
        self._total = self._jieba.total

    def learn_sounds(self, first: int = 0x4E00, last: int = 0x9FFF) -> None:
        """Look up the sound of every character of a block now, so that answering needs no pinyin library."""
        for code in range(first, last + 1):
            self._sound(chr(code))

    def elsewhere(self, text: str) -> str | None:
        """The other city a question is about (深圳的低保标准), as written; None when it is about this one."""
        normalised = self.normalise(text)
        if any(place in normalised for place in self.vocabulary.home_places):
            return None
        return next((place for place in self.vocabulary.other_places
                     if place in normalised and re.search(re.escape(place) + _NOT_A_PLACE_AFTER, normalised)), None)

    def normalise(self, text: str) -> str:
        """Full-width to half-width, traditional to simplified, Cantonese wording to Mandarin, lower case."""
        text = simplified(unicodedata.normalize("NFKC", text)).lower()
        for variant, standard in self.vocabulary.variants:
            text = text.replace(variant, standard)
        if self._cantonese.search(text):
            for pattern, replacement in self.vocabulary.cantonese:
                text = pattern.sub(replacement, text)
        return text

    def document_tokens(self, text: str) -> list[str]:
        """The tokens a passage is indexed under."""
        runs, latin = self._scan(self.normalise(text))
        tokens: list[str] = []
        for run in runs:
            for word in run:
                tokens.extend(self._search_words(word))
                # a one-character question word (车, 房, 拒) meets the longer words it is part of
                if len(word) > 1:
                    tokens.extend(ch for ch in word if ch not in self._stop)
            tokens.extend(self._bigrams("".join(run)))
        tokens.extend(_stem(w) for w in latin)
        return tokens

    def query(self, text: str) -> Query:
        """The tokens and concepts of a question, with English and everyday words expanded."""
        concepts: list[Concept] = []
        tokens: list[str] = []

        def english(match: re.Match[str]) -> str:
            terms = self.vocabulary.english[match.group(1)]
            concepts.append(Concept(match.group(1), frozenset(terms)))
            tokens.extend(terms)
            return " "

        runs, latin = self._scan(self._english.sub(english, self.normalise(text)))
        for run in runs:
            bigrams = self._bigrams("".join(run))
            tokens.extend(bigrams)
            start = 0
            for word in run:
                end = start + len(word)
                parts = tuple(w for w in self._search_words(word) if w != word)
                # a compound jieba knows whole (摔断了腿) still means what its everyday parts mean (摔断)
                synonyms = tuple(
                    dict.fromkeys(s for w in (word, *parts) for s in self.vocabulary.colloquial.get(w, ()))
                )
                tokens.extend((*parts, word, *synonyms))
                single = len(word) == 1
                if _CHINESE_AMOUNT.fullmatch(word):
                    # a sum the resident mentions (八千, 二十多万) is not a topic the passage must share
                    start = end
                    continue
                concepts.append(
                    Concept(
                        word,
                        frozenset((word, *synonyms)),
                        parts=parts,
                        pinyin_all=() if single else tuple(bigrams[start : end - 1]),
                        pinyin_any=tuple(bigrams[max(start - 1, 0) : end]) if single else (),
                        characters=() if single else tuple(c for c in word if c not in self._stop),
                        character_match=PARTIAL_MATCH if self._freq.get(word) else 1.0,
                    )
                )
                start = end
        for word in latin:
            stem = _stem(word)
            tokens.append(stem)
            # a figure the resident quotes is not a topic the passage must share
            if not _DIGITS.fullmatch(stem):
                concepts.append(Concept(stem, frozenset((stem,))))
        # a word said twice (安全不安全) is still one thing asked about
        unique: dict[str, Concept] = {}
        for concept in concepts:
            unique.setdefault(concept.surface, concept)
        return Query(text=text, tokens=tuple(dict.fromkeys(tokens)), concepts=tuple(unique.values()))

    def specificity(self, word: str) -> float:
        """How rare a word is in everyday Chinese (jieba's dictionary counts), in nats."""
        if word.isascii():
            # an English word in a Chinese question: the corpus either has it or cannot answer it
            return math.inf
        count = self._everyday[word] if word in self._everyday else self._freq.get(word)
        if count:
            return math.log(self._total / (count + 1))
        # a word jieba made up on the fly is as everyday as its characters
        return sum(math.log(self._total / (self._freq.get(c, 0) + 1)) for c in word) / len(word)

    def _scan(self, text: str) -> tuple[list[list[str]], list[str]]:
        """Runs of adjacent Chinese content words, and the Latin-script words, of normalised text."""
        runs: list[list[str]] = [[]]
        latin: list[str] = []
        for piece in self._jieba.cut(text):
            word = piece.strip()
            if word and word not in self._stop and _CJK.fullmatch(word):
                runs[-1].append(word)
                continue
            if word and word not in self._stop and _LATIN.fullmatch(word):
                latin.append(word)
            if runs[-1]:
                runs.append([])
        return [run for run in runs if run], latin

    def _search_words(self, word: str) -> Iterator[str]:
        """The word and its dictionary sub-words, as jieba's search mode cuts them."""
        for size in (2, 3):
            if len(word) > size:
                for i in range(len(word) - size + 1):
                    gram = word[i : i + size]
                    if self._freq.get(gram) and gram not in self._stop:
                        yield gram
        yield word

    def _bigrams(self, run: str) -> list[str]:
        """Pinyin of each pair of adjacent characters: homophone typos (底保/低保) still meet."""
        sounds = [self._sound(ch) for ch in run]
        return [PINYIN_PREFIX + a + b for a, b in zip(sounds, sounds[1:])]

    def _sound(self, char: str) -> str:
        sound = self._pinyin.get(char)
        if sound is None:
            from pypinyin import lazy_pinyin  # imported on first need: a saved tokenizer knows most sounds

            sound = self._pinyin[char] = lazy_pinyin(char)[0]
        return sound


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_JIEBA: list[jieba.Tokenizer] = []  # the process's one jieba, once loaded


def _loaded_jieba(dictionary: tuple[dict[str, int], int] | None = None) -> jieba.Tokenizer:
    """jieba with its 5 MB dictionary, loaded once per process and shared by every Tokenizer: from a saved
    tokenizer's copy of the dictionary when it comes with one, else from jieba's own files."""
    if not _JIEBA:
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        if dictionary is None:
            tokenizer.initialize()
        else:
            tokenizer.FREQ, tokenizer.total = dictionary
            tokenizer.initialized = True
        _JIEBA.append(tokenizer)
    return _JIEBA[0]


@lru_cache(maxsize=1)
def shared_tokenizer() -> Tokenizer:
    """The process-wide tokenizer over the packaged vocabulary."""
    return Tokenizer()
