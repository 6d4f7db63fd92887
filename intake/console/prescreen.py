"""The stored pre-screen as a caseworker reads it: each rule's reason in plain words, its sources apart.

The reason is the one residents read, without its citation; the citations (with a mark on figures not
verified for the day) and the rule's note on what it assumes are folded under it on the page. A note
written only in English is left out of the Chinese page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from intake.eligibility import texts
from intake.eligibility.results import Check
from knowledge.params import UNVERIFIED_ZH

_ENGLISH = re.compile(r"[A-Za-z]{4,}(?:\s+[A-Za-z]{2,}){2,}")  # three English words in a row


@dataclass(frozen=True, slots=True)
class CheckView:
    """One rule as the page shows it."""

    key: str
    label: str
    outcome: str
    reason: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class ProgrammeView:
    """One government programme's outcome and its rules; `failing` are the rules not met or not yet known."""

    key: str
    label: str
    outcome: str
    checks: tuple[CheckView, ...]

    @property
    def failing(self) -> tuple[CheckView, ...]:
        return tuple(c for c in self.checks if c.outcome != "met") if self.outcome != "met" else ()


def _in_language(note: str, locale: str) -> str:
    return "" if locale != "en" and _ENGLISH.search(note) else note


def _sources(check: Check, locale: str) -> tuple[list[str], list[str]]:
    """(what the reason cites as residents read it, what the page lists for staff)."""
    cited, listed = [], []
    for parameter in check.parameters:
        cited.append(parameter.cite(locale))
        if locale == "en":
            listed.append(parameter.staff_cite(locale))
        else:
            # the mark in Chinese; the parameter's note is written in English
            note = _in_language(parameter.note or "", locale)
            mark = UNVERIFIED_ZH + (f"：{note}" if note else "")
            listed.append(parameter.cite(locale) if parameter.verified else f"{parameter.cite(locale)}（{mark}）")
    if check.basis and not any(p.source_text() == check.basis for p in check.parameters):
        cited.append(check.basis)
        listed.append(check.basis)
    return list(dict.fromkeys(cited)), list(dict.fromkeys(listed))


def check_view(data: dict[str, Any], locale: str) -> CheckView:
    """A stored check, its reason cut from its citation."""
    check = Check.from_dict(data)
    reason = check.reason(locale)
    cited, listed = _sources(check, locale)
    if cited:
        citation = texts.text(locale, "source", sources=texts.text(locale, "source.join").join(cited))
        reason = reason.removesuffix(citation)
    return CheckView(check.key, texts.check_label(check.key, locale), str(check.outcome), reason.strip(),
                     tuple(listed), _in_language(check.note, locale))


def programme_views(stored: dict[str, Any] | None, locale: str) -> list[ProgrammeView]:
    """Every programme of a stored pre-screen (`{"programmes": [...]}`), in its order."""
    views = []
    for programme in (stored or {}).get("programmes") or []:
        label = (programme.get("label") or {}).get(locale) or texts.programme_label(programme["key"], locale)
        views.append(ProgrammeView(programme["key"], label, str(programme.get("outcome") or "unknown"),
                                   tuple(check_view(c, locale) for c in programme.get("checks") or [])))
    return views
