"""Work outside requests: the queue relay, notice delivery, the file and retention sweeps, and Telegram polling.

It runs in `shanqiao worker`, or inside `shanqiao serve` when no worker is deployed
(SHANQIAO_BACKGROUND=in_process, the default). On stop, loops finish the round they are in,
Telegram polling stops, turns in progress finish and the polling lease is let go.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.wiring import Services

log = logging.getLogger(__name__)
SWEEP_EVERY = 3600.0
RETENTION_EVERY = 6 * 3600.0  # periods are counted in days: a few runs a day are enough
STOP_TIMEOUT = 40.0  # longer than a Telegram drain (30 s)


async def every(seconds: float, work: Callable[[], Awaitable[object]], stop: asyncio.Event) -> None:
    """Run `work` now and then every `seconds` until `stop`; a failed round is logged and the next one still runs."""
    while not stop.is_set():
        try:
            await work()
        except Exception:
            log.exception("periodic work failed: %s", getattr(work, "__name__", work))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


class Background:
    """The background loops of one process; `start` once, `stop` once."""

    def __init__(self, services: Services, *, poll_telegram: bool) -> None:
        self.services = services
        self.poll_telegram = poll_telegram
        self.stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        svc, stop = self.services, self.stopping
        # the outbox feeds the queue; with Redis down, intakes wait in SQL until it returns
        self._tasks.append(asyncio.create_task(svc.queue.run_relay(stop=stop), name="relay"))
        # notices that could not be delivered at once are tried again here, with growing pauses
        self._tasks.append(asyncio.create_task(svc.notices.run(svc.notifiers, stop=stop), name="notices"))
        self._tasks.append(asyncio.create_task(every(SWEEP_EVERY, svc.sweep_files, stop), name="sweep"))
        self._tasks.append(asyncio.create_task(every(RETENTION_EVERY, svc.sweep_retention, stop), name="retention"))
        if self.poll_telegram:
            from bot.telegram.polling import poll_while_leader

            self._tasks.append(asyncio.create_task(poll_while_leader(svc.telegram, svc, stop), name="telegram"))

    async def wait(self) -> None:
        """Until every loop has ended (a loop that fails ends the wait)."""
        await asyncio.gather(*self._tasks)

    async def stop(self) -> None:
        """Ask every loop to finish its round, wait for them, cancel what is still running after STOP_TIMEOUT."""
        self.stopping.set()
        if not self._tasks:
            return
        done, pending = await asyncio.wait(self._tasks, timeout=STOP_TIMEOUT)
        for task in pending:
            log.warning("background work %s did not stop in time", task.get_name())
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await task
                except Exception:
                    log.exception("background work %s failed", task.get_name())
