"""Receipts beside what was read from them, per spending category, and whether they back the declared amount."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dialogs.receipts import CATEGORY_OF_KIND
from dialogs.texts import t
from intake.receipts.receipt import Receipt
from intake.store.records import AttachmentRecord, IntakeRecord

TOLERANCE = Decimal("1.00")  # yuan: rounding by the resident is not a disagreement


@dataclass(frozen=True, slots=True)
class ReadReceipt:
    file_id: str
    name: str
    is_image: bool
    receipt: Receipt | None  # None: sent before receipts were read, or not read
    flags: tuple[str, ...] = ()  # why it is left out of the read total (dialogs.receipts.FLAGS): staff check it


@dataclass(frozen=True, slots=True)
class ExpenseReceipts:
    """One category's receipts; `disagrees` when the declared amount and the receipts' own shares differ."""

    title: str
    declared: Decimal | None
    read_total: Decimal | None
    receipts: tuple[ReadReceipt, ...]
    unread: int

    @property
    def disagrees(self) -> bool:
        return self.declared is not None and self.read_total is not None \
            and abs(self.declared - self.read_total) >= TOLERANCE


def _declared(amount: Any) -> Decimal | None:
    value = amount.get("amount") if isinstance(amount, dict) else amount
    return None if value is None or isinstance(value, bool) else Decimal(str(value)).quantize(Decimal("0.01"))


def _check(title: str, declared: Decimal | None, files: list[AttachmentRecord],
           flags: dict[str, tuple[str, ...]] | None = None) -> ExpenseReceipts:
    receipts = tuple(ReadReceipt(a.file_id, a.name, a.content_type.startswith("image/"),
                                 Receipt.from_dict(a.reading) if a.reading else None,
                                 (flags or {}).get(a.file_id, ())) for a in files)
    counted = [r.receipt.counted for r in receipts
               if r.receipt and r.receipt.readable and r.receipt.counted and not r.flags]
    unread = sum(1 for r in receipts if not (r.receipt and r.receipt.readable and r.receipt.counted))
    return ExpenseReceipts(title, declared, sum(counted, Decimal(0)) if counted else None, receipts, unread)


def expense_receipts(record: IntakeRecord, locale: str = "zh") -> list[ExpenseReceipts]:
    """For each spending category with receipts: each receipt with its read fields, the declared and read sums."""
    found = []
    spending = record.application.get("spending")
    if isinstance(spending, dict):
        sent = {f.get("file_id"): f for f in spending.get("receipts") or [] if isinstance(f, dict)}
        groups: dict[str | None, list[AttachmentRecord]] = {}
        for attachment in (a for a in record.attachments if a.expense_index == 0 and a.file_id in sent):
            category = sent[attachment.file_id].get("for") or \
                CATEGORY_OF_KIND.get((attachment.reading or {}).get("kind") or "")
            groups.setdefault(category, []).append(attachment)
        for category, files in groups.items():
            title = t(locale, f"label.spending.{category}") if category else t(locale, "label.spending.receipts")
            flags = {file_id: tuple(f.get("flags") or ()) for file_id, f in sent.items()}
            found.append(_check(title, _declared(spending.get(category)) if category else None, files, flags))
        return found
    for index, expense in enumerate(record.application.get("expenses") or []):  # records before spending kinds
        files = [a for a in record.attachments if a.expense_index == index]
        if files and isinstance(expense, dict):
            found.append(_check(f"{index + 1}", _declared(expense.get("amount")), files))
    return found
