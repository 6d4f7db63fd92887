"""The need a resident's story names (a flooded home, no food, a hospital bill, rent, school fees, the
earner struck down), and the question it stands for: a story the corpus does not answer as written is
answered as its need (`needs` in vocabulary.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from knowledge.tokens import VOCABULARY_PATH


@dataclass(frozen=True, slots=True)
class Need:
    """One need: the words that name it in each language and the question it stands for."""

    name: str
    cues: tuple[str, ...]
    en_cues: tuple[str, ...]
    ask: str
    en_ask: str
    # named in a message of any length, not only in a story
    short: bool = False

    def count(self, normalised: str, language: str) -> int:
        """How many times a message (normalised, see Tokenizer.normalise) names this need."""
        if language == "en":
            return sum(len(re.findall(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", normalised)) for cue in self.en_cues)
        return sum(normalised.count(cue) for cue in self.cues)

    def first(self, normalised: str, language: str) -> int:
        """Where a message first names this need (its length when it does not)."""
        cues = self.en_cues if language == "en" else self.cues
        found = [normalised.find(cue) for cue in cues]
        return min((f for f in found if f >= 0), default=len(normalised))

    def question(self, language: str) -> str:
        return self.en_ask if language == "en" else self.ask


@cache
def load_needs(path: str | Path | None = None) -> tuple[Need, ...]:
    """The needs of a vocabulary file (the packaged one by default), in its order."""
    raw = yaml.safe_load(Path(path or VOCABULARY_PATH).read_text(encoding="utf-8")).get("needs") or {}
    return tuple(
        Need(str(name), tuple(str(c) for c in spec.get("cues") or ()),
             tuple(str(c).lower() for c in spec.get("en_cues") or ()), str(spec["ask"]), str(spec["en_ask"]),
             bool(spec.get("short")))
        for name, spec in raw.items()
    )


def need_of(normalised: str, language: str, needs: tuple[Need, ...] | None = None, *,
            story: bool = True) -> Need | None:
    """The need a message names most (the first named, between equals); None when it names none.
    Not a `story`: only the needs named at any length (`Need.short`)."""
    counted = [(need.count(normalised, language), -need.first(normalised, language), need)
               for need in (needs if needs is not None else load_needs()) if story or need.short]
    named = [c for c in counted if c[0]]
    return max(named, key=lambda c: c[:2])[2] if named else None
