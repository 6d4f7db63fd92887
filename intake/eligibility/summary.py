"""The short preliminary result a resident reads after confirming the application."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from intake.eligibility import texts
from intake.eligibility.results import Outcome, Prescreen, ProgrammeResult

# enough to act on without burying the most fitting programme in a long list
SHOWN_MATCHES = 3


def _suggested(prescreen: Prescreen, outcome: Outcome, assistance: str | None) -> list[ProgrammeResult]:
    programmes = prescreen.with_outcome(outcome)
    met = {p.key for p in prescreen.with_outcome(Outcome.MET)}
    # a household that looks eligible for 低保 is assessed for 低保, not for the tier above it
    return [
        p for p in programmes
        if p.key != assistance and not (p.key == "dibao_edge" and "dibao" in met)
    ]


def _missing(programme: ProgrammeResult) -> list[str]:
    codes: list[str] = []
    for check in programme.checks_with(Outcome.UNKNOWN):
        codes.extend(check.figures.get("missing") or [])
    return codes


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
    lines = [t("summary.heading"), t("summary.disclaimer"), ""]
    likely = _suggested(prescreen, Outcome.MET, assistance)
    unclear = _suggested(prescreen, Outcome.UNKNOWN, assistance)
    if likely:
        lines.append(t("summary.likely"))
        lines.extend(bullet + p.label(locale) for p in likely)
    if unclear:
        lines.append(t("summary.unclear"))
        for programme in unclear:
            missing = _missing(programme)
            item = (t("summary.unclear_item", label=programme.label(locale), missing=texts.missing_list(missing, locale))
                    if missing else programme.label(locale))
            lines.append(bullet + item)
    if not likely and not unclear:
        lines.append(t("summary.none"))
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
