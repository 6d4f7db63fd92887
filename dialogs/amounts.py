"""Amounts with their period: what a resident said ("每月5000", "1500 a month") and the figure the record keeps
for the period its question asks about (docs/application.md: a Money and its `said`)."""
from __future__ import annotations

from typing import Any

from dialogs.steps import Step
from dialogs.texts import t
from dialogs.numbers import MONEY_MAX, parse_money, yuan
from dialogs.validators import Invalid

MONTHS = {"month": 1, "year": 12}
WORDS_MAX = 100  # the words kept beside an amount; parse_money refuses anything much longer


def read(step: Step, text: str, *, estimated: bool = False) -> dict[str, Any]:
    """The Money stored for `step` from typed `text`; a period named is kept under "said" with the words.

    A bare figure is taken for the question's own period; a figure for another period is converted (and
    confirmed, see `converted`); a period at a question about what is held now is asked again.
    """
    said = parse_money(text)
    money = {"amount": said["amount"], "estimated": estimated or said["estimated"]}
    period = said["period"]
    if period is None:
        return money
    if step.period is None:
        raise Invalid("invalid.money_not_periodic")
    if period != step.period:
        money["amount"] = yuan(said["amount"] * MONTHS[step.period] / MONTHS[period])
        if money["amount"] > MONEY_MAX:
            raise Invalid("invalid.money_too_large")
    money["said"] = {"words": text[:WORDS_MAX], "amount": said["amount"], "period": period}
    return money


def converted(step: Step, money: dict[str, Any]) -> bool:
    """Whether the amount was said for another period than the question's (so the resident confirms it)."""
    said = money.get("said") or {}
    return said.get("period") not in (None, step.period)


def shown(amount: int | float) -> str:
    """5000 -> "5,000"; cents as typed stay: 14293.9 -> "14,293.90"."""
    whole = isinstance(amount, int) or float(amount).is_integer()
    return f"{int(amount):,}" if whole else f"{amount:,.2f}"


def as_said(locale: str, money: dict[str, Any]) -> str:
    """The figure as the resident said it, with its period: "每月5,000元", "5,000 yuan a month"."""
    said = money["said"]
    return t(locale, f"amount.per.{said['period']}", amount=shown(said["amount"]))


def confirmation(locale: str, step: Step, money: dict[str, Any]) -> str:
    """每月5,000元，一年约60,000元，对吗？"""
    return t(locale, f"amount.convert.{step.period}", said=as_said(locale, money), amount=shown(money["amount"]))
