"""Texts in Chinese and English, and the one way every part of Shanqiao looks them up.

Each part keeps its own table (the dialogs' questions, the console's labels, the pre-screen's
reasons...) in a `Catalogue`; they all answer `catalogue(locale, key, **params)` by one rule:

- the locale is read by its language ("en-GB" is English); a language with no table reads Chinese;
- a key missing in that language reads the Chinese text, then `default` when given, then the key
  itself (a page never breaks over a missing text; tests check every table is complete);
- `{name}` fields are filled from `params`; a field not given stays visible as `{name}`.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

LOCALES = ("zh", "en")  # the languages Shanqiao speaks
FALLBACK = "zh"
_MISSING: Any = object()


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def language(locale: str | None) -> str:
    """The language part of a locale, lower-case: "en-GB" -> "en"."""
    return (locale or "").split("-")[0].split("_")[0].strip().lower()


class Catalogue(Mapping[str, Mapping[str, str]]):
    """Texts by locale then key, e.g. Catalogue({"zh": {...}, "en": {...}})."""

    def __init__(self, tables: Mapping[str, Mapping[str, str]]) -> None:
        if FALLBACK not in tables:
            raise ValueError(f"a catalogue needs its {FALLBACK} table")
        self.tables = dict(tables)

    @classmethod
    def from_pairs(cls, pairs: Mapping[str, tuple[str, str]]) -> Catalogue:
        """A catalogue from {key: (zh, en)}, the form short page labels are written in."""
        return cls({"zh": {k: zh for k, (zh, _) in pairs.items()}, "en": {k: en for k, (_, en) in pairs.items()}})

    def locale(self, locale: str | None) -> str:
        """The locale this catalogue answers `locale` in."""
        if locale in self.tables:
            return locale
        code = language(locale)
        return code if code in self.tables else FALLBACK

    def template(self, locale: str | None, key: str, default: Any = _MISSING) -> str | None:
        """The unformatted text, by the fallback rule; None only when `default` is None."""
        template = self.tables[self.locale(locale)].get(key)
        if template is None:
            template = self.tables[FALLBACK].get(key)
        if template is None:
            return key if default is _MISSING else default
        return template

    def __call__(self, locale: str | None, key: str, /, default: Any = _MISSING, **params: Any) -> str:
        template = self.template(locale, key, default)
        if template is None or not params:
            return template
        return template.format_map(_Params(params))

    def knows(self, key: str) -> bool:
        """Whether `key` has a text (in Chinese, which every key has)."""
        return key in self.tables[FALLBACK]

    # a Mapping of locale -> table, for code that walks every text (tests, completeness checks)
    def __getitem__(self, locale: str) -> Mapping[str, str]:
        return self.tables[locale]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)
