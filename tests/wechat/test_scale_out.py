"""Scale-out: `shanqiao serve --workers 2` and `shanqiao worker` on PostgreSQL and Redis serve WeChat residents;
the access token is fetched once for all three processes."""
from __future__ import annotations

from dialogs.messages import Reply
from intake.crypto import Vault
from intake.database import create_engine
from intake.store.sql import SqlIntakeStore
from bot.notices import NoticeOutbox
from tests import golden
from tests.conftest import REDIS_URL, fresh_postgres_database, require_service
from tests.telegram.workers import Worker
from tests.wechat.fake_wechat import AES_KEY, APP_ID, SECRET, TOKEN, FakeWechat
from tests.wechat.harness import WechatResident, check_retries_answered_once

SECRET_KEY = "test-secret-key"
OPENID = "oScale-51c0"


async def test_two_web_processes_and_a_worker(tmp_path, redis_prefix):
    require_service("Redis", "127.0.0.1", 6379)
    async with FakeWechat(safe=True) as fake, fresh_postgres_database() as database_url:
        settings = {"var_dir": tmp_path / "var", "secret_key": SECRET_KEY, "database_url": database_url,
                    "redis_url": REDIS_URL, "redis_prefix": redis_prefix, "wechat_appid": APP_ID,
                    "wechat_secret": SECRET, "wechat_token": TOKEN, "wechat_aes_key": AES_KEY,
                    "wechat_api_base": fake.base_url}
        web = Worker(tmp_path, "web", command=("serve", "--workers", "2"))
        worker = Worker(tmp_path, "worker", command=("worker",))
        await web.start(settings)
        await worker.start(settings)
        engine = create_engine(database_url)
        try:
            fake.callback_url = f"{web.url}/wechat/callback"
            resident = WechatResident(fake, OPENID)
            await resident.replay(golden.steps())
            # the same message several times at once, as WeChat sends it again: one turn
            await check_retries_answered_once(fake, OPENID)
            intakes = SqlIntakeStore(engine, Vault(SECRET_KEY))
            [summary] = await intakes.list_for_user("wechat", OPENID)
            record = await intakes.get(summary.id)
            assert record.application["applicant"]["name"] == "陈美玲" and len(record.attachments) == 2

            # a notice whose first attempt failed is delivered by the worker
            notices = NoticeOutbox(engine, vault=Vault(SECRET_KEY))
            held = await notices.add(channel="wechat", user_id=OPENID, replies=[Reply("社工已受理您的申请")])
            await notices.failed(held)
            since = len(fake.resident(OPENID).seen)
            seen = await fake.settle(OPENID, since=since, wait_for_one=True, timeout=20)
            assert [(s.how, s.text) for s in seen] == [("push", "社工已受理您的申请")]
        finally:
            await engine.dispose()
            await web.stop()
            await worker.stop()
        assert web.logged("Traceback") == worker.logged("Traceback") == 0
        # three processes, one token
        assert len(fake.calls_to("/cgi-bin/stable_token")) == 1
