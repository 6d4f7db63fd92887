"""Tokens for the English rendering of the corpus: stemmed words, everyday synonyms, word rarity."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
import yaml

from knowledge.tokens import VOCABULARY_PATH, Concept, Query

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DIGITS = re.compile(r"\d+")
# zipf frequencies count per billion words: a word of zipf z has probability 10 ** (z - 9)
_ZIPF_TOP = 9.0
_NEVER_SEEN_ZIPF = 1.0
# everyday English is counted over a far larger vocabulary than jieba's Chinese dictionary, so the
# same rarity in nats says less; this offset (chosen on the tuning half) puts them on one scale
EVERYDAY_ENGLISH_OFFSET = 2.0
# stems kept of words already seen
STEM_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class EnglishVocabulary:
    """The English part of `vocabulary.yaml`: words that say nothing about a topic, and synonyms."""

    stopwords: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: str | Path | None = None) -> EnglishVocabulary:
        """Read the vocabulary file (the packaged one by default)."""
        raw = yaml.safe_load(Path(path or VOCABULARY_PATH).read_text(encoding="utf-8"))
        return cls(
            stopwords=frozenset(str(w) for w in raw.get("english_stopwords") or ()),
            synonyms={str(k).lower(): tuple(str(w) for w in v) for k, v in (raw.get("english_synonyms") or {}).items()},
        )


class EnglishTokenizer:
    """Turns English passages and questions into stemmed tokens; one per process (`english_tokenizer`)."""

    def __init__(self, vocabulary: EnglishVocabulary | None = None) -> None:
        self.vocabulary = vocabulary or EnglishVocabulary.load()
        self._stemmer = snowballstemmer.stemmer("english")
        self._stems: dict[str, str] = {}

    def normalise(self, text: str) -> str:
        """Full-width to half-width, lower case, typographic apostrophes plain."""
        return unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")

    def words(self, text: str) -> list[str]:
        """The content words of a text, in order, possessives dropped."""
        words = (w.split("'")[0] for w in _WORD.findall(self.normalise(text)))
        return [w for w in words if w and w not in self.vocabulary.stopwords]

    def document_tokens(self, text: str) -> list[str]:
        """The tokens a passage is indexed under."""
        return [self._stem(w) for w in self.words(text)]

    def query(self, text: str) -> Query:
        """The tokens and concepts of a question, everyday words widened to the corpus's words."""
        concepts: list[Concept] = []
        tokens: list[str] = []
        for word in self.words(text):
            stems = [self._stem(w) for phrase in (word, *self.vocabulary.synonyms.get(word, ())) for w in phrase.split()]
            tokens.extend(stems)
            # a figure the resident quotes is not a topic the passage must share
            if not _DIGITS.fullmatch(word):
                concepts.append(Concept(word, frozenset(stems)))
        return Query(text=text, tokens=tuple(dict.fromkeys(tokens)), concepts=tuple(concepts))

    def specificity(self, word: str) -> float:
        """How rare a word is in everyday English (wordfreq), in nats, like `Tokenizer.specificity`."""
        return _specificity(word)

    def _stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stemmer.stemWord(word)
            # residents' words repeat (Zipf); the cache stops growing at a size no question reaches
            if len(self._stems) < STEM_CACHE_SIZE:
                self._stems[word] = stem
        return stem


@lru_cache(maxsize=STEM_CACHE_SIZE)
def _specificity(word: str) -> float:
    # a wordfreq lookup normalises and tokenises the word again each time; residents' words repeat (Zipf)
    from wordfreq import zipf_frequency  # imported on first need: most questions are in Chinese

    zipf = zipf_frequency(word, "en") or _NEVER_SEEN_ZIPF
    return (_ZIPF_TOP - zipf) * math.log(10) + EVERYDAY_ENGLISH_OFFSET


@lru_cache(maxsize=1)
def english_tokenizer() -> EnglishTokenizer:
    """The process-wide English tokenizer over the packaged vocabulary."""
    return EnglishTokenizer()
