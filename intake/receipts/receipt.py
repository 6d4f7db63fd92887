"""What was read from one receipt: each field with how sure the reader is of it."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

KINDS = ("outpatient", "inpatient", "pharmacy", "school", "other")
MEDICAL = ("outpatient", "inpatient", "pharmacy")


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    amount: Decimal


@dataclass(slots=True)
class Receipt:
    """Fields of one receipt. `problem` is set when nothing usable could be read."""

    kind: str = "other"
    issuer: str | None = None
    payer: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    number: str | None = None  # the receipt's own number (票据号码, 发票号码): the same one sent twice is one bill
    total: Decimal | None = None
    self_pay: Decimal | None = None
    insurance: dict[str, Decimal] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    source: str = "ocr"  # "ocr" or "text_layer"
    # "unreadable", "no_amount", "timeout", "type", "damaged" (does not open), "image_too_large" (too many pixels)
    problem: str | None = None

    @property
    def readable(self) -> bool:
        return self.problem is None

    @property
    def counted(self) -> Decimal | None:
        """The amount that counts as the household's spending: its own share where one is printed."""
        return self.self_pay if self.self_pay is not None else self.total

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form: amounts as numbers with two decimals."""
        money = lambda v: None if v is None else float(v)  # noqa: E731
        data: dict[str, Any] = {
            "kind": self.kind, "issuer": self.issuer, "payer": self.payer, "date": self.date,
            "number": self.number,
            "total": money(self.total), "self_pay": money(self.self_pay),
            "insurance": {name: money(v) for name, v in self.insurance.items()},
            "items": [{"name": i.name, "amount": money(i.amount)} for i in self.items],
            "confidence": {name: round(v, 2) for name, v in self.confidence.items()},
            "source": self.source,
        }
        if self.problem:
            data["problem"] = self.problem
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Receipt:
        money = lambda v: None if v is None else Decimal(str(v)).quantize(Decimal("0.01"))  # noqa: E731
        return cls(kind=data.get("kind", "other"), issuer=data.get("issuer"), payer=data.get("payer"),
                   date=data.get("date"), number=data.get("number"), total=money(data.get("total")),
                   self_pay=money(data.get("self_pay")),
                   insurance={k: money(v) for k, v in (data.get("insurance") or {}).items()},
                   items=[Item(i["name"], money(i["amount"])) for i in data.get("items") or []],
                   confidence=dict(data.get("confidence") or {}), source=data.get("source", "ocr"),
                   problem=data.get("problem"))

    @classmethod
    def unreadable(cls, problem: str = "unreadable") -> Receipt:
        return cls(problem=problem, confidence={})
