"""Long polling held by one process at a time: poll while holding the lease, send only otherwise."""
from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import Any

from bot.telegram.channel import CHANNEL
from bot.telegram.lease import PollingLease
from bot.telegram.notifier import TelegramNotifier
from bot.telegram.setup import TelegramSetup
from bot.telegram.startup import start_bot, start_sender

log = logging.getLogger(__name__)


async def _pause(seconds: float, stop: asyncio.Event) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def poll_while_leader(setup: TelegramSetup, services: Any, stop: asyncio.Event, *,
                            lease_seconds: float = 5.0, retry_every: float = 0.5) -> None:
    """Poll Telegram whenever this process holds the lease, until `stop`; with no Redis there is one process
    and no lease. Turns in progress finish before the lease is let go."""
    lease = None
    if services.redis is not None:
        lease = PollingLease(services.redis, prefix=setup.redis_prefix, bot_id=setup.bot_id, ttl=lease_seconds)
    sender = await start_sender(setup, services)
    try:
        while not stop.is_set():
            try:
                leading = lease is None or await lease.acquire()
            except Exception as error:  # noqa: BLE001 - Redis away: nobody can take the lease, try again
                log.warning("telegram: polling lease unavailable (%s)", type(error).__name__)
                leading = False
            if not leading:
                await _pause(retry_every, stop)
                continue
            log.info("telegram: this process polls for updates")
            try:
                await _lead(setup, services, stop, lease)
            finally:
                services.notifiers.register(CHANNEL, TelegramNotifier(sender.transport))
    finally:
        await sender.close()


async def _lead(setup: TelegramSetup, services: Any, stop: asyncio.Event, lease: PollingLease | None) -> None:
    try:
        bot = await start_bot(setup, services)
    except Exception:
        log.exception("telegram: could not start polling; trying again shortly")
        if lease is not None:
            with suppress(Exception):
                await lease.release()
        await _pause(5.0, stop)
        return
    try:
        while not stop.is_set():
            await _pause(lease.renew_every if lease else 3600, stop)
            if lease is None or stop.is_set():
                continue
            try:
                kept = await lease.renew()
            except Exception as error:  # noqa: BLE001 - unsure whether we still hold it: stop polling
                log.warning("telegram: could not renew the polling lease (%s)", type(error).__name__)
                kept = False
            if not kept:
                log.warning("telegram: polling lease lost; another process polls now")
                return
    finally:
        await bot.runtime.stop_updates()
        if lease is not None:
            # no getUpdates is running any more: hand over now rather than when the lease runs out
            with suppress(Exception):
                await lease.release()
        await bot.stop()  # updates already taken finish; then the connections close
