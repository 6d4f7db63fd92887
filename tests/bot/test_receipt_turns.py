"""Chat turns keep their pace while a receipt is being read: the reading happens off the event loop."""
from __future__ import annotations

import asyncio
import statistics
import time

from tests.bot.conftest import Resident, channel_token, make_settings, running
from tests.receipts.generator import sample


async def timed_turn(resident: Resident) -> float:
    started = time.perf_counter()
    await resident.text("你好")
    return time.perf_counter() - started


async def test_turns_are_answered_while_a_receipt_is_read(tmp_path):
    data = sample(tmp_path, "inpatient", 2).path.read_bytes()  # the longest layout to read
    async with running(make_settings(tmp_path)) as client:
        reader = client.app.state.services.receipts
        resident = Resident(client, await channel_token(client))
        await reader.start()
        await reader.read(data)  # models loaded, caches warm: the timed read below is a usual one
        alone = [await timed_turn(resident) for _ in range(10)]

        started = time.perf_counter()
        reading = asyncio.create_task(reader.read(data))
        during = []
        while not reading.done():
            during.append(await timed_turn(resident))
        read_seconds = time.perf_counter() - started
        assert (await reading).readable

    # a read on the loop would hold a turn for the whole read; off the loop turns go on beside it
    figures = f"alone {statistics.median(alone):.3f}s, during {during}, read {read_seconds:.2f}s"
    assert len(during) >= 5, figures
    assert statistics.median(during) < read_seconds / 10, figures
    assert statistics.median(during) < 5 * statistics.median(alone), figures  # CPU is shared, the loop is not
    assert max(during) < read_seconds / 3, figures
