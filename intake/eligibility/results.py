"""What a pre-screen finds: a check per rule, a result per programme, JSON-safe for storage."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from knowledge.params import Parameter

from intake.eligibility import texts


class Outcome(StrEnum):
    """Whether a rule is met by the answers given, or cannot be told from them yet."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


def combine(outcomes: list[Outcome]) -> Outcome:
    """All met is met; any failure is not met; otherwise unknown."""
    if Outcome.NOT_MET in outcomes:
        return Outcome.NOT_MET
    if Outcome.UNKNOWN in outcomes:
        return Outcome.UNKNOWN
    return Outcome.MET


@dataclass(frozen=True, slots=True)
class Check:
    """One rule applied to one application: outcome, the figures used, the parameters read.

    `variant` picks a more specific wording, e.g. "zero_income" for a met expenditure check.
    `basis` is the clause the rule follows; `note` says, for staff, what it assumes or borrowed.
    """

    key: str
    outcome: Outcome
    figures: dict[str, Any] = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()
    variant: str = ""
    basis: str = ""
    note: str = ""

    def reason(self, locale: str = "zh") -> str:
        """A plain-language reason citing the source of every figure used (residents read this)."""
        return texts.check_reason(self, locale)

    def line(self, locale: str = "zh") -> str:
        """One short line: verdict, the household's figure against the line and its day, the margin."""
        return texts.check_line(self, locale)

    def staff_reason(self, locale: str = "zh") -> str:
        """The reason with unverified figures marked and the rule's assumption spelt out."""
        return texts.check_reason(self, locale, staff=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: figures, the parameters as read at the time, and both wordings."""
        return {
            "key": self.key,
            "outcome": str(self.outcome),
            "variant": self.variant,
            "figures": self.figures,
            "parameters": [p.to_dict() for p in self.parameters],
            "basis": self.basis,
            "note": self.note,
            "reason": {locale: self.reason(locale) for locale in texts.LOCALES},
            "staff_reason": {locale: self.staff_reason(locale) for locale in texts.LOCALES},
            "line": {locale: self.line(locale) for locale in texts.LOCALES},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        """Rebuild a stored check (the parameters it recorded, not today's file)."""
        return cls(
            key=data["key"],
            outcome=Outcome(data["outcome"]),
            figures=data.get("figures") or {},
            parameters=tuple(Parameter.from_dict(p) for p in data.get("parameters") or []),
            variant=data.get("variant", ""),
            basis=data.get("basis", ""),
            note=data.get("note", ""),
        )


@dataclass(frozen=True, slots=True)
class ProgrammeResult:
    """One government programme: its outcome follows from its checks."""

    key: str
    checks: list[Check]

    @property
    def outcome(self) -> Outcome:
        return combine([check.outcome for check in self.checks])

    def label(self, locale: str = "zh") -> str:
        """The programme's name for residents."""
        return texts.programme_label(self.key, locale)

    def checks_with(self, outcome: Outcome) -> list[Check]:
        """The checks that came out a given way, e.g. the unmet ones."""
        return [check for check in self.checks if check.outcome == outcome]

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "outcome": str(self.outcome),
            "label": {locale: self.label(locale) for locale in texts.LOCALES},
            "checks": [check.to_dict() for check in self.checks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProgrammeResult:
        return cls(key=data["key"], checks=[Check.from_dict(c) for c in data["checks"]])


@dataclass(frozen=True, slots=True)
class Prescreen:
    """Guidance for a caseworker and the resident: never a decision."""

    programmes: list[ProgrammeResult]

    def get(self, key: str) -> ProgrammeResult:
        """The result for one programme key, e.g. "dibao"."""
        for programme in self.programmes:
            if programme.key == key:
                return programme
        raise KeyError(key)

    def with_outcome(self, outcome: Outcome) -> list[ProgrammeResult]:
        """The programmes that came out a given way, in screening order."""
        return [p for p in self.programmes if p.outcome == outcome]

    @property
    def covered(self) -> bool:
        """True when at least one government programme appears to be met."""
        return bool(self.with_outcome(Outcome.MET))

    def parameters(self) -> list[Parameter]:
        """Every parameter the checks read, once each."""
        found: dict[str, Parameter] = {}
        for programme in self.programmes:
            for check in programme.checks:
                for parameter in check.parameters:
                    found.setdefault(parameter.name, parameter)
        return list(found.values())

    def standards_note(self, locale: str = "zh") -> str:
        """Once per pre-screen: the notice past its own validity its figures come from ("" if none)."""
        return texts.standards_line(self.parameters(), locale)

    def to_dict(self) -> dict[str, Any]:
        return {"programmes": [p.to_dict() for p in self.programmes],
                "standards": {locale: self.standards_note(locale) for locale in texts.LOCALES}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prescreen:
        """Rebuild a stored pre-screen, e.g. for the console or a later summary."""
        return cls(programmes=[ProgrammeResult.from_dict(p) for p in data["programmes"]])
