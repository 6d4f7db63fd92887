"""The policy parameter file: one place for every figure answers quote and rules read, with its history.

`load_params()` gives the values in force today; `params.on(day)` the values in force on another
day (the pre-screen uses the application date). A value is `verified` when it was checked against
the text it cites and that text was still valid on the day; otherwise it is marked for staff and
residents see it only with the date it applies from.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).with_name("params.yaml")
UNVERIFIED_ZH = "数值待核实"
UNVERIFIED_EN = "figure to be verified"


def day_zh(iso: str) -> str:
    """2025-01-01 as 2025年1月1日."""
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def day_en(iso: str) -> str:
    """2025-01-01 as 1 January 2025."""
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


@dataclass(frozen=True, slots=True)
class Parameter:
    """One policy figure as in force on one day: where it applies, since when, where it comes from."""

    name: str
    value: float | int
    unit: str
    label_zh: str
    label_en: str
    region: str
    effective_date: str
    source: str
    document: str = ""
    clause: str = ""
    effective_to: str | None = None
    verified: bool = True
    note: str = ""
    # the real value is at least this one (a newer notice raised it; its figure was not found)
    at_least: bool = False
    # the last day the source said it was valid, when the day asked is after it (no newer text found)
    expired_on: str | None = None

    @property
    def uncertain(self) -> bool:
        """Marked for staff: not checked against a text valid on the day."""
        return not self.verified

    def label(self, locale: str = "zh") -> str:
        return self.label_en if locale == "en" else self.label_zh

    def source_text(self) -> str:
        """Title, document number and clause, as one would look the text up."""
        parts = [p for p in (self.document, self.clause) if p]
        return f"{self.source}（{'，'.join(parts)}）" if parts else self.source

    def applies_from(self, locale: str = "zh") -> str:
        """The day the value applies from, as residents read it."""
        return f"{day_zh(self.effective_date)}起" if locale == "zh" else f"from {day_en(self.effective_date)}"

    def cite(self, locale: str = "zh") -> str:
        """The citation residents read: the source and the day the value applies from, never a staff mark."""
        if locale == "zh":
            return f"{self.source_text()}，{self.region}，{self.applies_from('zh')}"
        return f"{self.source_text()}, {self.region}, {self.applies_from('en')}"

    def staff_cite(self, locale: str = "zh") -> str:
        """The citation staff read: as residents', plus the mark and the note when not verified."""
        if self.verified:
            return self.cite(locale)
        mark = UNVERIFIED_ZH if locale == "zh" else UNVERIFIED_EN
        note = f"：{self.note}" if locale == "zh" and self.note else (f": {self.note}" if self.note else "")
        return f"{self.cite(locale)}（{mark}{note}）" if locale == "zh" else f"{self.cite(locale)} ({mark}{note})"

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Parameter:
        """Rebuild a stored parameter, including those stored before values had a history."""
        data = dict(data)
        if "uncertain" in data:
            data.setdefault("verified", not data.pop("uncertain"))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def expired_notices(parameters: Iterable[Parameter]) -> tuple[list[str], str] | None:
    """The notices past their own validity (no newer text found) that these figures come from, named
    once each, and the latest day one of them was valid to; None when every notice is in force.
    What the single line residents read about the age of the standards says."""
    named: dict[str, str] = {}
    for parameter in parameters:
        if parameter.expired_on:
            title = f"{parameter.source}（{parameter.document}）" if parameter.document else parameter.source
            named[title] = max(named.get(title, ""), parameter.expired_on)
    return (list(named), max(named.values())) if named else None


@dataclass(frozen=True, slots=True)
class Basis:
    """The text and clause a rule follows; `note` says, for staff, what is assumed or borrowed."""

    source: str
    document: str = ""
    clause: str = ""
    note: str = ""

    def cite(self) -> str:
        parts = [p for p in (self.document, self.clause) if p]
        return f"{self.source}（{'，'.join(parts)}）" if parts else self.source


@dataclass(frozen=True, slots=True)
class Entry:
    """One dated value of a parameter as the file writes it."""

    value: float | int
    region: str
    start: str
    end: str | None
    source: str
    document: str
    clause: str
    valid_to: str | None
    verified: bool
    note: str
    at_least: bool = False


