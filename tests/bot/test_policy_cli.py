"""`policy show` on a throw-away Typer app, as bot/cli.py registers it."""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.policy import register


@pytest.fixture
def app(monkeypatch) -> typer.Typer:
    monkeypatch.delenv("SHANQIAO_POLICY_FILE", raising=False)
    monkeypatch.setenv("SHANQIAO_LOCALE", "zh")
    app = typer.Typer()
    register(app)
    return app


def shown(app, *args: str) -> dict:
    result = CliRunner().invoke(app, ["policy", "show", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_values_differ_where_the_texts_changed(app):
    before, after = shown(app, "--on", "2025-03-01"), shown(app, "--on", "2026-01-15")
    assert (before["on"], after["on"]) == ("2025-03-01", "2026-01-15")
    changed = {name for name in after["parameters"]
               if before["parameters"][name]["value"] != after["parameters"][name]["value"]}
    # the 2025 notice's lines apply from 2025-06-01; the provincial 2026 rule from 2026-01-01
    assert changed == {"marginal_income_line", "financial_assets_limit_per_capita", "livelihood_vehicles_allowed"}
    assert after["parameters"]["marginal_income_line"]["value"] == 1963.5
    assert after["parameters"]["marginal_income_line"]["document"] == "穗民规字〔2025〕2号"
    assert before["parameters"]["marginal_income_line"]["value"] == 1857


def test_every_value_has_a_source_and_a_day(app):
    for name, parameter in shown(app)["parameters"].items():
        assert parameter["source"] and parameter["effective_date"] and parameter["region"], name
        assert isinstance(parameter["verified"], bool)


def test_staff_text_marks_what_is_not_verified(app):
    result = CliRunner().invoke(app, ["policy", "show", "--on", "2026-11-30"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("dibao_standard:"))
    assert line == "dibao_standard: 1309 元/人/月 [待核实]"
    assert "数值待核实" in result.output
    verified = next(line for line in result.output.splitlines() if line.startswith("reconsideration_days:"))
    assert "待核实" not in verified


def test_a_bad_day_is_refused_politely(app):
    result = CliRunner().invoke(app, ["policy", "show", "--on", "2026-13-01"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
