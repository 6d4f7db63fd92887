"""Monthly amounts over the HTTP chat API, in Mandarin, English and Cantonese: confirmed once, filed as the
12 months' figure with the words and period said; cents typed reach the caseworker as typed."""
from __future__ import annotations

import re

import pytest

from tests.bot.conftest import Resident, channel_token
from tests.walk import answer

CJK = re.compile(r"[\u3400-\u9fff]")
# locale, first line, what is typed at wages and at medical spending, the expected yearly figures
CASES = [
    ("zh", "开始申请", "每月5000", "一个月八百", 60000, 9600),
    ("en", "apply", "1500 a month", "800/month", 18000, 9600),
    ("yue", "你好", "每個月三千五蚊", "一個月八百蚊", 42000, 9600),  # the menu's button, then Cantonese
]


async def walk(resident: Resident, locale: str, typed: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Answer by kind until submitted, with `typed` moves at chosen steps; returns every reply text."""
    seen = []
    for _ in range(200):
        state = resident.last["state"]
        seen.append(resident.said())
        if state["flow"] is None:
            return seen
        step = state["step"]
        if step in typed:
            for kind, value in typed.pop(step):
                await (resident.option(value) if kind == "option" else resident.text(value))
                seen.append(resident.said())
            assert resident.step != step, resident.said()
            continue
        options = [o["value"] for r in resident.last["replies"] for o in r["options"]]
        kind, value = answer(step, options, "en" if locale == "en" else "zh")
        await (resident.option(value) if kind == "option" else resident.text(value))
    raise AssertionError("the walk did not finish")


@pytest.mark.parametrize("locale, start, wages, medical, yearly_wages, yearly_medical", CASES)
async def test_monthly_amounts_are_confirmed_and_filed_for_12_months(api, locale, start, wages, medical,
                                                                     yearly_wages, yearly_medical):
    resident = Resident(api, await channel_token(api), user_id=f"monthly-{locale}")
    await resident.text(start)
    if resident.step is None:
        await resident.option("start")
    typed = {
        "income.sources": [("option", "wages"), ("option", "_done")],
        "income.wages": [("text", wages), ("option", "yes")],
        "spending.kinds": [("option", "medical"), ("option", "_done")],
        "spending.medical": [("text", medical), ("option", "yes")],
    }
    seen = await walk(resident, locale, typed)
    confirmations = [text for text in seen if "一年约" in text or "a year. Is that right?" in text]
    assert len(confirmations) == 2, seen
    if locale == "en":
        about_amounts = [line for text in seen for line in text.splitlines() if "yuan" in line or "12 months" in line]
        assert len(about_amounts) >= 4 and not any(CJK.search(text) for text in about_amounts), [t for t in about_amounts if CJK.search(t)]
    application = (await api.app.state.services.intakes.get(resident.last["state"]["intake_id"])).application
    wages_said = application["income"]["wages"]
    assert wages_said["amount"] == yearly_wages and wages_said["said"]["period"] == "month"
    assert wages_said["said"]["words"] == wages and wages_said["said"]["amount"] * 12 == yearly_wages
    assert application["spending"]["medical"]["amount"] == yearly_medical


async def test_a_bare_figure_keeps_the_12_months_meaning_and_cents_are_kept_over_http(api):
    resident = Resident(api, await channel_token(api), user_id="cents")
    await resident.text("开始申请")
    typed = {
        "income.sources": [("option", "wages"), ("option", "_done")],
        "income.wages": [("text", "15000")],
        "spending.kinds": [("option", "medical"), ("option", "_done")],
        "spending.medical": [("text", "14,293.90元")],
    }
    await walk(resident, "zh", typed)
    application = (await api.app.state.services.intakes.get(resident.last["state"]["intake_id"])).application
    assert application["income"]["wages"] == {"amount": 15000, "estimated": False}
    assert application["spending"]["medical"] == {"amount": 14293.9, "estimated": False}
