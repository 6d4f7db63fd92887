"""Receipts of the household's spending: kept when sent, read outside the turn, their total offered.

A receipt sent at a spending amount question (spending.medical, ...) is marked `for` that category; one
sent at the receipts question gets its category from what it is (a hospital bill: medical; a school's:
education) or, when the household ticked a single category, that one. The runner reads files in the
background: the turn that receives them says they are being read, and the event `receipts_read` brings
their `reading` (fields as intake.receipts gives them, with the file's hash). Then the total of every
receipt of that category is offered, each one's own share listed; a receipt whose payer is not in the
household, dated outside the 12 months before today, or sent twice is flagged and left out of the total.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from dialogs.flows import hardship as flow
from dialogs.messages import Inbound, Option, Reply
from dialogs.steps import Step, get_answer, set_answer
from dialogs.validators import normalise

RECEIPTS = flow.BY_ID["spending.receipts"]
AMOUNTS = {f"spending.{kind}": kind for kind in flow.RIGID_KINDS}
YES, CHANGE = "_receipt_yes", "_receipt_change"
# what a receipt is, as the reader tells it, and the spending category it belongs to
CATEGORY_OF_KIND = {"outpatient": "medical", "inpatient": "medical", "pharmacy": "medical", "school": "education"}
FLAGS = ("duplicate", "payer", "date")  # why a receipt is left out of a total, for the caseworker to check


class Conversation(Protocol):
    state: dict[str, Any]
    replies: list[Reply]
    ctx: Any

    @property
    def answers(self) -> dict[str, Any]: ...
    def t(self, key: str, **params: Any) -> str: ...
    def say(self, key: str, options: tuple[Option, ...] = (), **params: Any) -> None: ...
    def ask(self, *, lead: str | None = None) -> None: ...
    def current(self) -> Step | None: ...
    def accept(self, step: Step, value: Any) -> None: ...


def takes_receipts(state: dict[str, Any] | None) -> bool:
    """Whether files sent now are receipts of the household's spending (so worth reading)."""
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


def _files(c: Conversation) -> list[dict[str, Any]]:
    return get_answer(c.answers, RECEIPTS, None) or []


def receive(c: Conversation, inbound: Inbound) -> None:
    """Keep the files with the spending receipts; say they are being read (the offer comes when they are)."""
    kind = AMOUNTS.get(c.state["step"])
    sent = [a.to_dict() | ({"for": kind} if kind else {}) for a in inbound.attachments]
    files = _files(c) + sent
    set_answer(c.answers, RECEIPTS, None, files)
    if inbound.data.get("reading"):
        return c.ask(lead=c.t("receipt.reading"))
    return c.ask(lead=c.t("file.received", count=len(files)))  # not read (no reader here): kept as sent


def on_read(c: Conversation, readings: dict[str, dict[str, Any]]) -> None:
    """Readings of files received earlier: kept on each file, then that category's total offered.

    The resident may have gone on meanwhile; the offer names its category and is answered wherever they are.
    """
    files = _files(c) if c.state["flow"] == flow.FLOW else []
    read = [f for f in files if f.get("file_id") in readings and "reading" not in f]
    if not read:
        return  # the application was filed or cancelled meanwhile: nothing waits for these readings
    for file in read:
        file["reading"] = readings[file["file_id"]]
        file.setdefault("for", _category(c, file["reading"]))
        if file["for"] is None:
            del file["for"]
    _flag(c, files)
    # said outside a turn: the open question stays as it was asked (its buttons still answer it)
    problems = [_problem(f["reading"]) for f in read if counted(f["reading"]) is None]
    for problem in dict.fromkeys(problems):  # an album of blurred photos is told once
        c.say(f"receipt.problem.{problem}", n=problems.count(problem))
    categories = [f["for"] for f in read if f.get("for") and counted(f["reading"]) is not None]
    if categories:
        _offer(c, max(dict.fromkeys(categories), key=categories.count), files)
    elif not c.replies:
        c.say("receipt.kept", count=len(files))  # read, but not of a category the household ticked


def _problem(reading: dict[str, Any]) -> str:
    problem = reading.get("problem")
    return problem if problem in ("damaged", "image_too_large", "type", "timeout") else "unreadable"


def _category(c: Conversation, reading: dict[str, Any]) -> str | None:
    """The category a receipt sent at the receipts question belongs to, among those the household ticked."""
    ticked = [k for k in (c.answers.get("spending") or {}).get("kinds") or [] if k in flow.RIGID_KINDS]
    kind = CATEGORY_OF_KIND.get(reading.get("kind") or "")
    if kind is not None:
        return kind if kind in ticked else None  # e.g. a school's bill where no schooling was ticked: staff look
    return ticked[0] if len(ticked) == 1 else None


