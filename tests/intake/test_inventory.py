"""The data inventory is generated from the models: a column or a Redis key family without a line in it
fails here, and `shanqiao privacy inventory --json` prints it all."""
from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import Column, MetaData, String
from typer.testing import CliRunner

from bot.cli import app
from intake.models import Base
from intake.privacy.inventory import REDIS, TABLES, DataClass, inventory, undeclared
from intake.privacy.retention import Retention

ROOT = Path(__file__).resolve().parents[2]
REDIS_KIND = re.compile(r'redis_key\([^,()]+,\s*"([a-z-]+)"')


def test_every_column_of_every_model_is_in_the_inventory():
    assert undeclared() == []


def test_a_model_that_gains_a_column_fails_the_inventory():
    grown = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(grown)
    grown.tables["intakes"].append_column(Column("mother_maiden_name", String(64)))
    assert undeclared(grown) == ["intakes.mother_maiden_name"]
    grown.tables["people"]._columns.remove(grown.tables["people"].c.id_hash)  # noqa: SLF001 - a column dropped
    assert "people.id_hash (no such column)" in undeclared(grown)


def test_every_redis_key_family_in_the_code_is_in_the_inventory():
    sources = [p for package in ("bot", "intake") for p in (ROOT / package).rglob("*.py")]
    kinds = {kind for path in sources for kind in REDIS_KIND.findall(path.read_text(encoding="utf-8"))}
    assert {"state", "mailbox", "queue", "guess"} <= kinds  # the scan finds them
    assert kinds <= {holding.name for holding in REDIS}


def test_the_tables_holding_answers_are_marked_sensitive():
    by_name = {holding.name: holding for holding in TABLES}
    for table, column in (("intakes", "answers"), ("answers", "value"), ("attachments", "reading"),
                          ("conversations", "state"), ("transcript_lines", "text")):
        assert by_name[table].columns[column] is DataClass.SENSITIVE


def test_the_command_prints_the_inventory_as_json(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHANQIAO_RETENTION", '{"closed": 3650}')
    result = CliRunner().invoke(app, ["privacy", "inventory", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    tables = {h["name"]: h for h in data["holdings"] if h["kind"] == "table"}
    assert set(tables) == set(Base.metadata.tables)
    assert tables["intakes"]["retention"] == {"class": "closed", "days": 3650}
    assert {h["kind"] for h in data["holdings"]} == {"table", "redis", "files", "processor"}
    assert all(h["purpose"] and h["legal_basis"] and h["recipients"] for h in data["holdings"])
    assert data == json.loads(json.dumps(inventory(Retention().with_days({"closed": 3650}))))
    plain = CliRunner().invoke(app, ["privacy", "inventory"])
    assert plain.exit_code == 0 and "answers [sensitive]" in plain.output


def test_a_retention_under_its_floor_is_refused(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHANQIAO_RETENTION", '{"logs": 30}')
    result = CliRunner().invoke(app, ["privacy", "inventory"])
    assert result.exit_code == 2 and "logs must be kept at least 183 days" in result.output
