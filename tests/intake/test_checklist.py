"""The document checklist: materials per programme as data with their sources, only for the programmes the
pre-screen names and the households they apply to, with the receipt reading's warnings on the receipts."""
from __future__ import annotations

from datetime import UTC, datetime

from intake.console.checklist import checklist, missing_note
from intake.eligibility import PROGRAMMES
from intake.eligibility.materials import load_materials
from intake.models import IntakeStatus
from intake.store.records import AttachmentRecord, IntakeRecord
from intake.store.thread import Mark

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_every_programme_has_materials_and_every_material_a_source():
    materials, by_programme = load_materials()
    assert set(by_programme) == set(PROGRAMMES)
    for material in materials.values():
        assert material.label["zh"] and material.label["en"]
        assert not material.source.startswith(("S", "corpus:")), material.source  # resolved to a title
    # what only the knowledge corpus says is marked for staff as not verified against a policy text
    assert not materials["identity"].verified and "zhichuxing-materials.md" in materials["identity"].source
    assert materials["residence_proof"].verified and "第六条" in materials["residence_proof"].source


def reading(payer: str, date: str, self_pay: float, number: str) -> dict:
    return {"kind": "medical", "payer": payer, "date": date, "number": number, "total": self_pay, "self_pay": self_pay}


def test_the_checklist_follows_the_named_programmes_and_carries_the_receipt_warnings():
    files = [("r1", "住院发票.jpg", reading("张三", "2026-10-02", 30000, "A1"), []),
             ("r2", "住院发票副本.jpg", reading("张三", "2026-10-02", 30000, "A1"), ["duplicate"]),
             ("r3", "邻居的发票.jpg", reading("王五", "2026-09-01", 800, "B7"), ["payer"]),
             ("r4", "旧发票.jpg", reading("张三", "2024-05-01", 900, "C3"), ["date"]),
             ("d1", "身份证.jpg", None, None)]
    application = {
        "applicant": {"name": "张三", "district": "outside", "flags": ["serious_illness"]},
        "members": [{"relationship": "child", "name": "张小", "flags": ["student"]}],
        "spending": {"medical": {"amount": 52000}, "receipts": [
            {"file_id": f, "name": n, "for": "medical", **({"flags": flags} if flags else {})}
            for f, n, _, flags in files if flags is not None]},
        "documents": [{"file_id": "d1", "name": "身份证.jpg"}],
    }
    prescreen = {"prescreen": {"programmes": [{"key": "expense_hardship", "outcome": "unknown"},
                                              {"key": "temporary", "outcome": "met"},
                                              {"key": "dibao", "outcome": "not_met"}]}}
    attachments = tuple(AttachmentRecord(f, n, "image/jpeg", 1, None if r is None else 0, r) for f, n, r, _ in files)
    record = IntakeRecord(9, "web", "u", "en", IntakeStatus.CLAIMED, False, None, NOW, NOW, NOW, None, None, 1,
                          application, prescreen, None, attachments=attachments)
    marks = {"identity": Mark("identity", "received", "d1", None, "wang", NOW),
             "bank_account": Mark("bank_account", "waived", None, "paid to an existing account", "wang", NOW)}
    items = {item.key: item for item in checklist(record, marks)}

    # 低保 is not named (not met); someone studies and the household is registered outside the city: those apply
    assert "disability_certificate" not in items and {"student_proof", "residence_proof"} <= set(items)
    assert items["identity"].programmes == ("expense_hardship", "temporary")
    assert items["spending_receipts"].programmes == ("expense_hardship", "temporary")
    assert (items["identity"].state, items["identity"].files) == ("received", (("d1", "身份证.jpg"),))
    assert (items["bank_account"].state, items["bank_account"].reason) == ("waived", "paid to an existing account")
    receipts = items["spending_receipts"]
    assert receipts.state == "received" and len(receipts.files) == 4
    # the reading's flags, and the declared 52,000 against the 30,000 the unflagged receipt backs
    assert sorted(w.split(":")[0] for w in receipts.warnings) == ["amount", "date", "duplicate", "payer"]
    assert "payer:邻居的发票.jpg" in receipts.warnings

    note = missing_note(list(items.values()), "en")
    assert note.startswith("Please send photos of:") and "residence permit" in note and "ID cards" not in note
    assert len(note.splitlines()) == 1 + sum(item.state == "missing" for item in items.values())
