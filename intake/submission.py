"""Filing: every way an application reaches a caseworker, with one screening, one duplicate search and a key.

Three things file: a resident's first confirmation (`file_application`), their answers to a caseworker's
request for more information (`return_answers`), and a return call that finds a closed household still in
need (`file_visit`). Each screens the application with `screen`, looks for the same people in other
intakes, and writes through the store in one transaction, idempotent on a submission key: a confirm or a
recording repeated after a crash or a lost reply finds what it filed first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from intake import household
from intake.charity import Match, match_programmes
from intake.crypto import Vault
from intake.eligibility import Prescreen, prescreen, resident_summary
from intake.store.answers import merge
from intake.store.base import BaseIntakeStore
from intake.store.records import ReturnVisitRecord, VisitFinding
from intake.store.rows import user_key
from knowledge.params import PolicyParams

# earlier intakes of the same people kept with a new one, the newest: a person filed again and again
# must not make every filing slower and every record longer (the console shows the newest few)
DUPLICATES_KEPT = 20


@dataclass(frozen=True, slots=True)
class Screened:
    """An application screened for filing: the pre-screen, the charity matches, the intakes sharing a person."""

    screen: Prescreen
    matches: list[Match]
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    own: list[dict[str, Any]] = field(default_factory=list)  # those of `duplicates` this resident filed

    def stored(self) -> dict[str, Any]:
        """What the intake keeps as its pre-screen."""
        return {"prescreen": self.screen.to_dict(), "matches": [m.to_dict() for m in self.matches],
                "duplicates": self.duplicates}


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


async def screen(store: BaseIntakeStore, application: dict[str, Any], *, params: PolicyParams, vault: Vault,
                 resident: str, intake_id: int | None = None) -> Screened:
    """Pre-screen and match the application and find its people in other intakes (`intake_id`, the one
    being filed again, is not its own duplicate); `resident` is the filer's `user_key`."""
    result = prescreen(application, params)
    duplicates, own = await _duplicates(store, application, params=params, vault=vault, resident=resident)
    return Screened(result, match_programmes(application, result),
                    [d for d in duplicates if d["intake_id"] != intake_id],
                    [d for d in own if d["intake_id"] != intake_id])


async def file_application(store: BaseIntakeStore, application: dict[str, Any], *, params: PolicyParams,
                           vault: Vault, channel: str, user_id: str, locale: str, submission_key: str,
                           staff_id: str | None = None, answer_staff: dict[str, str] | None = None) -> Filed:
    """A resident's confirmation: screen the application and file it once; return what the resident hears."""
    screened = await screen(store, application, params=params, vault=vault, resident=user_key(vault, channel, user_id))
    intake_id = await store.submit(
        application, channel=channel, user_id=user_id, locale=locale, staff_id=staff_id,
        prescreen=screened.stored(), submission_key=submission_key, answer_staff=answer_staff)
    # a resident hears only of their own applications: an ID number typed in must not reveal
    # whether someone else has applied; caseworkers see every match
    return Filed(intake_id, screened.screen, screened.matches, screened.duplicates,
                 [d for d in screened.own if d["intake_id"] != intake_id])


async def return_answers(store: BaseIntakeStore, intake_id: int, answers: dict[str, Any], *, params: PolicyParams,
                         vault: Vault, channel: str, user_id: str, submission_key: str,
                         staff_id: str | None = None) -> None:
    """A resident's answers to a request for more information: the intake, with them, is screened again
    and back in the queue (`IntakeNotFound` if it is not theirs, `NoOpenRequest` if nothing waits for them)."""
    record = await store.get(intake_id)
    screened = await screen(store, merge(record.application, answers), params=params, vault=vault,
                            resident=user_key(vault, channel, user_id), intake_id=intake_id)
    await store.return_more_info(intake_id, answers, staff_id, channel=channel, user_id=user_id,
                                 prescreen=screened.stored(), submission_key=submission_key)


async def file_visit(store: BaseIntakeStore, visit_id: int, *, actor: str, note: str = "",
                     params: PolicyParams, vault: Vault) -> ReturnVisitRecord:
    """A return call found the household still in need: a new intake from its last answers, screened and
    queued, with the visit recorded and linked to it, all at once (`visit:<id>` is the submission key)."""
    visit = await store.return_visit(visit_id)
    old = await store.get(visit.intake_id)
    screened = await screen(store, old.application, params=params, vault=vault,
                            resident=user_key(vault, old.channel, old.user_id))
    applicant = old.application.get("applicant") if isinstance(old.application.get("applicant"), dict) else {}
    duplicates = [{"intake_id": old.id, "status": old.status.value, "name": applicant.get("name") or ""},
                  *(d for d in screened.duplicates if d["intake_id"] != old.id)]
    await store.submit(
        old.application, channel=old.channel, user_id=old.user_id, locale=old.locale, staff_id=actor,
        prescreen={**screened.stored(), "duplicates": duplicates}, submission_key=f"visit:{visit_id}",
        visit=VisitFinding(visit_id, actor, note.strip(), f"[{visit.sample}] #{old.id} {note.strip()}".strip()))
    return await store.return_visit(visit_id)


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
