"""Real ID numbers at every ID step over the HTTP chat API and `shanqiao chat`, through to the stored intake."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import Settings
from bot.wiring import build_services
from dialogs.flows import hardship as flow
from tests.bot.conftest import Resident, channel_token
from tests.conftest import seed_index
from tests.dialogs.test_id_numbers import OLDER_RESIDENTS
from tests.walk import answer, kind_of, steps_of_kind, typed_walk

ID_STEPS = steps_of_kind("id_number")


def people(application: dict) -> list[dict]:
    return [application["applicant"], *application.get("members", [])]


async def walk(resident: Resident, at_id_step) -> dict:
    """Answer by kind until submitted; `at_id_step(resident, step)` answers every ID question."""
    await resident.text("开始申请")
    seen = []
    for _ in range(200):
        state = resident.last["state"]
        if state["flow"] is None:
            return resident.last
        step = state["step"]
        if kind_of(step) == "id_number":
            seen.append(step)
            await at_id_step(resident, step)
            assert resident.step != step, resident.said()
            continue
        options = [o["value"] for r in resident.last["replies"] for o in r["options"]]
        kind, value = answer(step, options)
        await (resident.option(value) if kind == "option" else resident.text(value))
    raise AssertionError("the walk did not finish")


@pytest.mark.parametrize("first", [0, 2])
async def test_real_numbers_pass_at_every_id_step_and_reach_the_caseworker_flagged(api, first):
    numbers = dict(zip(ID_STEPS, OLDER_RESIDENTS[first:], strict=False))  # each person their own number
    resident = Resident(api, await channel_token(api), user_id=f"old-{first}")

    async def slip_then_real(resident, step):
        number = numbers[step]
        wrong = number[:-1] + ("1" if number[-1] == "0" else "0")
        await resident.text(wrong)
        assert resident.step == step and "校验位" in resident.said()
        await resident.text(number)

    done = await walk(resident, slip_then_real)
    record = await api.app.state.services.intakes.get(done["state"]["intake_id"])
    application = record.application
    assert [p["id_number"] for p in people(application)] == [numbers[step] for step in ID_STEPS]
    assert application["follow_up"] == {"applicant.id_number": "id_area_unverified"}
    assert all(m["follow_up"] == {"id_number": "id_area_unverified"} for m in application["members"])


async def test_numbers_not_at_hand_are_left_for_the_caseworker_over_http(api):
    resident = Resident(api, await channel_token(api), user_id="no-card")

    async def not_at_hand(resident, step):
        await resident.text("没带身份证")
        assert "社工" in resident.said()

    done = await walk(resident, not_at_hand)
    application = (await api.app.state.services.intakes.get(done["state"]["intake_id"])).application
    assert [p["id_number"] for p in people(application)] == [None] * len(ID_STEPS)
    assert application["follow_up"] == {"applicant.id_number": "not_at_hand"}
    assert all(m["follow_up"] == {"id_number": "not_at_hand"} for m in application["members"])


async def test_real_numbers_at_every_id_step_through_shanqiao_chat(tmp_path):
    number, member = OLDER_RESIDENTS[0], OLDER_RESIDENTS[1]
    wrong = number[:-1] + "9"
    lines, _ = typed_walk("zh", {"id_number": [wrong, number], "members.id_number": [member[:-1] + "9", member]})
    env = {**os.environ, "SHANQIAO_VAR_DIR": str(seed_index(tmp_path / "var")), "SHANQIAO_SECRET_KEY": "terminal-secret",
           "SHANQIAO_LOCALE": "zh"}
    env.pop("SHANQIAO_DATABASE_URL", None)
    env.pop("SHANQIAO_REDIS_URL", None)
    result = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--user", "ids"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.count("校验位不对") == len(ID_STEPS)
    assert "申请已提交" in result.stdout
    services = await build_services(Settings(_env_file=None, var_dir=tmp_path / "var", secret_key="terminal-secret"))
    try:
        mine = await services.intakes.list_for_user("terminal", "ids")
        application = (await services.intakes.get(mine[0].id)).application
    finally:
        await services.aclose()
    assert [p["id_number"] for p in people(application)] == [number, member]
    assert flow.BY_ID[ID_STEPS[0]].group is None and application["follow_up"]["applicant.id_number"] == \
        "id_area_unverified"


async def test_an_unknown_county_code_passes_over_http_and_reaches_the_caseworker_flagged(api):
    from tests.dialogs.test_id_numbers import UNKNOWN_COUNTY

    resident = Resident(api, await channel_token(api), user_id="county-0108")

    async def unknown_county_for_the_applicant(resident, step):
        await resident.text(UNKNOWN_COUNTY if flow.BY_ID[step].group is None else OLDER_RESIDENTS[0])

    done = await walk(resident, unknown_county_for_the_applicant)
    application = (await api.app.state.services.intakes.get(done["state"]["intake_id"])).application
    assert application["applicant"]["id_number"] == UNKNOWN_COUNTY
    assert application["follow_up"] == {"applicant.id_number": "id_county_unknown"}
