"""Amounts offered from receipts the runner has read: the resident confirms them or types their own.

A receipt sent at a spending amount question (spending.medical, ...) or at the receipts question is
kept in the spending receipts; one sent at an amount question is marked `for` that category. When the
runner could read it, its `reading` (fields as intake.receipts gives them) rides on the attachment;
the amount offered is what counts as spending: the own share of a medical bill, else the total.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from dialogs.flows import hardship as flow
from dialogs.messages import Inbound, Option, Reply
from dialogs.steps import Step, get_answer, set_answer

RECEIPTS = flow.BY_ID["spending.receipts"]
AMOUNTS = {f"spending.{kind}": kind for kind in flow.RIGID_KINDS}
YES, CHANGE = "_receipt_yes", "_receipt_change"


class Conversation(Protocol):
    state: dict[str, Any]

    @property
    def answers(self) -> dict[str, Any]: ...
    def t(self, key: str, **params: Any) -> str: ...
    def say(self, key: str, options: tuple[Option, ...] = (), **params: Any) -> None: ...
    def ask(self, *, lead: str | None = None) -> None: ...
    def current(self) -> Step | None: ...
    def accept(self, step: Step, value: Any) -> None: ...


def takes_receipts(state: dict[str, Any] | None) -> bool:
    """Whether files sent now are receipts of the household's spending (so worth reading before the turn)."""
    return bool(state) and state.get("flow") == flow.FLOW and not state.get("edit") \
        and (state.get("step") in AMOUNTS or state.get("step") == RECEIPTS.id)


def counted(reading: Any) -> Decimal | None:
    """What a read receipt adds to its category: the own share where printed, else the total."""
    if not isinstance(reading, dict) or reading.get("problem"):
        return None
    value = reading.get("self_pay") if reading.get("self_pay") is not None else reading.get("total")
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _money(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def receive(c: Conversation, inbound: Inbound) -> None:
    """Keep the files with the spending receipts; at an amount question, offer the amount read."""
    kind = AMOUNTS.get(c.state["step"])
    sent = [a.to_dict() | ({"for": kind} if kind else {}) for a in inbound.attachments]
    files = (get_answer(c.answers, RECEIPTS, None) or []) + sent
    set_answer(c.answers, RECEIPTS, None, files)
    said = []  # said in the same message as the question that follows
    if kind is None or not any(a.reading is not None for a in inbound.attachments):
        said.append(c.t("file.received", count=len(files)))  # at the receipts question, or not read: as before
    if any(a.reading is not None and counted(a.reading) is None for a in inbound.attachments):
        # a receipt that could not be read: said plainly; the amount is typed as before
        said.append(c.t("receipt.unreadable" if kind else "receipt.unreadable_kept"))
    read = [(f.get("reading"), counted(f.get("reading"))) for f in files if f.get("for") == kind and kind]
    read = [(reading, amount) for reading, amount in read if amount is not None]
    if not read or all(counted(a.reading) is None for a in inbound.attachments):
        c.state["receipt_offer"] = None  # nothing new was read: nothing new to offer
        return c.ask(lead="\n".join(said)) if said else c.ask()
    for text in said:
        c.replies.append(Reply(text))
    total = sum((amount for _, amount in read), Decimal(0))
    own = all(reading.get("self_pay") is not None for reading, _ in read)
    dates = c.t("list_sep").join(dict.fromkeys(r["date"] for r, _ in read if r.get("date"))) or c.t("receipt.no_date")
    c.state["receipt_offer"] = {"step": c.state["step"], "amount": str(total)}
    c.state["asked"] += 1
    options = (Option(c.t("opt.receipt.yes"), YES), Option(c.t("opt.receipt.change"), CHANGE))
    c.say("receipt.offer.one" if len(read) == 1 else "receipt.offer.many", options, n=len(read),
          amount=f"{total:,.2f}", dates=dates, what=c.t("receipt.own_share" if own else "receipt.total"))


def answer(c: Conversation, raw: str, meaning: str | None, *, option: bool) -> bool:
    """The resident's answer to an offered amount; False when the message is something else."""
    offer, c.state["receipt_offer"] = c.state.get("receipt_offer"), None
    choice = raw if option else {"yes": YES, "no": CHANGE}.get(meaning or "")
    if not offer or offer["step"] != c.state["step"] or choice not in (YES, CHANGE):
        return False
    if choice == CHANGE:
        c.ask()  # the amount question again, answered as before
        return True
    c.accept(c.current(), {"amount": _money(Decimal(offer["amount"])), "estimated": False})
    return True
