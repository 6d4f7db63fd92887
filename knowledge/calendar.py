"""Working days as the office counts them: Monday to Friday, less the public holidays, plus the weekend days
worked in exchange (调休), year by year from the State Council's notices (`working_days` in the parameter file).

A year whose list is missing or not verified counts Monday to Friday only; `unverified` names such years, so
a deadline counted through one can say so to staff.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.params import DEFAULT_PATH


@dataclass(frozen=True, slots=True)
class HolidayYear:
    """One year's holidays and worked weekend days, and the notice they come from."""

    year: int
    holidays: frozenset[date]
    working: frozenset[date]
    verified: bool
    source: str = ""
    document: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days are working days; years not listed (or not verified) count Monday to Friday."""

    years: dict[int, HolidayYear] = field(default_factory=dict)

    def known(self, year: int) -> bool:
        """Whether the year's holidays are entered and checked against the notice."""
        found = self.years.get(year)
        return found is not None and found.verified

    def is_working(self, day: date) -> bool:
        found = self.years.get(day.year)
        if found is not None and found.verified:
            if day in found.working:
                return True
            if day in found.holidays:
                return False
        return day.weekday() < 5

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (`start` itself not counted)."""
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                left -= 1
        return day

    def unverified(self, start: date, end: date) -> tuple[int, ...]:
        """The years between `start` and `end` counted Monday to Friday for want of a verified list."""
        return tuple(year for year in range(start.year, end.year + 1) if not self.known(year))


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _year(year: int, spec: dict) -> HolidayYear:
    holidays: set[date] = set()
    for span in spec.get("holidays") or ():
        day, last = _day(span["from"]), _day(span["to"])
        while day <= last:
            holidays.add(day)
            day += timedelta(days=1)
    source = spec.get("source") or {}
    return HolidayYear(year=year, holidays=frozenset(holidays),
                       working=frozenset(_day(d) for d in spec.get("working") or ()),
                       verified=bool(spec.get("verified")), source=source.get("title", ""),
                       document=source.get("document", ""), url=source.get("url", ""), note=spec.get("note", ""))


def load_calendar(path: str | Path | None = None) -> WorkCalendar:
    """The working-day calendar of a parameter file (the packaged one by default)."""
    resolved = Path(path) if path else DEFAULT_PATH
    return _load(str(resolved), resolved.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int) -> WorkCalendar:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return WorkCalendar({int(year): _year(int(year), spec) for year, spec in (raw.get("working_days") or {}).items()})
