"""Telegram throughput: updates/s through the aiogram runtime with Redis state, against the engine alone.

Run: .venv/bin/python -m tests.bench.bench_telegram [--seconds 3] [--rounds 3] [--residents 32]
Needs Redis on 127.0.0.1:6379 (SHANQIAO_TEST_REDIS). Each update goes the whole way:
JSON -> aiogram Update -> Dispatcher.feed_update -> update log (Redis SET NX) -> runner
(Redis lock, state get/set, encrypted) -> engine -> replies rendered -> aiogram sendMessage
(+ answerCallbackQuery and editMessageText / editMessageReplyMarkup for presses). Bot API calls are answered by
an in-process session instead of a network, so the figure is ours, not Telegram's latency.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import statistics
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from bot.conversation import ConversationKey
from bot.settings import Settings
from bot.telegram.aiogram_runtime import AiogramTransport, build_bot, build_dispatcher
from bot.telegram.channel import TelegramChannel
from bot.telegram.updates import RedisUpdateLog
from bot.wiring import build_services
from dialogs.engine import Context, handle
from dialogs.messages import Inbound
from intake.database import migrate
from knowledge.params import load_params
from tests import golden
from tests.conftest import REDIS_URL

TOKEN = "123456789:BENCH-shanqiao"
# The golden answers up to the receipts: every update is a real step of the application.
STEPS = [(kind, value) for kind, value in golden.steps()[:38] if kind != "file"]


class LocalSession(BaseSession):
    """Answers Bot API calls in-process, as Telegram would, and remembers each chat's last keyboard."""

    def __init__(self) -> None:
        super().__init__()
        self.keyboards: dict[int, dict[str, Any]] = {}
        self.calls = 0
        self._ids = itertools.count(1)

    async def make_request(self, bot: Bot, method: TelegramMethod, timeout: int | None = None) -> Any:
        self.calls += 1
        name = method.__api_method__
        result: Any = True
        # a tick-box question is redrawn in place: its keyboard comes back with editMessageText
        if name in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            markup = getattr(method, "reply_markup", None)
            result = {"message_id": getattr(method, "message_id", None) or next(self._ids), "date": 0,
                      "chat": {"id": method.chat_id, "type": "private"}, "text": getattr(method, "text", "")}
            if markup is not None:
                result["reply_markup"] = markup.model_dump(exclude_none=True)
                self.keyboards[method.chat_id] = result
        # The same parsing aiogram does on a real answer.
        return self.check_response(bot, method, 200, self.json_dumps({"ok": True, "result": result})).result

    async def stream_content(self, url, headers=None, timeout=30, chunk_size=65536, raise_for_status=True):
        raise NotImplementedError("the benchmark sends no files")
        yield b""  # pragma: no cover

    async def close(self) -> None:
        pass


def inbound(kind: str, value: str, asked: int) -> Inbound:
    return Inbound(text=value) if kind == "text" else Inbound(option=value, data={"asked": asked})


async def bench_runner(runner: Any, seconds: float, residents: int) -> float:
    """Turns/s of the runner alone (lock, state in Redis, engine), no Telegram: where the rest goes."""

    async def resident(deadline: float) -> int:
        turns = 0
        while True:
            key, asked = ConversationKey("bench", uuid.uuid4().hex), 0
            for kind, value in STEPS:
                if time.perf_counter() >= deadline:
                    return turns
                asked = (await runner.handle(key, inbound(kind, value, asked))).asked
                turns += 1

    started = time.perf_counter()
    turns = sum(await asyncio.gather(*(resident(started + seconds) for _ in range(residents))))
    return turns / (time.perf_counter() - started)


def bench_engine(seconds: float) -> float:
    """Turns/s of the pure engine, state kept in a local variable."""
    ctx = Context(today=date.today(), districts=load_params().city_districts)
    turns, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        state: dict[str, Any] | None = None
        for kind, value in STEPS:
            state = handle(state, inbound(kind, value, state["asked"] if state else 0), ctx).state
        turns += len(STEPS)
    return turns / (time.perf_counter() - started)


