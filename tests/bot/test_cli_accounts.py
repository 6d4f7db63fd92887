"""`shanqiao users add|list|disable|reset-password` and `channels add|list|revoke` on a real database."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("SHANQIAO_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SHANQIAO_SECRET_KEY", "cli-test-secret")
    monkeypatch.delenv("SHANQIAO_DATABASE_URL", raising=False)
    monkeypatch.delenv("SHANQIAO_REDIS_URL", raising=False)
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, list(args))
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


def test_users_list_disable_and_reset(cli):
    cli("users", "add", "li", "--role", "caseworker", "--password", "correct horse battery")
    cli("users", "add", "boss", "--role", "supervisor", "--password", "correct horse battery")
    listed = json.loads(cli("users", "list", "--json").stdout)
    assert listed == [{"name": "boss", "role": "supervisor", "disabled": False},
                      {"name": "li", "role": "caseworker", "disabled": False}]
    assert "sessions are ended" in cli("users", "disable", "li").stdout
    assert "li\tcaseworker\tdisabled" in cli("users", "list").stdout
    cli("users", "disable", "nobody", ok=False)
    assert cli("users", "reset-password", "li", "--password", "short", ok=False).exit_code == 2
    cli("users", "reset-password", "li", "--password", "a long new password")
    assert json.loads(cli("users", "list", "--json").stdout)[1]["disabled"] is False
    cli("users", "reset-password", "nobody", "--password", "a long new password", ok=False)


def test_channels_list_and_revoke(cli):
    token = cli("channels", "add", "wechat").stdout.strip()
    assert len(token) > 30
    listed = json.loads(cli("channels", "list", "--json").stdout)
    assert [c["name"] for c in listed] == ["wechat"] and token not in cli("channels", "list").stdout
    assert "revoked" in cli("channels", "revoke", "wechat").stdout
    assert json.loads(cli("channels", "list", "--json").stdout) == []
    cli("channels", "revoke", "wechat", ok=False)


def test_the_phone_desks_role_is_named_where_accounts_are_made(cli):
    """Whoever opens a phone desk account learns from the help or the README that its role is `staff`."""
    shown = " ".join(cli("users", "add", "--help").stdout.replace("│", " ").split())
    assert "phone desk and community station workers get --role staff" in shown
    assert "staff: the phone desk only" in shown
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())
    assert "`staff` for the phone desk and community stations" in readme
    cli("users", "add", "liu", "--role", "staff", "--password", "correct horse battery")
    assert json.loads(cli("users", "list", "--json").stdout) == [{"name": "liu", "role": "staff", "disabled": False}]
