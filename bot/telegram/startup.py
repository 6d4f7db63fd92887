"""Starting the Telegram bot in the app: the runtime its setup names, polling or webhook."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import APIRouter

from bot.telegram.channel import CHANNEL, TelegramChannel
from bot.telegram.notifier import TelegramNotifier
from bot.telegram.setup import TelegramSetup
from bot.telegram.transport import BaseTransport
from bot.telegram.updates import BaseUpdateLog, RedisUpdateLog, SqlUpdateLog
from bot.telegram.webhook import webhook_endpoint, webhook_router

log = logging.getLogger(__name__)


class Runtime(Protocol):
    """What startup needs from a Telegram library's runtime."""

    name: str
    transport: BaseTransport

    def attach(self, channel: TelegramChannel) -> None: ...
    async def open(self) -> None: ...
    async def feed(self, update: dict[str, Any]) -> None: ...
    async def publish_commands(self, default_locale: str) -> None: ...
    async def start_polling(self) -> None: ...
    async def set_webhook(self, url: str, secret: str) -> None: ...
    async def stop_updates(self) -> None: ...
    async def close(self) -> None: ...


@dataclass(slots=True)
class BotHandle:
    """A running bot: the webhook route to mount (None when polling) and how to stop it."""

    runtime: Runtime
    channel: TelegramChannel
    router: APIRouter | None

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one raw update to the end (what the webhook route does)."""
        await self.runtime.feed(update)

    async def stop(self) -> None:
        """Stop taking updates, let the ones in progress finish, close connections."""
        await self.runtime.stop_updates()
        if not await self.channel.drain():
            log.warning("telegram: stopping with updates still in progress")
        await self.runtime.close()


def build_runtime(setup: TelegramSetup) -> Runtime:
    """The runtime the setup names (SHANQIAO_BOT_RUNTIME), pointed at its API address if set."""
    # Imported here so a deployment pays only for the library it runs.
    if setup.runtime == "ptb":
        from bot.telegram.ptb_runtime import PtbRuntime

        return PtbRuntime(setup.token, setup.api_base, polling=not setup.webhook_url)
    from bot.telegram.aiogram_runtime import AiogramRuntime

    return AiogramRuntime(setup.token, setup.api_base)


def build_update_log(setup: TelegramSetup, redis: Any, engine: Any) -> BaseUpdateLog:
    """Shared through Redis when configured (several workers), in the SQL database otherwise."""
    if redis is None:
        return SqlUpdateLog(engine, bot_id=setup.bot_id)
    return RedisUpdateLog(redis, prefix=setup.redis_prefix, bot_id=setup.bot_id)


async def start_bot(setup: TelegramSetup, services: Any) -> BotHandle:
    """Start the bot over the services' runner: long polling, or webhook when the setup has a webhook URL."""
    runtime = build_runtime(setup)
    channel = TelegramChannel(
        runner=services.runner,
        files=services.files,
        updates=build_update_log(setup, services.redis, services.engine),
        transport=runtime.transport,
    )
    runtime.attach(channel)
    await runtime.open()
    try:
        try:
            await runtime.publish_commands(setup.locale)
        except Exception as exc:
            # The menu is a convenience; a bot that cannot set it still serves residents.
            log.warning("telegram: command menu not set (%s)", type(exc).__name__)
        router = None
        if setup.webhook_url:
            url, path = webhook_endpoint(setup.webhook_url)
            # Every worker sets the same webhook; it is never deleted at stop, others may still serve it.
            await runtime.set_webhook(url, setup.webhook_secret)
            router = webhook_router(path=path, secret=setup.webhook_secret, feed=runtime.feed)
        else:
            await runtime.start_polling()
    except BaseException:
        await runtime.stop_updates()
        await runtime.close()
        raise
    services.notifiers.register(CHANNEL, TelegramNotifier(runtime.transport, channel.keyboards))
    log.info("telegram: %s runtime started (%s)", runtime.name, "webhook" if setup.webhook_url else "polling")
    return BotHandle(runtime=runtime, channel=channel, router=router)


async def start_sender(setup: TelegramSetup, services: Any) -> Runtime:
    """A runtime that only sends: notices from a process that takes no updates go straight to Telegram."""
    runtime = build_runtime(setup)
    await runtime.open()
    services.notifiers.register(CHANNEL, TelegramNotifier(runtime.transport))
    return runtime
