"""The short preliminary result a resident reads after confirming the application."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from intake.eligibility import texts
from intake.eligibility.results import Check, Outcome, Prescreen, ProgrammeResult

# enough to act on without burying the most fitting programme in a long list
SHOWN_MATCHES = 3


def _shown(prescreen: Prescreen, assistance: str | None) -> list[ProgrammeResult]:
    """Every programme in screening order, but not one already received, nor 低保边缘 beside a likely 低保."""
    met = {p.key for p in prescreen.with_outcome(Outcome.MET)}
    return [p for p in prescreen.programmes if p.key != assistance and not (p.key == "dibao_edge" and "dibao" in met)]


# the conditions that name what a programme is for: read even when met
NEEDS = ("rigid_expenditure", "temporary_need", "unable_to_work", "no_supporter")


def _worth_a_line(check: Check) -> bool:
    """A condition not met or to be checked, met with a figure against a line (its margin), or the need itself.

    Met conditions without a figure (no car, hukou in the city) are left to the caseworker's page.
    """
    return check.outcome != Outcome.MET or "margin" in check.figures or check.key in NEEDS


def _assistance(prescreen: Prescreen) -> str | None:
    """What the household already receives, as the pre-screen read it."""
    for programme in prescreen.programmes:
        for check in programme.checks:
            if check.key == "not_already_covered":
                return check.figures.get("assistance")
    return None


def resident_summary(prescreen: Prescreen, matches: Sequence[Any], locale: str = "zh") -> str:
    """Caseworkers decide; this is what it looks like from the answers, and the programmes suggested.

    `matches` are charity matches, best first; only those residents may be shown (with a source,
    not waiting for staff to confirm them) are listed. A programme the household already receives is
    not suggested again.
    """
    def t(key: str, **values: Any) -> str:
        return texts.text(locale, key, **values)

    assistance = _assistance(prescreen)
    bullet = t("summary.bullet")
    lines = [t("summary.heading"), t("summary.advice")]
    # the order residents read: what may apply first, then what is to be checked, then the rest
    rank = {Outcome.MET: 0, Outcome.UNKNOWN: 1, Outcome.NOT_MET: 2}
    # a condition several programmes share (the asset limit, the 低保 line) is read once, where it first comes
    seen: set[tuple[str, str]] = set()
    for programme in sorted(_shown(prescreen, assistance), key=lambda p: rank[p.outcome]):
        verdict = t(f"programme_verdict.{programme.outcome}")
        lines.extend(["", t("summary.programme", label=programme.label(locale), verdict=verdict)])
        for check in programme.checks:
            said = (check.key, check.line(locale))
            if _worth_a_line(check) and said not in seen:
                seen.add(said)
                lines.append(bullet + said[1])
    if not prescreen.with_outcome(Outcome.MET) and not prescreen.with_outcome(Outcome.UNKNOWN):
        lines.extend(["", t("summary.none")])
    standards = prescreen.standards_note(locale)
    if standards:
        lines.extend(["", standards])
    lines.append("")
    shown = [m for m in matches if m.programme.public]
    if shown:
        lines.append(t("summary.charity"))
        for match in shown[:SHOWN_MATCHES]:
            programme = match.programme
            lines.append(f"{bullet}{programme.name_in(locale)} · {programme.organisation_in(locale)}")
            lines.append(f"  {match.reason(locale)}")
    else:
        lines.append(t("summary.no_charity"))
    lines.extend(["", t("summary.closing")])
    return "\n".join(lines)
