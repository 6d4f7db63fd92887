"""Filing a finished application: pre-screen, charity matches, duplicate search and the intake, in one call.

Filing is idempotent: each confirmation carries a submission key that the conversation saved before
the write, so a confirm repeated after a crash or a lost reply returns the intake it filed first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from intake import household
from intake.charity import Match, match_programmes
from intake.crypto import Vault
from intake.eligibility import Prescreen, prescreen, resident_summary
from intake.store.base import BaseIntakeStore
from intake.store.rows import user_key
from knowledge.params import PolicyParams

# earlier intakes of the same people kept with a new one, the newest: a person filed again and again
# must not make every filing slower and every record longer (the console shows the newest few)
DUPLICATES_KEPT = 20


@dataclass(frozen=True, slots=True)
class Filed:
    """What filing gave: the intake number, the pre-screen, the matches, and earlier applications."""

    intake_id: int
    screen: Prescreen
    matches: list[Match]
    # open or recent intakes sharing a person with this one; the resident hears only of their own
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    own_earlier: list[dict[str, Any]] = field(default_factory=list)

    def resident_summary(self, locale: str) -> str:
        return resident_summary(self.screen, self.matches, locale)


def screen_application(application: dict[str, Any], params: PolicyParams) -> dict[str, Any]:
    """The stored pre-screen of an application: every rule's result and the charity matches."""
    screen = prescreen(application, params)
    return {"prescreen": screen.to_dict(),
            "matches": [m.to_dict() for m in match_programmes(application, screen)]}


async def file_application(store: BaseIntakeStore, application: dict[str, Any], *, params: PolicyParams,
                           vault: Vault, channel: str, user_id: str, locale: str, submission_key: str,
                           staff_id: str | None = None, answer_staff: dict[str, str] | None = None) -> Filed:
    """Screen, match, look for duplicates and file the application once; return what the resident hears."""
    screen = prescreen(application, params)
    matches = match_programmes(application, screen)
    resident = user_key(vault, channel, user_id)
    duplicates, own = await _duplicates(store, application, params=params, vault=vault, resident=resident)
    intake_id = await store.submit(
        application, channel=channel, user_id=user_id, locale=locale, staff_id=staff_id,
        prescreen={"prescreen": screen.to_dict(), "matches": [m.to_dict() for m in matches],
                   "duplicates": duplicates},
        submission_key=submission_key, answer_staff=answer_staff)
    # a resident hears only of their own applications: an ID number typed in must not reveal
    # whether someone else has applied; caseworkers see every match
    return Filed(intake_id, screen, matches, duplicates, [d for d in own if d["intake_id"] != intake_id])


async def _duplicates(store: BaseIntakeStore, application: dict[str, Any], *, params: PolicyParams,
                      vault: Vault, resident: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """People of this application already in an open or recently recognised intake: every such intake,
    and those among them that this resident filed (`resident` is their `user_key`)."""
    hashes = {vault.id_number_hash(person["id_number"]): person.get("name") or ""
              for person in household.people(application) if isinstance(person.get("id_number"), str)}
    if not hashes:
        return [], []
    months = int(params.value("duplicate_lookback_months"))
    since = datetime.now(timezone.utc) - timedelta(days=months * 31)
    found = await store.people_in_intakes(list(hashes), since, limit=DUPLICATES_KEPT)
    seen: dict[int, dict[str, Any]] = {}
    for match in found:
        seen.setdefault(match.intake_id, {"intake_id": match.intake_id, "status": str(match.status),
                                          "name": hashes.get(match.id_hash, "")})
    own = {match.intake_id for match in found if match.user_key == resident}
    return list(seen.values()), [duplicate for n, duplicate in seen.items() if n in own]
