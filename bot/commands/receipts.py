"""CLI commands for receipts: `receipts read`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

PROBLEMS = {"type": "not a JPEG, PNG or PDF that opens", "unreadable": "no text could be read",
            "no_amount": "no total or own share could be read", "timeout": "reading took too long"}


def register(app: typer.Typer) -> None:
    """Add the `receipts` group to the `shanqiao` command line."""
    receipts = typer.Typer(help="Receipts read offline from an image or a PDF.", no_args_is_help=True)
    receipts.command("read")(read)
    app.add_typer(receipts, name="receipts")


def read(
    file: Annotated[Path, typer.Argument(help="A receipt: JPEG, PNG or PDF e-invoice.", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the fields as JSON.")] = False,
) -> None:
    """Read the amounts, date, issuer and payer from a receipt (exit code 1 when it could not be read)."""
    from intake.receipts import read_bytes

    receipt = read_bytes(file.read_bytes())
    if as_json:
        typer.echo(json.dumps(receipt.as_dict(), ensure_ascii=False))
    elif not receipt.readable:
        typer.echo(f"could not read {file.name}: {PROBLEMS.get(receipt.problem or '', receipt.problem)}")
    else:
        confidence = receipt.confidence
        for name, value in (("kind", receipt.kind), ("issuer", receipt.issuer), ("payer", receipt.payer),
                            ("date", receipt.date), ("total", receipt.total), ("self_pay", receipt.self_pay)):
            sure = f"  ({confidence[name]:.2f})" if name in confidence else ""
            typer.echo(f"{name:10} {'-' if value is None else value}{sure}")
        for name, value in receipt.insurance.items():
            typer.echo(f"{'insurance':10} {name} {value}")
        for item in receipt.items:
            typer.echo(f"{'item':10} {item.name} {item.amount}")
    if not receipt.readable:
        raise typer.Exit(1)
