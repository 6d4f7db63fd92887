"""Starting the Telegram bot in the app: the runtime the settings name, polling or webhook."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import APIRouter

from bot.settings import Settings
from bot.telegram.channel import CHANNEL, TelegramChannel
from bot.telegram.notifier import TelegramNotifier
from bot.telegram.transport import BaseTransport
from bot.telegram.updates import BaseUpdateLog, RedisUpdateLog, SqlUpdateLog
from bot.telegram.webhook import webhook_endpoint, webhook_router, webhook_secret

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


def build_runtime(settings: Settings) -> Runtime:
    """The runtime named by SHANQIAO_BOT_RUNTIME, pointed at SHANQIAO_TELEGRAM_API_BASE if set."""
    if not settings.telegram_token:
        raise ValueError("SHANQIAO_TELEGRAM_TOKEN is not set")
    # Imported here so a deployment pays only for the library it runs.
    if settings.bot_runtime == "ptb":
        from bot.telegram.ptb_runtime import PtbRuntime

        return PtbRuntime(settings.telegram_token, settings.telegram_api_base, polling=not settings.webhook_url)
    from bot.telegram.aiogram_runtime import AiogramRuntime

    return AiogramRuntime(settings.telegram_token, settings.telegram_api_base)


def build_update_log(settings: Settings, redis: Any, engine: Any) -> BaseUpdateLog:
    """Shared through Redis when configured (several workers), in the SQL database otherwise."""
    bot_id = int(settings.telegram_token.split(":", 1)[0])
    if redis is None:
        return SqlUpdateLog(engine, bot_id=bot_id)
    return RedisUpdateLog(redis, prefix=settings.redis_prefix, bot_id=bot_id)


async def start_bot(settings: Settings, services: Any) -> BotHandle:
    """Start the bot over the services' runner: long polling, or webhook when SHANQIAO_WEBHOOK_URL is set."""
    runtime = build_runtime(settings)
    channel = TelegramChannel(
        runner=services.runner,
        files=services.files,
        updates=build_update_log(settings, services.redis, services.engine),
        transport=runtime.transport,
    )
    runtime.attach(channel)
    await runtime.open()
    try:
        try:
            await runtime.publish_commands(settings.locale)
        except Exception as exc:
            # The menu is a convenience; a bot that cannot set it still serves residents.
            log.warning("telegram: command menu not set (%s)", type(exc).__name__)
        router = None
        if settings.webhook_url:
            url, path = webhook_endpoint(settings.webhook_url)
            secret = webhook_secret(configured=settings.webhook_secret, secret_key=settings.secret)
            # Every worker sets the same webhook; it is never deleted at stop, others may still serve it.
            await runtime.set_webhook(url, secret)
            router = webhook_router(path=path, secret=secret, feed=runtime.feed)
        else:
            await runtime.start_polling()
    except BaseException:
        await runtime.stop_updates()
        await runtime.close()
        raise
    services.notifiers.register(CHANNEL, TelegramNotifier(runtime.transport, channel.keyboards))
    log.info("telegram: %s runtime started (%s)", runtime.name, "webhook" if settings.webhook_url else "polling")
    return BotHandle(runtime=runtime, channel=channel, router=router)


async def start_sender(settings: Settings, services: Any) -> Runtime:
    """A runtime that only sends: notices from a process that takes no updates go straight to Telegram."""
    runtime = build_runtime(settings)
    await runtime.open()
    services.notifiers.register(CHANNEL, TelegramNotifier(runtime.transport))
    return runtime