@dataclass(frozen=True, slots=True)
class PolicyParams:
    """The parameters in force on one day (`day`), and the history they were picked from."""

    region: str
    parameters: dict[str, Parameter]
    city_districts: dict[str, dict[str, str]]
    day: date = field(default_factory=date.today)
    history: dict[str, tuple[Entry, ...]] = field(default_factory=dict, repr=False)
    meta: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    aliases: dict[str, str] = field(default_factory=dict, repr=False)
    rules: dict[str, Basis] = field(default_factory=dict, repr=False)
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> Parameter:
        return self.parameters[name]

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def value(self, name: str) -> float | int:
        return self.parameters[name].value

    def on(self, day: date | str) -> PolicyParams:
        """The same file's values in force on another day."""
        day = date.fromisoformat(day) if isinstance(day, str) else day
        if day == self.day:
            return self
        return _snapshot(self.region, self.city_districts, self.history, self.meta, self.aliases, self.rules, day,
                         self.derived)

    def values_of(self, name: str) -> list[Parameter]:
        """Every dated value of one parameter, oldest first, each judged on its own first day."""
        name = self.aliases.get(name, name)
        return [_parameter(name, self.meta[name], entry, entry.note) for entry in self.history[name]]

    def basis(self, rule: str) -> Basis:
        """The clause a pre-screen rule follows, and what it assumes."""
        return self.rules[rule]

    def derived_from(self, factors: list[str]) -> Parameter | None:
        """The parameter the file declares as the product of these factors, e.g. the asset limit
        for 低保标准 × 24: it carries its own day and source, which the product alone would not."""
        wanted = sorted(self.aliases.get(f, f) for f in factors)
        for name, parts in self.derived.items():
            if sorted(parts) == wanted:
                return self.parameters[name]
        return None


    def names(self) -> list[str]:
        """Parameter names in file order, aliases left out."""
        return list(self.history)

    def district_label(self, key: str, locale: str = "zh") -> str:
        labels = self.city_districts.get(key)
        return labels.get(locale, labels["zh"]) if labels else key


def _in_force(entries: tuple[Entry, ...], day: date) -> tuple[Entry, str]:
    """The entry that applies on `day`, and why it is not verified there ("" when it is)."""
    iso = day.isoformat()
    started = [e for e in entries if e.start <= iso]
    if not started:
        return entries[0], f"no value found for {iso}; the earliest known value is used"
    entry = started[-1]
    if entry.end is not None and iso > entry.end:
        return entry, f"no value found for {iso}; the value last in force (to {entry.end}) is used"
    if entry.valid_to is not None and iso > entry.valid_to:
        return entry, entry.note or f"the source was valid to {entry.valid_to}"
    return entry, "" if entry.verified else entry.note


def _parameter(name: str, meta: dict[str, str], entry: Entry, note: str, doubt: bool = False,
               expired_on: str | None = None) -> Parameter:
    return Parameter(name=name, value=entry.value, unit=meta["unit"], label_zh=meta["label_zh"],
                     label_en=meta["label_en"], region=entry.region, effective_date=entry.start,
                     source=entry.source, document=entry.document, clause=entry.clause,
                     effective_to=entry.end, verified=entry.verified and not doubt, note=note,
                     at_least=entry.at_least, expired_on=expired_on)


def _snapshot(region: str, districts: dict, history: dict[str, tuple[Entry, ...]], meta: dict,
              aliases: dict[str, str], rules: dict[str, Basis], day: date,
              derived: dict[str, tuple[str, ...]]) -> PolicyParams:
    parameters: dict[str, Parameter] = {}
    for name, entries in history.items():
        entry, doubt = _in_force(entries, day)
        # past its own validity, with no later value and no newer text: the standard to confirm
        expired = (entry.valid_to is not None and day.isoformat() > entry.valid_to
                   and (entry.end is None or day.isoformat() <= entry.end))
        parameters[name] = _parameter(name, meta[name], entry, doubt or entry.note, doubt=bool(doubt),
                                      expired_on=entry.valid_to if expired else None)
    for alias, target in aliases.items():
        parameters[alias] = parameters[target]
    return PolicyParams(region=region, parameters=parameters, city_districts=districts, day=day,
                        history=history, meta=meta, aliases=aliases, rules=rules, derived=derived)


def load_params(path: str | Path | None = None, *, on: date | None = None) -> PolicyParams:
    """Read a parameter file (the packaged one by default): the values in force `on` a day (today)."""
    resolved = Path(path) if path else DEFAULT_PATH
    # keyed on the modification time too, so an edited file is read again
    return _load(str(resolved), resolved.stat().st_mtime_ns, on or date.today())


@lru_cache(maxsize=32)
def _load(path: str, _mtime: int, day: date) -> PolicyParams:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    sources = raw.get("sources") or {}
    history: dict[str, tuple[Entry, ...]] = {}
    meta: dict[str, dict[str, str]] = {}
    for name, spec in raw["parameters"].items():
        meta[name] = {"unit": spec["unit"], "label_zh": spec["label_zh"], "label_en": spec["label_en"]}
        entries = []
        for item in spec["history"]:
            cited = sources.get(item["source"], {"title": item["source"], "document": ""})
            entries.append(Entry(
                value=item["value"], region=item["region"], start=str(item["from"]),
                end=str(item["to"]) if item.get("to") else None, source=cited["title"],
                document=item.get("document", cited.get("document", "")), clause=item.get("clause", ""),
                valid_to=str(item["valid_to"]) if item.get("valid_to") else None,
                verified=bool(item["verified"]), note=item.get("note", ""), at_least=bool(item.get("at_least")),
            ))
        history[name] = tuple(sorted(entries, key=lambda e: e.start))
    rules = {}
    for rule, spec in (raw.get("rules") or {}).items():
        cited = sources.get(spec["source"], {"title": spec["source"], "document": ""})
        rules[rule] = Basis(cited["title"], cited.get("document", ""), spec.get("clause", ""), spec.get("note", ""))
    derived = {name: tuple(parts) for name, parts in (raw.get("derived") or {}).items()}
    return _snapshot(raw["region"], raw["city_districts"], history, meta, raw.get("aliases") or {}, rules, day,
                     derived)
