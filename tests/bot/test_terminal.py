"""`shanqiao chat` with piped stdin: the golden application from the terminal, in Chinese and in English."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.wiring import build_services
from dialogs.flows import hardship as flow
from tests import golden
from tests.conftest import seed_index

TYPED = {"zh": {"_done": "完成", "_skip": "跳过", "_none": "没有", "yes": "是", "no": "否"},
         "en": {"_done": "done", "_skip": "skip", "_none": "none", "yes": "yes", "no": "no"}}


def _is_tick(value: str) -> bool:
    """An option of a multiple-choice question of the flow (ticked, then "done")."""
    return any(value in step.options for step in flow.STEPS if step.kind == "multi")


def typed_lines(locale: str, receipts: Path) -> list[str]:
    """The golden steps as a person types them: words instead of buttons, /file for receipts, and the
    ticks of a multiple choice on one line ("wages,transfers")."""
    lines: list[str] = []
    ticks: list[str] = []
    for kind, value in golden.steps(locale):
        if kind == "option" and value == "_done" and ticks:
            lines.append(",".join(ticks))
            ticks = []
            continue
        if kind == "option" and not value.startswith("_") and value not in TYPED[locale] and _is_tick(value):
            ticks.append(value)
            continue
        if kind == "file":
            lines.append(f"/file {receipts / value}")
        elif kind == "option":
            lines.append(TYPED[locale].get(value, value))
        else:
            lines.append(value)
    return lines


@pytest.mark.parametrize("locale", ["zh", "en"])
async def test_golden_application_through_shanqiao_chat(tmp_path, locale):
    for name, (_, data) in golden.RECEIPTS.items():
        (tmp_path / name).write_bytes(data)
    env = {**os.environ, "SHANQIAO_VAR_DIR": str(seed_index(tmp_path / "var")), "SHANQIAO_SECRET_KEY": "terminal-secret",
           "SHANQIAO_LOCALE": locale}
    env.pop("SHANQIAO_DATABASE_URL", None)
    env.pop("SHANQIAO_REDIS_URL", None)
    stdin = "\n".join(typed_lines(locale, tmp_path)) + "\n"
    result = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--user", "t1"], input=stdin,
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert ("申请已提交" if locale == "zh" else "has been submitted") in out
    assert ("4/8 家庭收入" if locale == "zh" else "4/8 Income") in out
    settings = Settings(_env_file=None, var_dir=tmp_path / "var", secret_key="terminal-secret")
    services = await build_services(settings)
    try:
        mine = await services.intakes.list_for_user("terminal", "t1")
        assert len(mine) == 1
        record = await services.intakes.get(mine[0].id)
        golden.check_application(record.application, locale)
        assert len(record.attachments) == 2
    finally:
        await services.aclose()