class Residents:
    """Many residents replaying the golden steps as raw Telegram updates, fed to one Dispatcher."""

    def __init__(self, bot: Bot, dispatcher: Any, session: LocalSession) -> None:
        self.bot, self.dispatcher, self.session = bot, dispatcher, session
        self.update_ids = itertools.count(1)
        self.chats = itertools.count(10_000_000)

    def update(self, chat_id: int, kind: str, value: str) -> dict[str, Any]:
        user = {"id": chat_id, "is_bot": False, "first_name": "R"}
        chat = {"id": chat_id, "type": "private"}
        if kind == "text":
            body = {"message": {"message_id": 1, "date": 0, "chat": chat, "from": user, "text": value}}
        else:
            message = self.session.keyboards[chat_id]
            data = next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
                        if b["callback_data"].partition(":")[2] == value)
            body = {"callback_query": {"id": uuid.uuid4().hex, "from": user, "chat_instance": "1",
                                       "message": message, "data": data}}
        return {"update_id": next(self.update_ids), **body}

    async def resident(self, deadline: float) -> int:
        fed = 0
        while True:
            chat_id = next(self.chats)
            for kind, value in STEPS:
                if time.perf_counter() >= deadline:
                    return fed
                raw = self.update(chat_id, kind, value)
                await self.dispatcher.feed_update(self.bot, Update.model_validate(raw, context={"bot": self.bot}))
                fed += 1

    async def run(self, seconds: float, residents: int) -> tuple[float, int]:
        """(updates/s, updates fed)."""
        started = time.perf_counter()
        fed = sum(await asyncio.gather(*(self.resident(started + seconds) for _ in range(residents))))
        return fed / (time.perf_counter() - started), fed


async def bench(seconds: float, residents: int, rounds: int) -> dict[str, Any]:
    """Engine, runner and aiogram rates, measured in alternating rounds so load changes hit all three."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"shanqiao-bench:{uuid.uuid4().hex[:8]}"
        settings = Settings(_env_file=None, var_dir=Path(tmp), secret_key="bench-secret", redis_url=REDIS_URL,
                            redis_prefix=prefix, llm_base_url=None)
        services = await build_services(settings)
        await migrate(services.engine)
        session = LocalSession()
        bot = build_bot(TOKEN, session=session)
        channel = TelegramChannel(runner=services.runner, files=services.files,
                                  updates=RedisUpdateLog(services.redis, prefix=prefix, bot_id=bot.id),
                                  transport=AiogramTransport(bot))
        telegram = Residents(bot, build_dispatcher(channel), session)
        try:
            bench_engine(min(1.0, seconds))  # warm-up: imports, connections, caches
            await telegram.run(min(1.0, seconds), residents)
            gc.collect()
            gc.freeze()  # as the app does after start-up
            rates: dict[str, list[float]] = {"engine": [], "runner": [], "aiogram": []}
            calls, fed_total = 0, 0
            for _ in range(rounds):
                rates["engine"].append(bench_engine(seconds))
                rates["runner"].append(await bench_runner(services.runner, seconds, residents))
                session.calls = 0
                rate, fed = await telegram.run(seconds, residents)
                rates["aiogram"].append(rate)
                calls, fed_total = calls + session.calls, fed_total + fed
            return {name: statistics.median(values) for name, values in rates.items()} | {"calls": calls / fed_total}
        finally:
            keys = [key async for key in services.redis.scan_iter(match=f"{prefix}*")]
            if keys:
                await services.redis.delete(*keys)
            await services.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating engine / aiogram rounds")
    parser.add_argument("--residents", type=int, default=32, help="residents talking at the same time")
    args = parser.parse_args()
    result = asyncio.run(bench(args.seconds, args.residents, args.rounds))
    engine, runner, aiogram = result["engine"], result["runner"], result["aiogram"]
    print(f"medians of {args.rounds} alternating rounds of {args.seconds:g} s, {args.residents} residents at once")
    print(f"engine alone:                  {engine:8.0f} turns/s")
    print(f"runner, Redis state:           {runner:8.0f} turns/s    ({runner / engine:.3f} of the engine)")
    print(f"aiogram runtime, Redis state:  {aiogram:8.0f} updates/s  "
          f"({result['calls']:.1f} Bot API calls per update; {aiogram / runner:.3f} of the runner)")
    print(f"ratio aiogram runtime / engine: {aiogram / engine:7.3f}")


if __name__ == "__main__":
    main()
