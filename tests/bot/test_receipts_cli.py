"""`shanqiao receipts read`, on a Typer app registered as bot/cli.py does."""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.receipts import register
from tests.receipts.generator import sample


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_read_json(app, tmp_path):
    drawn = sample(tmp_path, "einvoice_pdf", 3)
    result = CliRunner().invoke(app, ["receipts", "read", str(drawn.path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"kind", "issuer", "payer", "date", "total", "self_pay", "insurance", "items", "confidence"} <= set(payload)
    truth = drawn.truth.as_dict()
    assert {k: payload[k] for k in ("kind", "issuer", "payer", "date", "total", "self_pay", "insurance")} == \
        {k: truth[k] for k in ("kind", "issuer", "payer", "date", "total", "self_pay", "insurance")}
    assert payload["items"] == truth["items"]
    assert all(0 <= v <= 1 for v in payload["confidence"].values())


def test_read_text_and_a_file_that_is_no_receipt(app, tmp_path):
    drawn = sample(tmp_path, "einvoice_pdf", 1)
    result = CliRunner().invoke(app, ["receipts", "read", str(drawn.path)])
    assert result.exit_code == 0 and f"total      {drawn.truth.total}" in result.output
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff not really a photo")
    result = CliRunner().invoke(app, ["receipts", "read", str(junk)])
    assert result.exit_code == 1 and "could not read photo.jpg" in result.output
