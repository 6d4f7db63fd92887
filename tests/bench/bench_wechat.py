"""WeChat callback turns per second next to HTTP chat API turns, on the same server in the same run.

Run: .venv/bin/python -m tests.bench.bench_wechat [--seconds 6] [--concurrency 32] [--rounds 2]
The server (`tests/bench/reference_server.py`, uvicorn, one worker, SQLite state) has the WeChat channel
in plain or safe mode; the load comes from this process. Both doors get the same turns: the golden
answers up to the receipts, each resident a household of its own (taps on WeChat are tapped option
lines, with no question counter). The callback answers every turn passively: no WeChat API is called.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time

from bot.telegram.callbacks import encode_press
from bot.wechat.crypto import MessageCrypto, signature
from tests import golden
from tests.bench.bench_chat import HOUSEHOLDS, STEPS, free_port, household, load, percentile, start_server
from tests.wechat.fake_wechat import ACCOUNT, AES_KEY, APP_ID, SECRET, TOKEN, to_xml

MESSAGES = itertools.count(10**15)


def chat_requests(token: str, tag: str):
    headers = {"Authorization": f"Bearer {token}"}

    def make(n: int):
        for round_ in itertools.count():
            user = f"{tag}-{n}-{round_}"
            for kind, value in household(STEPS, next(HOUSEHOLDS)):
                yield lambda session, url, kind=kind, value=value, user=user: golden.post_step(
                    session, f"{url}/api/chat/bench/{user}", headers, kind, value)
    return make


def wechat_requests(tag: str, crypto: MessageCrypto | None):
    def make(n: int):
        for round_ in itertools.count():
            user = f"o{tag}-{n}-{round_}"
            for kind, value in household(STEPS, next(HOUSEHOLDS)):
                fields = {"ToUserName": ACCOUNT, "FromUserName": user, "CreateTime": int(time.time()),
                          "MsgType": "text", "Content": value, "MsgId": next(MESSAGES)}
                if kind == "option":
                    fields["bizmsgmenuid"] = encode_press(None, value)
                yield lambda session, url, fields=fields: post(session, url, fields, crypto)
    return make


def post(session, url: str, fields: dict, crypto: MessageCrypto | None):
    timestamp, nonce = str(int(time.time())), "12345"
    query = {"signature": signature(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    body = to_xml(fields)
    if crypto is not None:
        encrypted, query["msg_signature"] = crypto.encrypt(body, timestamp=timestamp, nonce=nonce)
        query["encrypt_type"] = "aes"
        body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>".encode()
    return session.post(f"{url}/wechat/callback", params=query, data=body)


async def bench(mode: str, seconds: float, concurrency: int, rounds: int) -> None:
    safe = mode == "safe"
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "SHANQIAO_VAR_DIR": var, "SHANQIAO_SECRET_KEY": "bench-secret",
               "SHANQIAO_WECHAT_APPID": APP_ID, "SHANQIAO_WECHAT_SECRET": SECRET, "SHANQIAO_WECHAT_TOKEN": TOKEN,
               "SHANQIAO_WECHAT_API_BASE": "http://127.0.0.1:9"}  # never called: every answer is passive
        if safe:
            env["SHANQIAO_WECHAT_AES_KEY"] = AES_KEY
        env.pop("SHANQIAO_TELEGRAM_TOKEN", None)
        env.pop("SHANQIAO_REDIS_URL", None)
        token = subprocess.run([sys.executable, "-m", "bot.cli", "channels", "add", "bench"], env=env, check=True,
                               capture_output=True, text=True).stdout.strip().splitlines()[-1]
        port = free_port()
        server = start_server(env, port)
        url = f"http://127.0.0.1:{port}"
        crypto = MessageCrypto(app_id=APP_ID, token=TOKEN, aes_key=AES_KEY) if safe else None
        try:
            await load(url, 1.0, concurrency, chat_requests(token, "warm"))
            await load(url, 1.0, concurrency, wechat_requests("warm", crypto))
            best = {"chat": 0.0, "wechat": 0.0}
            times: dict[str, list[float]] = {"chat": [], "wechat": []}
            for round_ in range(rounds):  # alternating: a busy moment of the machine weighs on both alike
                for kind, requests in (("chat", chat_requests(token, f"r{round_}")),
                                       ("wechat", wechat_requests(f"r{round_}", crypto))):
                    rate, took, _ = await load(url, seconds / rounds / 2, concurrency, requests)
                    best[kind] = max(best[kind], rate)
                    times[kind] += took
        finally:
            server.terminate()
            server.wait(10)
    print(f"WeChat callback ({mode:5}) {best['wechat']:6.0f} turns/s (p99 {percentile(times['wechat'], .99) * 1000:5.1f} ms)"
          f" | HTTP chat API {best['chat']:6.0f} turns/s (p99 {percentile(times['chat'], .99) * 1000:5.1f} ms)"
          f" | ratio {best['wechat'] / best['chat']:.2f}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=6.0, help="per mode, shared by both doors")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    for mode in ("plain", "safe"):
        await bench(mode, args.seconds, args.concurrency, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
