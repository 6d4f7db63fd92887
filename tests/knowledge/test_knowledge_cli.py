"""`ask` and `kb eval` on a throw-away Typer app, as bot/cli.py registers them."""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.knowledge import register
from tests.knowledge.conftest import QUESTIONS


@pytest.fixture
def app(monkeypatch) -> typer.Typer:
    # the commands read settings; a developer's chat model settings must not reach the tests
    for name in ("SHANQIAO_LLM_BASE_URL", "SHANQIAO_LLM_MODEL", "SHANQIAO_LLM_API_KEY", "SHANQIAO_POLICY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHANQIAO_LOCALE", "zh")
    app = typer.Typer()
    register(app)
    return app


def test_ask_json(app):
    result = CliRunner().invoke(app, ["ask", "认定有效期多久", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"answer", "confident", "sources"} and payload["confident"] is True
    assert {"title", "source", "effective_date"} == set(payload["sources"][0])
    assert payload["sources"][0]["title"] == "支出型困难家庭：认定有效期、复核与退出"


def test_ask_follows_the_parameter_file(app, params_copy):
    path = params_copy(recognition_validity_months=18)
    result = CliRunner().invoke(app, ["ask", "认定有效期多久", "--json", "--params", str(path)])
    assert result.exit_code == 0, result.output
    assert "不超过18个月" in json.loads(result.output)["answer"]


def test_ask_in_english_as_text(app):
    result = CliRunner().invoke(app, ["ask", "can I apply by phone?", "--locale", "en"])
    assert result.exit_code == 0, result.output
    assert "phone" in result.output and "Ways to apply" in result.output
    assert "申请渠道" not in result.output


def test_kb_eval_json(app):
    result = CliRunner().invoke(app, ["kb", "eval", str(QUESTIONS), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["hit_at_3"] >= 0.9 and report["questions"] >= 80
    assert set(report["latency_ms"]) == {"p50", "p95", "p99"}
    assert isinstance(report["missed"], list)


def test_kb_eval_text_and_a_bad_file(app, tmp_path):
    result = CliRunner().invoke(app, ["kb", "eval", str(QUESTIONS)])
    assert result.exit_code == 0, result.output
    assert "hit@1:" in result.output and "hit@3:" in result.output and "p95" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "低保", "doc": "nowhere"}\n', encoding="utf-8")
    failed = CliRunner().invoke(app, ["kb", "eval", str(bad)])
    assert failed.exit_code == 2 and "nowhere" in failed.output


def test_every_command_has_help(app):
    for args in (["ask", "--help"], ["kb", "--help"], ["kb", "eval", "--help"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_kb_eval_reports_every_half_by_default(app):
    result = CliRunner().invoke(app, ["kb", "eval", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"tune", "test", "test2"}
    for half in report.values():
        assert half["in_scope"] >= 150 and half["off_topic"] >= 20
        for name in ("hit_at_1", "hit_at_3", "facts_carried", "false_not_sure", "off_topic_declined"):
            assert 0.0 <= half[name] <= 1.0, name
        assert half["hit_at_1"] <= half["hit_at_3"]
    text = CliRunner().invoke(app, ["kb", "eval"]).output
    assert "[tune]" in text and "[test]" in text and "facts carried:" in text and "off-topic declined:" in text
