"""The access token: two web processes and a worker, each with its own database connection, fetch it at
most once per expiry, and replace a token WeChat calls bad with one forced refresh between them."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.wechat.api import WechatApi
from bot.wechat.token import AccessTokens
from intake.crypto import Vault
from intake.database import create_engine, migrate
from tests.wechat.fake_wechat import APP_ID, SECRET, FakeWechat

TOKEN_PATH = "/cgi-bin/stable_token"


async def test_the_token_is_fetched_once_per_expiry_across_processes(database_url, fake: FakeWechat):
    vault = Vault("test-secret-key")
    engines = [create_engine(database_url) for _ in range(3)]  # web 1, web 2, worker
    await migrate(engines[0])
    apis = [WechatApi(app_id=APP_ID, secret=SECRET, base=fake.base_url) for _ in engines]
    clock = lambda: datetime.fromtimestamp(fake.now(), UTC)  # noqa: E731 - the fake's clock, moved by the test
    keepers = [AccessTokens(engine, api, vault=vault, clock=clock) for engine, api in zip(engines, apis)]
    try:
        tokens = await asyncio.gather(*(keeper.get() for keeper in keepers for _ in range(5)))
        assert len(set(tokens)) == 1 and len(fake.calls_to(TOKEN_PATH)) == 1

        fake.advance(7200 - 200)  # into the token's last minutes: time for the next one
        tokens = await asyncio.gather(*(keeper.get() for keeper in keepers for _ in range(5)))
        assert len(set(tokens)) == 1 and len(fake.calls_to(TOKEN_PATH)) == 2

        # WeChat forgets the token early: every process hears 40001, one of them forces a refresh
        fake.expire_token()
        fake.resident("o-token").last_action = fake.now()
        sent = await asyncio.gather(*(keeper.call(lambda token, api=keeper.api: api.send_text(token, "o-token", "hi"))
                                      for keeper in keepers))
        assert sent == [None, None, None]
        fetches = fake.calls_to(TOKEN_PATH)
        assert len(fetches) == 3 and [c.body["force_refresh"] for c in fetches] == [False, False, True]
        assert [c.errcode for c in fake.calls_to("/cgi-bin/message/custom/send")].count(0) == 3
    finally:
        for api, engine in zip(apis, engines):
            await api.aclose()
            await engine.dispose()
