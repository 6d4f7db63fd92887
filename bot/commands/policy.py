"""CLI command `policy show`: the parameters in force on a day, with sources, for staff."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bot.commands.knowledge import ParamsOption
from bot.settings import Settings


def register(app: typer.Typer) -> None:
    """Add the `policy` group to the `shanqiao` command line."""
    policy = typer.Typer(help="Policy parameters.", no_args_is_help=True)
    policy.command("show")(show)
    app.add_typer(policy, name="policy")


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("write the day as YYYY-MM-DD, e.g. 2026-01-15") from None


def show(
    on: Annotated[str | None, typer.Option("--on", help="Day the values are in force (YYYY-MM-DD; default today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the parameters as JSON.")] = False,
    locale: Annotated[str | None, typer.Option(help="zh or en (default: SHANQIAO_LOCALE).")] = None,
    params: ParamsOption = None,
) -> None:
    """Show every policy parameter in force on a day, its source, and whether it is verified."""
    from knowledge.params import load_params

    day = _day(on)
    settings = Settings()
    locale = locale or settings.locale
    path: Path | None = params or settings.policy_file
    snapshot = load_params(path).on(day)
    names = snapshot.names()
    if as_json:
        out = {"on": day.isoformat(), "region": snapshot.region,
               "parameters": {name: snapshot[name].to_dict() for name in names}}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{snapshot.region} · {day.isoformat()}")
    for name in names:
        parameter = snapshot[name]
        mark = "" if parameter.verified else (" [待核实]" if locale == "zh" else " [to verify]")
        period = parameter.effective_date + (f" – {parameter.effective_to}" if parameter.effective_to else " –")
        typer.echo(f"{name}: {parameter.value} {parameter.unit}{mark}")
        typer.echo(f"  {parameter.label(locale)} · {parameter.region} · {period}")
        typer.echo(f"  {parameter.staff_cite(locale)}")
