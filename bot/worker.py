"""`shanqiao worker`: the background work of a deployment whose web processes run none."""
from __future__ import annotations

import asyncio
import logging
import signal

from bot.background import Background
from bot.settings import Settings
from bot.wiring import build_services
from intake.database import migrate

log = logging.getLogger(__name__)


async def run_worker(settings: Settings) -> None:
    """Relay the outbox, retry notices, sweep files and poll Telegram (under its lease) until SIGTERM/SIGINT."""
    services = await build_services(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sender = wechat = None
    try:
        await migrate(services.engine)
        telegram = services.telegram
        polling = bool(telegram and not telegram.webhook_url)
        if telegram and not polling:
            from bot.telegram.startup import start_sender

            # webhook updates go to the web processes; notices retried here still go out through Telegram
            sender = await start_sender(telegram, services)
        if services.wechat:
            from bot.wechat.startup import start_wechat

            # notices retried here reach WeChat residents too; the callback itself is served by web processes
            wechat = start_wechat(services.wechat, services)
        background = Background(services, poll_telegram=polling)
        background.start()
        log.info("worker started (telegram: %s)", "polling under a lease" if polling else
                 "sending only" if sender else "not configured")
        waiting = asyncio.create_task(background.wait())
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({waiting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        log.info("worker stopping")
        await background.stop()
        stopped.cancel()
    finally:
        if sender is not None:
            await sender.close()
        if wechat is not None:
            await wechat.stop()
        await services.aclose()
    log.info("worker stopped")
