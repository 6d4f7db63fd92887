"""The `shanqiao` command line."""
from __future__ import annotations

import asyncio
import getpass
import json
import os
import re
from typing import Annotated

import typer

from bot.commands.accounts import register as register_accounts, with_store
from bot.commands.knowledge import register as register_knowledge
from bot.commands.policy import register as register_policy
from bot.commands.privacy import register as register_privacy
from bot.commands.receipts import register as register_receipts
from bot.settings import Settings

app = typer.Typer(help="Shanqiao 善桥: intake assistant for hardship household applications.", no_args_is_help=True)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
users_app = typer.Typer(help="Console accounts.", no_args_is_help=True)
channels_app = typer.Typer(help="Channels of the HTTP chat API.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(channels_app, name="channels")

ROLES = ("caseworker", "supervisor", "staff", "admin")
GRACE_SECONDS = 30  # on SIGTERM, turns in progress get this long to finish


@app.command()
def serve(host: Annotated[str | None, typer.Option(help="Address to bind.")] = None,
          port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
          workers: Annotated[int, typer.Option(min=1, help="Web processes. Above 1 they share PostgreSQL and Redis "
                                                           "and run no background work: run `shanqiao worker` too.")] = 1,
          ) -> None:
    """Start the web server (chat API, web chat, console, and Telegram when configured)."""
    import uvicorn

    from bot.app import create_app
    from bot.logs import setup_logging

    settings = Settings()
    setup_logging(json_lines=settings.log_json)
    # proxy_headers off: uvicorn would believe X-Forwarded-For from any local caller; the app believes only
    # SHANQIAO_TRUSTED_PROXIES
    options = {"host": host or settings.host, "port": port or settings.port, "log_config": None,
               "access_log": False, "timeout_graceful_shutdown": GRACE_SECONDS, "proxy_headers": False}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    problems = [problem for failed, problem in (
        (not settings.redis_url, "SHANQIAO_REDIS_URL must point at Redis (conversations are shared through it)"),
        (settings.sql_url.startswith("sqlite"), "SHANQIAO_DATABASE_URL must point at PostgreSQL "
                                                "(SQLite serves one process)"),
    ) if failed]
    if problems:
        typer.echo(f"serve --workers {workers} needs:\n  " + "\n  ".join(problems), err=True)
        raise typer.Exit(2)
    from intake.database import upgrade

    upgrade(settings.sql_url)  # once, before any web process starts
    settings.secret  # noqa: B018 - a development key is written to var/ once, not by each process at once
    os.environ["SHANQIAO_BACKGROUND"] = "worker"  # read by every web process; the worker runs it
    typer.echo(f"{workers} web processes; background work is left to `shanqiao worker`", err=True)
    # a web process imports the knowledge base before it answers the supervisor: give a loaded machine time
    uvicorn.run("bot.app:serve_app", factory=True, workers=workers, timeout_worker_healthcheck=60, **options)


@app.command()
def worker() -> None:
    """Run the background work: queue relay, notice retries, file sweep, Telegram polling (one process at a time)."""
    from bot.logs import setup_logging
    from bot.worker import run_worker

    settings = Settings()
    setup_logging(json_lines=settings.log_json)
    asyncio.run(run_worker(settings))


@app.command()
def chat(user: Annotated[str, typer.Option(help="Whose conversation to continue.")] = "",
         locale: Annotated[str | None, typer.Option(help="zh or en.")] = None) -> None:
    """Apply in the terminal, the same dialog as every other channel."""
    from bot.conversation import ConversationKey
    from bot.terminal import chat as run_chat
    from bot.wiring import build_services
    from intake.database import migrate

    async def main() -> None:
        settings = Settings() if locale is None else Settings(locale=locale)
        services = await build_services(settings)
        try:
            await migrate(services.engine)
            await run_chat(services.runner, ConversationKey("terminal", user or getpass.getuser()),
                           files=services.files, mailbox=services.mailbox)
        finally:
            await services.aclose()

    asyncio.run(main())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the latest schema."""
    from intake.database import upgrade

    upgrade(Settings().sql_url)
    typer.echo("database is up to date")


@channels_app.command("add")
def channels_add(name: Annotated[str, typer.Argument(help="Channel name, e.g. wechat.")]) -> None:
    """Register a channel and print its bearer token (shown once)."""
    from bot.conversation import CHANNEL_NAME  # the store it comes with is not needed by other commands

    if not re.fullmatch(CHANNEL_NAME, name):
        raise typer.BadParameter("use 1-32 lower-case letters, digits, '-' or '_' (it becomes part of the URL)")
    token = with_store(lambda store: store.add_channel(name))
    typer.echo(token)


@users_app.command("add")
def users_add(name: Annotated[str, typer.Argument(help="Sign-in name.")],
              role: Annotated[str, typer.Option(help=(
                  "caseworker: the queue, intakes and decisions; supervisor: also the supervisor's view and return-visit "
                  "samples; staff: the phone desk only (intake by phone or at a community station, calls for missing "
                  "details, closed-case calls); admin: everything."))] = "caseworker",
              password: Annotated[str | None, typer.Option(help="Read from SHANQIAO_NEW_PASSWORD or asked when omitted.")] = None) -> None:
    """Create a console account; phone desk and community station workers get --role staff."""
    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}")
    secret = password or os.environ.get("SHANQIAO_NEW_PASSWORD") or typer.prompt("Password", hide_input=True,
                                                                                  confirmation_prompt=True)
    account = with_store(lambda store: store.add_user(name, role, secret))
    typer.echo(json.dumps({"name": account.name, "role": str(account.role)}))


register_knowledge(app)
register_accounts(users_app, channels_app)
register_policy(app)
register_receipts(app)
register_privacy(app)

if __name__ == "__main__":
    app()