def _household_names(answers: dict[str, Any]) -> set[str]:
    people = [answers.get("applicant") or {}, *(answers.get("members") or [])]
    return {_name(p.get("name")) for p in people if isinstance(p, dict) and p.get("name")}


def _name(value: Any) -> str:
    return normalise(str(value or "")).replace(" ", "").replace("·", "").lower()


def _year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _flag(c: Conversation, files: list[dict[str, Any]]) -> None:
    """Mark, on every read receipt, what the caseworker must check: sent twice, paid by someone outside the
    household, dated outside the 12 months before today."""
    names, today = _household_names(c.answers), c.ctx.today
    seen: set[tuple[str, str]] = set()
    for file in files:
        reading = file.get("reading")
        if not isinstance(reading, dict) or reading.get("problem"):
            continue
        flags = []
        marks = {("hash", reading.get("sha256") or ""), ("number", reading.get("number") or "")}
        marks = {mark for mark in marks if mark[1]}
        if marks & seen:
            flags.append("duplicate")
        seen |= marks
        if reading.get("payer") and names and _name(reading["payer"]) not in names:
            flags.append("payer")
        when = _date(reading.get("date"))
        if when is not None and not _year_before(today) <= when <= today:
            flags.append("date")
        if flags:
            file["flags"] = flags
        else:
            file.pop("flags", None)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _offer(c: Conversation, kind: str, files: list[dict[str, Any]]) -> None:
    """Offer the total of every readable, unflagged receipt of `kind`, each listed with what it adds."""
    mine = [f for f in files if f.get("for") == kind and counted(f.get("reading")) is not None]
    kept = [f for f in mine if not f.get("flags")]
    total = sum((counted(f["reading"]) for f in kept), Decimal(0))
    own = all(f["reading"].get("self_pay") is not None for f in kept)
    what = c.t("receipt.own_share" if own else "receipt.total")
    lines = [c.t("receipt.line", n=n, issuer=f["reading"].get("issuer") or f.get("name") or "-",
                 date=f["reading"].get("date") or c.t("receipt.no_date"), amount=f"{counted(f['reading']):,.2f}")
             for n, f in enumerate(mine, 1)]
    for n, f in enumerate(mine, 1):
        if f.get("flags"):
            reasons = c.t("list_sep").join(c.t(f"receipt.flag.{flag}", payer=f["reading"].get("payer") or "",
                                    date=f["reading"].get("date") or "") for flag in f["flags"])
            lines[n - 1] += c.t("receipt.left_out", reasons=reasons)
    label = c.t(f"label.spending.{kind}")
    if not kept:
        c.state["receipt_offer"] = None
        return c.say("receipt.none_counted", label=label, lines="\n".join(lines))
    c.state["receipt_offer"] = {"kind": kind, "amount": str(total)}
    options = (Option(c.t("opt.receipt.yes"), YES), Option(c.t("opt.receipt.change"), CHANGE))
    c.say("receipt.offer", options, label=label, lines="\n".join(lines), what=what, amount=f"{total:,.2f}")


def without_readings(application: dict[str, Any]) -> dict[str, Any]:
    """The application without what was read on its receipts (fields, flags, the category read from them):
    readings arriving after a confirm do not make it another application (it is filed once, whatever crashed)."""
    spending = application.get("spending")
    if not isinstance(spending, dict) or not spending.get("receipts"):
        return application
    files = [{k: v for k, v in f.items() if k not in ("reading", "flags", "for")} if isinstance(f, dict) else f
             for f in spending["receipts"]]
    return {**application, "spending": {**spending, "receipts": files}}


def answer(c: Conversation, raw: str, meaning: str | None, *, option: bool) -> bool:
    """The resident's answer to an offered total; False when the message is something else."""
    offer, c.state["receipt_offer"] = c.state.get("receipt_offer"), None
    choice = raw if option else {"yes": YES, "no": CHANGE}.get(meaning or "")
    if not offer or choice not in (YES, CHANGE) or offer.get("kind") not in flow.RIGID_KINDS:
        return False
    step = flow.BY_ID[f"spending.{offer['kind']}"]
    here = c.state["step"] == step.id
    if choice == CHANGE:
        c.ask(lead=None if here else c.t("receipt.kept_as_typed"))  # the amount stays as typed, or is typed now
        return True
    value = {"amount": _money(Decimal(offer["amount"])), "estimated": False}
    if here:
        c.accept(step, value)
    else:
        # read while the resident went on: the category's amount is set, and the open question asked again
        set_answer(c.answers, step, None, value)
        c.ask(lead=c.t("receipt.amount_set", label=c.t(f"label.spending.{offer['kind']}"),
                       amount=f"{Decimal(offer['amount']):,.2f}"))
    return True
