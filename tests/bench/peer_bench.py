"""Our aiogram runtime against the bot a developer would write by hand with aiogram 3: an FSM whose
state and data live in aiogram's RedisStorage, one handler for messages and one for button presses.

Run: .venv/bin/python -m tests.bench.peer_bench [--seconds 3] [--rounds 3] [--residents 32]
Needs Redis on 127.0.0.1:6379 (SHANQIAO_TEST_REDIS). Both bots get the same update stream (the golden
answers as raw Telegram updates, `tests.bench.bench_telegram.Residents`) through the same in-process
Bot API session, in alternating rounds; the ratio ours / peer is printed per round and as the median.

The peer does what such a bot does and nothing more: it reads the step from the FSM, keeps the answer
in the FSM data (one Redis read and one write each), answers a press and takes its buttons away, and
asks the next question (with buttons when the next answer is a press). It validates nothing, keeps no
transcript, encrypts nothing and files nothing: the ratio is what all of that costs us per update.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import statistics
import tempfile
import uuid
from pathlib import Path

from aiogram import Bot, Dispatcher, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from redis.asyncio import Redis

from bot.settings import Settings
from bot.telegram.aiogram_runtime import AiogramTransport, build_bot, build_dispatcher
from bot.telegram.channel import TelegramChannel
from bot.telegram.updates import RedisUpdateLog
from bot.wiring import build_services
from intake.database import migrate
from tests.bench.bench_telegram import STEPS, TOKEN, LocalSession, Residents
from tests.conftest import REDIS_URL


def peer_question(step: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The question before step `step` of the stream: buttons when that answer is a press."""
    if step >= len(STEPS):
        return "谢谢，已收到。", None
    kind, value = STEPS[step]
    if kind != "option":
        return f"第 {step + 1} 题：请输入。", None
    buttons = [InlineKeyboardButton(text=label, callback_data=f"{step}:{label}") for label in (value, "other", "no")]
    return f"第 {step + 1} 题：请选择。", InlineKeyboardMarkup(inline_keyboard=[buttons])


def peer_dispatcher(storage: RedisStorage) -> Dispatcher:
    """The hand-written bot: an FSM in RedisStorage walking the same steps."""
    router = Router()

    async def advance(state: FSMContext, answer: str) -> tuple[str, InlineKeyboardMarkup | None]:
        data = await state.get_data()
        step = data.get("step", 0)
        answers = data.get("answers", {})
        answers[str(step)] = answer
        await state.update_data(step=step + 1, answers=answers)
        return peer_question(step + 1)

    @router.message(F.text)
    async def on_text(message: Message, state: FSMContext, bot: Bot) -> None:
        text, markup = await advance(state, message.text)
        await bot.send_message(message.chat.id, text, reply_markup=markup)

    @router.callback_query()
    async def on_press(query: CallbackQuery, state: FSMContext, bot: Bot) -> None:
        await query.answer()
        chat_id = query.message.chat.id
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=query.message.message_id, reply_markup=None)
        text, markup = await advance(state, query.data.partition(":")[2])
        await bot.send_message(chat_id, text, reply_markup=markup)

    dispatcher = Dispatcher(storage=storage)
    dispatcher.include_router(router)
    return dispatcher


async def bench(seconds: float, residents: int, rounds: int) -> list[tuple[float, float]]:
    """(ours, peer) updates/s per round."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"shanqiao-peer:{uuid.uuid4().hex[:8]}"
        settings = Settings(_env_file=None, var_dir=Path(tmp), secret_key="bench-secret", redis_url=REDIS_URL,
                            redis_prefix=prefix, llm_base_url=None)
        services = await build_services(settings)
        await migrate(services.engine)
        redis = Redis.from_url(REDIS_URL)
        try:
            ours_session, peer_session = LocalSession(), LocalSession()
            ours_bot, peer_bot = build_bot(TOKEN, session=ours_session), build_bot(TOKEN, session=peer_session)
            channel = TelegramChannel(runner=services.runner, files=services.files,
                                      updates=RedisUpdateLog(services.redis, prefix=prefix, bot_id=ours_bot.id),
                                      transport=AiogramTransport(ours_bot))
            storage = RedisStorage(redis, key_builder=DefaultKeyBuilder(prefix=f"{prefix}:fsm"))
            ours = Residents(ours_bot, build_dispatcher(channel), ours_session)
            peer = Residents(peer_bot, peer_dispatcher(storage), peer_session)
            peer.chats = itertools.count(50_000_000)  # chats of their own
            await ours.run(min(1.0, seconds), residents)  # warm-up: imports, connections, caches
            await peer.run(min(1.0, seconds), residents)
            gc.collect()
            gc.freeze()  # as the app does after start-up
            results = []
            for _ in range(rounds):
                ours_rate, _ = await ours.run(seconds, residents)
                peer_rate, _ = await peer.run(seconds, residents)
                results.append((ours_rate, peer_rate))
            return results
        finally:
            keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()
            await services.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of ours and the peer")
    parser.add_argument("--residents", type=int, default=32, help="residents talking at the same time")
    args = parser.parse_args()
    results = asyncio.run(bench(args.seconds, args.residents, args.rounds))
    for n, (ours, peer) in enumerate(results, 1):
        print(f"round {n}: ours (aiogram runtime, Redis state) {ours:7.0f} updates/s, "
              f"hand-written aiogram FSM + RedisStorage {peer:7.0f} updates/s, ratio {ours / peer:.2f}")
    print(f"median ratio ours / hand-written aiogram: {statistics.median(o / p for o, p in results):.2f} "
          f"({len(STEPS)} steps of the golden application, {args.residents} residents at once)")


if __name__ == "__main__":
    main()
