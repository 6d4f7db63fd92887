"""An intake's document checklist: the materials of the programmes its pre-screen names, each needed, received
(which file), missing or waived (why), with warnings on the receipts (reusing what the receipt reading flagged)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intake.console.context import OUTSIDE
from intake.console.receipts import expense_receipts
from intake.eligibility.materials import Material, load_materials
from intake.eligibility.texts import programme_label
from intake.household import household_flags
from intake.store.records import IntakeRecord
from intake.store.thread import Mark

NAMED = ("met", "unknown")  # programmes the pre-screen names: likely eligible, or to be checked


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One material: for which programmes, its state (received | missing | waived), the files, warnings."""

    material: Material
    programmes: tuple[str, ...]
    state: str
    files: tuple[tuple[str, str], ...] = ()  # (file id, name)
    reason: str | None = None
    marked_by: str | None = None
    warnings: tuple[str, ...] = field(default=())  # keys: receipt.flag.payer, ... (with the file's name)

    @property
    def key(self) -> str:
        return self.material.key

    def as_dict(self, locale: str) -> dict[str, Any]:
        return {"item": self.key, "label": self.material.text(locale), "programmes": list(self.programmes),
                "state": self.state, "files": [{"file_id": f, "name": n} for f, n in self.files],
                "reason": self.reason, "marked_by": self.marked_by, "warnings": list(self.warnings),
                "source": self.material.source, "verified": self.material.verified, "note": self.material.note}


def named_programmes(record: IntakeRecord) -> list[str]:
    """The programmes the pre-screen names for this household (likely eligible or to be checked), in order."""
    programmes = ((record.prescreen or {}).get("prescreen") or {}).get("programmes") or []
    return [p["key"] for p in programmes if isinstance(p, dict) and p.get("outcome") in NAMED]


def _applies(material: Material, record: IntakeRecord) -> bool:
    if material.when is None:
        return True
    if material.when == "outside":
        return (record.application.get("applicant") or {}).get("district") == OUTSIDE
    return material.when in household_flags(record.application)


def receipt_warnings(record: IntakeRecord) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Every spending receipt (file id, name) and the warnings the reading left on them: a payer not in the
    household, a date outside the 12 months, the same receipt twice, a sum that disagrees with the declared one."""
    files, warnings = [], []
    for group in expense_receipts(record):
        for receipt in group.receipts:
            files.append((receipt.file_id, receipt.name))
            warnings.extend(f"{flag}:{receipt.name}" for flag in receipt.flags)
        if group.disagrees:
            warnings.append(f"amount:{group.title}")
    return tuple(files), tuple(warnings)


def checklist(record: IntakeRecord, marks: dict[str, Mark]) -> list[ChecklistItem]:
    """The checklist of `record`: each material once, with every named programme that asks for it."""
    materials, by_programme = load_materials()
    wanted: dict[str, list[str]] = {}
    for programme in named_programmes(record):
        for key in by_programme.get(programme, ()):
            if _applies(materials[key], record):
                wanted.setdefault(key, []).append(programme)
    names = {a.file_id: a.name for a in record.attachments}
    out = []
    for key, programmes in wanted.items():
        material, mark = materials[key], marks.get(key)
        files, warnings = receipt_warnings(record) if material.receipts else ((), ())
        if mark is not None and mark.state == "waived":
            out.append(ChecklistItem(material, tuple(programmes), "waived", files, mark.reason, mark.actor, warnings))
        elif mark is not None and mark.state == "received" and mark.file_id:
            marked = ((mark.file_id, names.get(mark.file_id, mark.file_id)),)
            out.append(ChecklistItem(material, tuple(programmes), "received", marked + tuple(
                f for f in files if f[0] != mark.file_id), None, mark.actor, warnings))
        else:
            out.append(ChecklistItem(material, tuple(programmes), "received" if files else "missing", files,
                                     None, None, warnings))
    return out


def missing_note(items: list[ChecklistItem], locale: str) -> str:
    """The request's note to the resident: the missing materials, one a line, in their language."""
    missing = [item.material.text(locale) for item in items if item.state == "missing"]
    if not missing:
        return ""
    lead = "Please send photos of:" if locale == "en" else "请拍照发来以下材料："
    return "\n".join([lead, *(f"{n}. {text}" for n, text in enumerate(missing, 1))])


def programme_names(keys: tuple[str, ...], locale: str) -> str:
    return ("、" if locale != "en" else ", ").join(programme_label(k, locale) for k in keys)
