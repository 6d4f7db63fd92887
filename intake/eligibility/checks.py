"""What every rule shares (exact figures, a Check with its clause) and the rules about who may apply.

A rule is a function (application, params) -> Check, where `params` holds the values in force on the
application date (`params.day`). Exact arithmetic, no figures here: they are in knowledge/params.yaml.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from intake import household as app_figures
from knowledge.params import Parameter, PolicyParams

from intake.eligibility.results import Check, Outcome

MET, NOT_MET, UNKNOWN = Outcome.MET, Outcome.NOT_MET, Outcome.UNKNOWN
ALREADY_COVERED = ("dibao", "tekun", "dibao_edge")
HIGHER_TIERS = ("dibao", "tekun")
ASSISTANCE_VALUES = ("none", "temporary", *ALREADY_COVERED)


def exact(value: int | float) -> Fraction:
    """A parameter or amount as an exact fraction (0.6 is three fifths, not 0.59999...)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def shown(value: Fraction | int | float | None) -> int | float | None:
    """A figure as stored and shown: whole yuan stay integers, others keep two decimals."""
    if value is None:
        return None
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    # beyond float precision the cents no longer matter; keep the figure an exact integer
    if abs(value) >= 10**15:
        return round(value)
    return round(float(value), 2)


@dataclass(frozen=True, slots=True)
class Line:
    """A household figure against a line: "below" (低于, strictly), "at_most" (不超过) or "above" (超出).

    `bound`: the line is known only to be at least `limit` (a notice whose figure was not found
    raised it), so a figure that misses it cannot be refused on it. The outcome and the margin are
    read from this one comparison: the pre-screen never states a margin a second rule computed.
    """

    limit: Fraction
    kind: str = "below"
    bound: bool = False

    def meets(self, value: Fraction) -> bool:
        if self.kind == "below":
            return value < self.limit
        if self.kind == "at_most":
            return value <= self.limit
        return value > self.limit

    def outcome(self, value: Fraction) -> Outcome:
        if self.meets(value):
            return MET
        return UNKNOWN if self.bound else NOT_MET

    def margin(self, value: Fraction) -> int:
        """Whole yuan the figure must move for the comparison to turn: + up, - down.

        "below" turns once the figure reaches the line; "at_most" and "above" once it passes it.
        """
        gap = self.limit - value
        if self.kind == "below":
            return math.ceil(gap) if gap > 0 else -(math.floor(-gap) + 1)
        return math.floor(gap) + 1 if gap >= 0 else -math.ceil(-gap)


def margin(line: Line, value: Fraction, field: str) -> dict[str, Any]:
    """The margin as stored with a check: which household figure moves (its total), by how many yuan."""
    return {"field": field, "change": line.margin(value)}


def check(key: str, outcome: Outcome, params: PolicyParams, figures: dict[str, Any] | None = None,
          parameters: tuple[Parameter, ...] = (), variant: str = "", *, rule: str | None = None) -> Check:
    """A Check carrying the clause its rule follows (`rule` names it when it differs from `key`)."""
    basis = params.basis(rule or key)
    return Check(key, outcome, figures or {}, parameters, variant, basis.cite(), basis.note)


def registration(application: dict, params: PolicyParams) -> Check:
    """Hukou in one of the city's districts: the applicant's, or any counted member's (Guangdong)."""
    applicant = app_figures.applicant(application)
    district = applicant.get("district")
    if not district:
        return check("registration", UNKNOWN, params, {"missing": ["district"]})
    figures: dict[str, Any] = {"district": district}
    if district in params.city_districts:
        figures["district_label"] = {loc: params.district_label(district, loc) for loc in ("zh", "en")}
        return check("registration", MET, params, figures)
    if not isinstance(application.get("members"), list):
        return check("registration", UNKNOWN, params, figures | {"missing": ["household_size"]})
    members = application["members"]
    judged = [m for m in app_figures.memberships(application) if m.index is not None and m.counted is not False]
    hukou = [members[m.index].get("hukou") for m in judged]
    if "guangzhou" in hukou:
        return check("registration", MET, params, figures, variant="member")
    if any(h not in ("guangzhou", "outside") for h in hukou):
        return check("registration", UNKNOWN, params, figures | {"missing": ["members.hukou"]})
    return check("registration", NOT_MET, params, figures)


def _not_receiving(key: str, excluded: tuple[str, ...], application: dict, params: PolicyParams) -> Check:
    assistance = application.get("assistance")
    if assistance not in ASSISTANCE_VALUES:
        return check(key, UNKNOWN, params, {"missing": ["assistance"]})
    return check(key, NOT_MET if assistance in excluded else MET, params, {"assistance": assistance})


def not_already_covered(application: dict, params: PolicyParams) -> Check:
    """Not already a 低保, 特困 or 低保边缘 household (刚性支出困难家庭认定办法 第四条（一）)."""
    return _not_receiving("not_already_covered", ALREADY_COVERED, application, params)


def not_in_higher_tier(application: dict, params: PolicyParams) -> Check:
    """A 低保边缘 household is one not covered by 低保 or 特困."""
    return _not_receiving("not_in_higher_tier", HIGHER_TIERS, application, params)


def members_missing(application: dict) -> list[str]:
    """What is still needed to know who counts in the household."""
    if not isinstance(application.get("members"), list):
        return ["household_size"]
    unclear = [m for m in app_figures.memberships(application) if m.counted is None]
    return list(dict.fromkeys("members.support_duty" if m.reason == "duty_unknown" else "members.lives_together"
                              for m in unclear))
