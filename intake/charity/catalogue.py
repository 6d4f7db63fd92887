"""The charity programme catalogue: a data file read into checked, immutable programmes."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from intake.household import MEMBER_FLAGS, RIGID_KINDS
from dialogs.catalogue import LOCALES
from intake.errors import IntakeError

DEFAULT_PATH = Path(__file__).with_name("programmes.yaml")
NEEDS = frozenset((*RIGID_KINDS, *MEMBER_FLAGS, "sudden_event"))
KINDS = ("programme", "route")
TRAITS = frozenset((
    "registered", "not_registered", "has_minor", "urgent", "uncovered", "low_income", "children_without_parents",
))
WEIGHTS = ("need", "preferred_trait", "local")
# whom a programme is for: its member needs (an illness, a disability …) must be one such person's own
PERSONS = ("minor", "adult")


class CatalogueError(IntakeError):
    """The catalogue file cannot be used; `problem` says where and why."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Source:
    """A public text an entry was checked against."""

    title: str
    url: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True)
class CharityProgramme:
    """One programme or referral route a caseworker can refer a household to."""

    key: str
    kind: str
    name: dict[str, str]
    organisation: dict[str, str]
    description: dict[str, str]
    needs: frozenset[str]
    requires: frozenset[str]
    prefers: tuple[str, ...]
    districts: frozenset[str] | None  # None: the whole city
    amount_min: int | None  # None: no source states an amount
    amount_max: int | None
    sources: tuple[Source, ...]
    staff_only: bool
    person: str | None = None  # one of PERSONS, or None: anyone in the household

    @property
    def public(self) -> bool:
        """Whether residents may be shown it: it has a source and staff need not confirm it first."""
        return bool(self.sources) and not self.staff_only

    def name_in(self, locale: str = "zh") -> str:
        return self.name.get(locale, self.name["zh"])

    def organisation_in(self, locale: str = "zh") -> str:
        return self.organisation.get(locale, self.organisation["zh"])

    def description_in(self, locale: str = "zh") -> str:
        return self.description.get(locale, self.description["zh"])

    def serves(self, district: str | None) -> bool:
        """Whether a resident registered in `district` may apply."""
        return self.districts is None or district in self.districts


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All programmes of one catalogue file and the weights that rank them."""

    programmes: tuple[CharityProgramme, ...]
    weights: dict[str, int]

    @property
    def public(self) -> tuple[CharityProgramme, ...]:
        """The entries residents may be shown."""
        return tuple(p for p in self.programmes if p.public)

    def get(self, key: str) -> CharityProgramme:
        for programme in self.programmes:
            if programme.key == key:
                return programme
        raise KeyError(key)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read a catalogue file (the packaged one by default); CatalogueError if it is malformed."""
    resolved = Path(path) if path else DEFAULT_PATH
    try:
        mtime = resolved.stat().st_mtime_ns
    except OSError as exc:
        raise CatalogueError(str(resolved), f"cannot be read ({exc.strerror})") from None
    # keyed on the modification time, so an edited catalogue is read again
    return _load(str(resolved), mtime)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int) -> Catalogue:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(path, f"is not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("programmes"), list):
        raise CatalogueError(path, "needs a 'programmes' list")
    weights = raw.get("ranking") or {}
    for name in WEIGHTS:
        if not isinstance(weights.get(name), int):
            raise CatalogueError(path, f"ranking.{name} must be a whole number")
    programmes = tuple(_programme(path, index, entry) for index, entry in enumerate(raw["programmes"]))
    keys = [p.key for p in programmes]
    if len(set(keys)) != len(keys):
        raise CatalogueError(path, "programme keys must be unique")
    return Catalogue(programmes=programmes, weights={name: weights[name] for name in WEIGHTS})


def _programme(path: str, index: int, entry: Any) -> CharityProgramme:
    where = f"programmes[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        raise CatalogueError(path, f"{where} needs a key")
    where = f"programme {entry['key']!r}"
    texts = {}
    for field in ("name", "organisation", "description"):
        value = entry.get(field)
        if not isinstance(value, dict) or any(not isinstance(value.get(loc), str) for loc in LOCALES):
            raise CatalogueError(path, f"{where}: {field} needs zh and en")
        texts[field] = dict(value)
    needs, requires, prefers = (entry.get(field) or [] for field in ("needs", "requires", "prefers"))
    if unknown := set(needs) - NEEDS:
        raise CatalogueError(path, f"{where}: unknown needs {sorted(unknown)}")
    if unknown := (set(requires) | set(prefers)) - TRAITS:
        raise CatalogueError(path, f"{where}: unknown traits {sorted(unknown)}")
    districts = entry.get("districts", "all")
    if districts != "all" and not (isinstance(districts, list) and districts):
        raise CatalogueError(path, f"{where}: districts must be 'all' or a list of district keys")
    amount = entry.get("amount")
    low, high = (amount.get("min"), amount.get("max")) if isinstance(amount, dict) else (None, None)
    if amount is not None and not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high):
        raise CatalogueError(path, f"{where}: amount needs whole min <= max, not below zero, or null")
    kind = entry.get("kind", "programme")
    if kind not in KINDS:
        raise CatalogueError(path, f"{where}: kind must be one of {', '.join(KINDS)}")
    person = entry.get("person")
    if person is not None and person not in PERSONS:
        raise CatalogueError(path, f"{where}: person must be one of {', '.join(PERSONS)}")
    if person is not None and not set(needs) & set(MEMBER_FLAGS):
        raise CatalogueError(path, f"{where}: person needs a member need (one of {', '.join(MEMBER_FLAGS)})")
    sources = entry.get("sources") or []
    if not isinstance(sources, list) or any(not isinstance(s, dict) or not isinstance(s.get("title"), str)
                                            for s in sources):
        raise CatalogueError(path, f"{where}: each source needs a title")
    return CharityProgramme(
        key=entry["key"], kind=kind, **texts,
        needs=frozenset(needs), requires=frozenset(requires), prefers=tuple(prefers),
        districts=None if districts == "all" else frozenset(districts),
        amount_min=low, amount_max=high,
        sources=tuple(Source(s["title"], str(s.get("url") or ""), str(s.get("date") or "")) for s in sources),
        staff_only=bool(entry.get("staff_only", False)), person=person,
    )
