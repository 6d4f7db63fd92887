"""Receipts beside what was read from them, per expense, and whether they agree with the declared amount."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dialogs import application as figures
from intake.receipts.receipt import Receipt
from intake.store.records import IntakeRecord

TOLERANCE = Decimal("1.00")  # yuan: rounding by the resident is not a disagreement


@dataclass(frozen=True, slots=True)
class ReadReceipt:
    file_id: str
    name: str
    is_image: bool
    receipt: Receipt | None  # None: sent before receipts were read, or not read


@dataclass(frozen=True, slots=True)
class ExpenseReceipts:
    """One expense's receipts; `disagrees` when the declared amount and the receipts' own shares differ."""

    number: int
    declared: Decimal | None
    read_total: Decimal | None
    receipts: tuple[ReadReceipt, ...]
    unread: int

    @property
    def disagrees(self) -> bool:
        return self.declared is not None and self.read_total is not None \
            and abs(self.declared - self.read_total) >= TOLERANCE


def _declared(expense: Any) -> Decimal | None:
    amount = expense.get("amount") if isinstance(expense, dict) else None
    value = amount.get("amount") if isinstance(amount, dict) else amount
    return None if value is None or isinstance(value, bool) else Decimal(str(value)).quantize(Decimal("0.01"))


def expense_receipts(record: IntakeRecord) -> list[ExpenseReceipts]:
    """For each expense with receipts: each receipt with its read fields, and the declared and read sums.

    Spending asked by category keeps one list of receipts, set against the rigid-spending total.
    """
    application = record.application
    if isinstance(application.get("spending"), dict):
        expenses = [{"amount": figures.rigid_expenditure_total(application)}]
    else:
        expenses = application.get("expenses") or []
    found = []
    for index, expense in enumerate(expenses):
        files = [a for a in record.attachments if a.expense_index == index]
        if not files:
            continue
        receipts = tuple(ReadReceipt(a.file_id, a.name, a.content_type.startswith("image/"),
                                     Receipt.from_dict(a.reading) if a.reading else None) for a in files)
        counted = [r.receipt.counted for r in receipts if r.receipt and r.receipt.readable and r.receipt.counted]
        unread = sum(1 for r in receipts if not (r.receipt and r.receipt.readable and r.receipt.counted))
        found.append(ExpenseReceipts(index + 1, _declared(expense), sum(counted, Decimal(0)) if counted else None,
                                     receipts, unread))
    return found
