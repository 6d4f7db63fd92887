"""CLI commands for who may use Shanqiao: console accounts and chat API channels."""
from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import typer

from bot.settings import Settings

Name = Annotated[str, typer.Argument(help="Sign-in name.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


async def _run(work: Callable[[Any], Awaitable[Any]]) -> Any:
    from bot.wiring import build_services
    from intake.database import migrate

    services = await build_services(Settings())
    try:
        await migrate(services.engine)
        return await work(services.intakes)
    finally:
        await services.aclose()


def with_store(work: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run `work(intake store)` against the configured database, migrated first."""
    return asyncio.run(_run(work))


def register(users: typer.Typer, channels: typer.Typer) -> None:
    """Add list / disable / reset-password to `users` and list / revoke to `channels`."""
    users.command("list")(users_list)
    users.command("disable")(users_disable)
    users.command("reset-password")(users_reset_password)
    channels.command("list")(channels_list)
    channels.command("revoke")(channels_revoke)


def users_list(as_json: AsJson = False) -> None:
    """List console accounts with their role and whether they are disabled."""
    accounts = with_store(lambda store: store.list_users())
    rows = [{"name": a.name, "role": str(a.role), "disabled": a.disabled} for a in accounts]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row['name']}\t{row['role']}" + ("\tdisabled" if row["disabled"] else ""))


def users_disable(name: Name) -> None:
    """Disable an account: it can no longer sign in and its sessions end at once."""
    if not with_store(lambda store: store.disable_user(name)):
        typer.echo(f"no account named {name}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{name} disabled; its sessions are ended")


def users_reset_password(
    name: Name,
    password: Annotated[str | None, typer.Option(help="Read from SHANQIAO_NEW_PASSWORD or asked when omitted.")] = None,
) -> None:
    """Set a new password (the account is enabled again) and end the account's sessions."""
    secret = password or os.environ.get("SHANQIAO_NEW_PASSWORD") or typer.prompt(
        "New password", hide_input=True, confirmation_prompt=True)
    try:
        found = with_store(lambda store: store.reset_password(name, secret))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    if not found:
        typer.echo(f"no account named {name}", err=True)
        raise typer.Exit(1)
    typer.echo(f"password of {name} reset; its sessions are ended")


def channels_list(as_json: AsJson = False) -> None:
    """List the chat API's channels and when each token was made (never the token)."""
    found = with_store(lambda store: store.list_channels())
    rows = [{"name": c.name, "created_at": c.created_at.isoformat()} for c in found]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        typer.echo(f"{row['name']}\t{row['created_at']}")


def channels_revoke(name: Annotated[str, typer.Argument(help="Channel name.")]) -> None:
    """Revoke a channel's token: its next request is refused (run `channels add` to issue a new one)."""
    if not with_store(lambda store: store.revoke_channel(name)):
        typer.echo(f"no channel named {name}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{name} revoked")
