"""CLI commands `privacy inventory` and `privacy sweep`: where resident data lives, and the retention sweep."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.settings import Settings


def register(app: typer.Typer) -> None:
    """Add the `privacy` group to the `shanqiao` command line."""
    privacy = typer.Typer(help="Personal information: the data inventory and the retention sweep.",
                          no_args_is_help=True)
    privacy.command("inventory")(inventory)
    privacy.command("sweep")(sweep)
    app.add_typer(privacy, name="privacy")


def _retention(settings: Settings):
    """The configured retention periods; a wrong SHANQIAO_RETENTION is said plainly."""
    from bot.wiring import retention_for

    try:
        return retention_for(settings)
    except ValueError as problem:
        typer.echo(f"SHANQIAO_RETENTION: {problem}", err=True)
        raise typer.Exit(2) from None


def inventory(as_json: Annotated[bool, typer.Option("--json", help="Print the inventory as JSON.")] = False) -> None:
    """Every table and column, Redis key family, file store and outside processor holding resident data, with
    its class, purpose, legal basis, retention and recipients."""
    from intake.privacy.inventory import inventory as build

    data = build(_retention(Settings()))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for holding in data["holdings"]:
            days = holding["retention"]["days"]
            kept = f"{holding['retention']['class']} ({days} days)" if days else holding["retention"]["class"]
            typer.echo(f"{holding['kind']} {holding['name']}: {holding['purpose']}")
            typer.echo(f"    basis: {holding['legal_basis']}")
            typer.echo(f"    kept: {kept}; recipients: {'; '.join(holding['recipients'])}")
            personal = {name: kind for name, kind in holding.get("columns", {}).items() if kind != "none"}
            if personal:
                typer.echo("    columns: " + ", ".join(f"{name} [{kind}]" for name, kind in personal.items()))
    if data["undeclared"]:
        typer.echo("not in the inventory: " + ", ".join(data["undeclared"]), err=True)
        raise typer.Exit(1)


def sweep(dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would go.")] = False,
          as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False) -> None:
    """Delete or anonymise what has passed its retention period, and record the run with its counts."""
    import asyncio

    from bot.wiring import build_services
    from intake.database import migrate

    settings = Settings()
    _retention(settings)

    async def run() -> dict[str, int]:
        services = await build_services(settings)
        try:
            await migrate(services.engine)
            return await services.sweep_retention(dry_run=dry_run)
        finally:
            await services.aclose()

    counts = asyncio.run(run())
    if as_json:
        typer.echo(json.dumps({"dry_run": dry_run, "counts": counts}))
        return
    typer.echo("would remove:" if dry_run else "removed:")
    for name, n in counts.items():
        typer.echo(f"  {name}\t{n}")
