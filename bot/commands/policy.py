"""CLI commands `policy show` (the parameters in force on a day, with sources, for staff) and
`policy screen` (the pre-screen of one stored application on a day)."""
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
    policy.command("screen")(screen)
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


def _screen_input(file: Path) -> tuple[date, dict]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise typer.BadParameter(f"cannot read {file} as JSON ({type(error).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("application"), dict):
        raise typer.BadParameter('the file holds {"on": "YYYY-MM-DD", "application": {...}}')
    return _day(data.get("on") if isinstance(data.get("on"), str) else None), data["application"]


def screen(
    file: Annotated[Path, typer.Argument(help='JSON: {"on": "YYYY-MM-DD", "application": {...}} as stored on an intake.')],
    as_json: Annotated[bool, typer.Option("--json", help="Print every programme, condition and margin as JSON.")] = False,
    locale: Annotated[str | None, typer.Option(help="zh or en (default: SHANQIAO_LOCALE).")] = None,
    params: ParamsOption = None,
) -> None:
    """Pre-screen one application on a day: each programme met, not met or unknown, with each condition and margin."""
    from intake.eligibility import prescreen
    from knowledge.params import load_params

    day, application = _screen_input(file)
    settings = Settings()
    locale = locale or settings.locale
    try:
        result = prescreen(application, load_params(params or settings.policy_file), on=day)
    except (TypeError, AttributeError, ValueError):
        # the rules read records the flow wrote; a hand-edited one may not have that shape
        raise typer.BadParameter("the application does not have the shape docs/application.md describes") from None
    if as_json:
        out = {"on": day.isoformat(), "programmes": [
            {"key": p.key, "label": p.label(locale), "outcome": str(p.outcome), "checks": [
                {"key": c.key, "outcome": str(c.outcome), "variant": c.variant, "figures": c.figures,
                 "margin": c.figures.get("margin"), "line": c.line(locale), "basis": c.basis}
                for c in p.checks]}
            for p in result.programmes], "standards": result.standards_note(locale)}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    typer.echo(day.isoformat())
    for programme in result.programmes:
        typer.echo(f"{programme.label(locale)}: {programme.outcome}")
        for check in programme.checks:
            typer.echo(f"  {check.line(locale)}")
    if result.standards_note(locale):
        typer.echo(result.standards_note(locale))
