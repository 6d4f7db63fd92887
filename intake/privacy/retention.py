"""How long each class of resident data is kept, in one place with its defaults.

The sweep (`intake.privacy.sweep`) deletes or anonymises what has passed its period; the inventory names
each holding's class. Periods can be changed per deployment (`SHANQIAO_RETENTION`, in days) but never
below the floors the rules set.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import timedelta
from enum import StrEnum


class Kept(StrEnum):
    """Retention classes."""

    UNFINISHED = "unfinished"  # conversations never filed, their lines and waiting messages, their resume codes
    TRANSCRIPTS = "transcripts"  # the conversation behind a decided intake
    RECEIPTS = "receipts"  # receipt files and the fields read from them, of decided intakes
    CLOSED = "closed"  # decided intakes: anonymised, keeping only what statistics need
    LOGS = "logs"  # staff reads (access log)
    COUNTERS = "counters"  # guess and sign-in counters, handled update ids
    QUESTIONS = "questions"  # unanswered policy questions kept for the knowledge base
    CASE_FILE = "case_file"  # the decision trail (audit log): kept, never swept
    CONSENTS = "consents"  # consent records: kept as anonymised proof


DAY = timedelta(days=1)
# the access log must be kept at least six months (网络安全法 Art. 21: network logs >= 6 months)
FLOORS = {Kept.LOGS: 183 * DAY}


@dataclass(frozen=True, slots=True)
class Retention:
    """The period of each swept class, counted from the last activity (unfinished) or the decision."""

    unfinished: timedelta = 30 * DAY
    transcripts: timedelta = 365 * DAY
    receipts: timedelta = 365 * DAY
    closed: timedelta = 5 * 365 * DAY
    logs: timedelta = 3 * 365 * DAY
    counters: timedelta = 1 * DAY
    questions: timedelta = 365 * DAY

    def period(self, kept: Kept) -> timedelta | None:
        """The class's period, or None for a class that is never swept."""
        return getattr(self, kept.value, None)

    def with_days(self, days: dict[str, int]) -> Retention:
        """These periods changed (in days); an unknown class or a period under its floor is refused."""
        known = {f.name for f in fields(self)}
        unknown = set(days) - known
        if unknown:
            raise ValueError(f"unknown retention classes: {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})")
        changed = replace(self, **{name: n * DAY for name, n in days.items()})
        for kept, floor in FLOORS.items():
            if changed.period(kept) < floor:
                raise ValueError(f"{kept.value} must be kept at least {floor.days} days")
        if any(changed.period(Kept(name)) <= timedelta(0) for name in days):
            raise ValueError("retention periods are at least one day")
        return changed

    def table(self) -> list[tuple[Kept, timedelta | None]]:
        """Every class with its period (None: never swept), for the inventory and the docs."""
        return [(kept, self.period(kept)) for kept in Kept]
