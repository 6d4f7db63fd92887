"""The retention sweep under a fake clock, on the real app's data: unfinished conversations go after 30
days, transcripts and receipts a year after the decision, decided intakes are anonymised after five years,
staff reads after three; every run (a dry run too) is recorded with its counts."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from bot.conversation import ConversationKey
from intake.models import Answer, ConsentRecord, Person, ResumeCode, RetentionRun, utcnow
from intake.privacy.sweep import RetentionSweep
from tests import golden
from tests.bot.test_resume import code_in


class Later:
    """A clock that stands `ahead` of now."""

    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def __call__(self):
        return utcnow() + self.ahead


async def count(engine, table) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar()


def expired(counts: dict[str, int]) -> dict[str, int]:
    return {name: n for name, n in counts.items() if n}


async def test_the_sweep_removes_each_class_after_its_period(any_backend):
    harness = any_backend
    svc = harness.services
    resident, intake_id = await harness.submit("alice")
    caseworker = await harness.staff("wang", "caseworker")
    await svc.queue.relay()
    await caseworker.post("/console/claim-next", data={"csrf_token": caseworker.csrf})
    accepted = await caseworker.post(f"/console/intakes/{intake_id}/accept",
                                     data={"csrf_token": caseworker.csrf, "reason": "材料齐全", "confirm": "yes"})
    assert accepted.status_code == 303
    assert (await caseworker.get(f"/console/intakes/{intake_id}")).status_code == 200
    unfinished = await harness.resident("bob")
    await unfinished.replay(golden.steps()[:6])
    bobs_code = code_in(unfinished.said())
    record = await svc.intakes.get(intake_id)
    file_ids = [a.file_id for a in record.attachments]
    # receipts are read in the background: whether their fields arrived before the confirm does not matter here
    assert file_ids and record.transcript

    clock = Later()
    sweep = RetentionSweep(svc.engine, svc.vault, svc.retention.retention, conversations=svc.states.expire,
                           clock=clock)
    assert expired(await sweep.run()) == {}  # nothing has expired today

    clock.ahead = timedelta(days=31)
    counted = expired(await sweep.run(dry_run=True))
    assert counted.get("unfinished.resume_codes") == 1 and counted.get("unfinished.transcript_lines", 0) > 0
    assert counted.get("unfinished.consents_anonymised") == 1  # bob's yes stays, no longer saying whose
    assert "transcripts.intakes" not in counted and "closed.intakes" not in counted
    assert expired(await sweep.run()) == counted  # a dry run counts exactly what a run takes
    sql_states = svc.settings.redis_url is None
    if sql_states:
        assert counted.get("unfinished.conversations") >= 1
        assert await svc.states.get(ConversationKey("api:partner", "bob")) is None
    found = await svc.resume.codes.find(bobs_code)
    assert found.holder is None  # the unused code of the abandoned application is gone
    assert (await svc.intakes.get(intake_id)).transcript  # the decided intake is untouched so far

    clock.ahead = timedelta(days=366)
    assert expired(await sweep.run()) == {"transcripts.intakes": 1, "receipts.attachments": len(file_ids)}
    record = await svc.intakes.get(intake_id)
    assert record.transcript == () and all(a.reading is None and a.file_id == "" for a in record.attachments)
    assert record.application["applicant"]["name"] == "陈美玲"  # the application itself is kept longer
    assert await svc.sweep_files(grace_seconds=0) >= len(file_ids)
    assert [await svc.files.read(file_id) for file_id in file_ids] == [None] * len(file_ids)  # gone from disk

    clock.ahead = timedelta(days=5 * 365 + 1)
    assert expired(await sweep.run()) == {"closed.intakes": 1, "logs.access": 1}
    record = await svc.intakes.get(intake_id)
    assert record.application == {} and record.prescreen is None and record.user_id == ""
    assert record.status.value == "accepted" and record.attachments == () and record.notes == ()
    assert [a.to_status.value for a in record.audit][-1] == "accepted"  # the decision trail stays
    assert await count(svc.engine, Answer) == 0 and await count(svc.engine, Person) == 0
    assert await count(svc.engine, ResumeCode) == 0
    assert await svc.intakes.list_for_user("api:partner", "alice") == []
    async with svc.engine.connect() as conn:  # the consent records stay as proof, saying nobody's
        consents = (await conn.execute(select(ConsentRecord.subject, ConsentRecord.intake_id))).all()
    # bob's one answer, and alice's four (the check, health data, her child's data, financial data)
    assert sorted(consents, key=lambda c: c.intake_id or 0) == [("anonymised", None)] + [("anonymised", intake_id)] * 4
    async with svc.engine.connect() as conn:
        row = (await conn.execute(select(Intake_table()).where(Intake_table().c.id == intake_id))).one()
    assert row.applicant_name is None and row.name_hash is None and row.phone_hash is None and row.district
    assert expired(await sweep.run()) == {}  # a second run finds nothing more

    runs = await sweep.runs(limit=6)  # (the app's own background sweep ran once more at start-up)
    assert [r["dry_run"] for r in reversed(runs)] == [False, True, False, False, False, False]
    assert runs[1]["counts"]["closed.intakes"] == 1 and runs[0]["counts"]["closed.intakes"] == 0
    assert await count(svc.engine, RetentionRun) == 7


def Intake_table():  # noqa: N802 - the table, read as it is stored
    from intake.models import Intake

    return Intake.__table__


def test_the_command_counts_in_a_dry_run_and_records_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHANQIAO_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SHANQIAO_SECRET_KEY", "test-secret-key")
    for name in ("SHANQIAO_DATABASE_URL", "SHANQIAO_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["privacy", "sweep", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["dry_run"] is True and set(out["counts"]) >= {"unfinished.conversations", "closed.intakes", "logs.access"}
    again = CliRunner().invoke(app, ["privacy", "sweep"])
    assert again.exit_code == 0 and "removed:" in again.output and "closed.intakes" in again.output
