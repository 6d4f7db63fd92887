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


def test_no_temporary_assistance_figure_is_unverified_after_2026_12_05(app):
    # the 细则 was extended: its page shows 有效（延续实施） to 2029-12-06
    result = CliRunner().invoke(app, ["policy", "show", "--on", "2026-12-07"])
    assert result.exit_code == 0, result.output
    temporary = [line for line in result.output.splitlines()
                 if line.startswith("temporary_") or line.startswith("  《广州市临时救助实施细则》")]
    assert len(temporary) >= 20
    assert not [line for line in temporary if "待核实" in line]
    parameters = shown(app, "--on", "2026-12-07")["parameters"]
    assert all(parameters[name]["verified"] for name in parameters if name.startswith("temporary_"))
    # the 2025 notice expired on 2026-06-01 and no newer one was found
    assert parameters["dibao_standard"]["expired_on"] == "2026-06-01"


def test_tekun_multiple_cites_the_2025_notice(app):
    parameter = shown(app, "--on", "2025-07-01")["parameters"]["tekun_standard_multiple"]
    assert (parameter["value"], parameter["document"]) == (1.6, "穗民规字〔2025〕2号")


def _screen(app, tmp_path, payload, *args):
    file = tmp_path / "intake.json"
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return CliRunner().invoke(app, ["policy", "screen", str(file), *args])


APPLICATION = {
    "consent": True, "applicant": {"name": "x", "district": "haizhu", "flags": [], "age": 45, "disability_grade": "none"},
    "members": [{"relationship": "spouse", "age": 44, "flags": []}], "assistance": "none",
    "income": {"sources": ["wages"], "wages": {"amount": 30000, "estimated": False}},
    "assets": {"financial": {"amount": 5000, "estimated": False}, "owned": []},
    "spending": {"kinds": ["medical"], "medical": {"amount": 15000, "estimated": False}, "receipts": []},
}


def test_screen_prints_every_programme_condition_and_margin(app, tmp_path):
    result = _screen(app, tmp_path, {"on": "2026-12-07", "application": APPLICATION}, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["on"] == "2026-12-07"
    outcomes = {p["key"]: p["outcome"] for p in out["programmes"]}
    assert set(outcomes) == {"expense_hardship", "dibao", "dibao_edge", "tekun", "temporary"}
    assert set(outcomes.values()) <= {"met", "not_met", "unknown"}
    assert outcomes["dibao"] == "met" and outcomes["expense_hardship"] == "not_met"
    dibao = next(p for p in out["programmes"] if p["key"] == "dibao")
    income = next(c for c in dibao["checks"] if c["key"] == "income_below_dibao")
    # two people, 30,000 a year: the line is 2 × 12 × 1,309 = 31,416
    assert income["margin"] == {"field": "income", "change": 1416}
    rigid = next(c for p in out["programmes"] for c in p["checks"] if c["key"] == "rigid_expenditure")
    # 15,000 spent, 60 % of 30,000 = 18,000 must be exceeded
    assert rigid["outcome"] == "not_met" and rigid["margin"] == {"field": "spending", "change": 3001}
    assert "穗民规字〔2025〕2号" in out["standards"]
    readable = _screen(app, tmp_path, {"on": "2026-12-07", "application": APPLICATION}, "--locale", "en")
    assert readable.exit_code == 0, readable.output
    assert "Another 1,416 yuan of income" in readable.output
    assert readable.output.count("穗民规字〔2025〕2号") == 1


@pytest.mark.parametrize("payload", [[1, 2], {"on": "2026-01-01"}, {"on": "2026-02-30", "application": {}}])
def test_screen_refuses_a_bad_file_politely(app, tmp_path, payload):
    result = _screen(app, tmp_path, payload)
    assert result.exit_code == 2


def test_screen_refuses_a_file_that_is_not_json(app, tmp_path):
    file = tmp_path / "intake.json"
    file.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(app, ["policy", "screen", str(file)])
    assert result.exit_code == 2 and "JSON" in result.output


def test_screen_refuses_an_application_of_another_shape(app, tmp_path):
    result = _screen(app, tmp_path, {"on": "2026-01-15", "application": {"applicant": {"district": ["haizhu"]}}})
    assert result.exit_code == 2 and "docs/application.md" in result.output
