"""Golden transcripts typed by hand: every button answered by typing its label, in Chinese and in English,
over the HTTP chat API and `shanqiao chat`; the intake stored is the one the engine worked out."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import Settings
from bot.wiring import build_services
from tests.bot.conftest import Resident, channel_token
from tests.conftest import seed_index
from tests.walk import typed_walk


def comparable(application: dict) -> dict:
    return {k: v for k, v in application.items() if k != "documents"}


@pytest.mark.parametrize("agree", [False, True], ids=["plain", "every-branch"])
@pytest.mark.parametrize("locale", ["zh", "en"])
async def test_every_button_typed_as_its_label_over_http(api, locale, agree):
    lines, expected = typed_walk(locale, agree=agree)
    resident = Resident(api, await channel_token(api), user_id=f"typed-{locale}-{agree}")
    for line in lines:
        await resident.text(line)
        assert "请从下面的选项中选择" not in resident.said() and "Please choose one of" not in resident.said(), line
    assert resident.last["state"]["flow"] is None and resident.last["state"]["intake_id"]
    record = await api.app.state.services.intakes.get(resident.last["state"]["intake_id"])
    assert comparable(record.application) == comparable(expected)
    assert record.locale == locale


@pytest.mark.parametrize("locale", ["zh", "en"])
async def test_every_button_typed_as_its_label_in_shanqiao_chat(tmp_path, locale):
    lines, expected = typed_walk(locale, agree=True)
    env = {**os.environ, "SHANQIAO_VAR_DIR": str(seed_index(tmp_path / "var")), "SHANQIAO_SECRET_KEY": "terminal-secret",
           "SHANQIAO_LOCALE": locale}
    env.pop("SHANQIAO_DATABASE_URL", None)
    env.pop("SHANQIAO_REDIS_URL", None)
    result = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--user", "typed"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert ("申请已提交" if locale == "zh" else "has been submitted") in result.stdout
    assert "请从下面的选项中选择" not in result.stdout and "Please choose one of" not in result.stdout
    services = await build_services(Settings(_env_file=None, var_dir=tmp_path / "var", secret_key="terminal-secret"))
    try:
        [mine] = await services.intakes.list_for_user("terminal", "typed")
        application = (await services.intakes.get(mine.id)).application
    finally:
        await services.aclose()
    assert comparable(application) == comparable(expected)
