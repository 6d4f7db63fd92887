"""The golden application over the WeChat callback, plain and safe mode, ending in the caseworker queue."""
from __future__ import annotations

import copy

from dialogs.texts import t
from tests import golden
from tests.wechat.fake_wechat import FakeWechat
from tests.wechat.harness import WechatResident, running_app

OPENID = "oGolden-3f9a0c1d2e"


def check_wechat_application(application: dict) -> None:
    """The golden check, after confirming the JPEG arrived as a WeChat photo (which carries no file name)."""
    application = copy.deepcopy(application)
    photo = application["spending"]["receipts"][0]
    assert photo["name"].startswith("photo-") and photo["content_type"] == "image/jpeg"
    photo["name"] = "receipt-hospital.jpg"
    golden.check_application(application)


async def test_golden_application_reaches_the_queue(tmp_path, any_mode: FakeWechat):
    fake = any_mode
    async with running_app(tmp_path, fake) as app:
        services = app.state.services
        resident = WechatResident(fake, OPENID)
        await resident.event("subscribe")
        await resident.replay(golden.steps())
        [summary] = await services.intakes.list_for_user("wechat", OPENID)
        assert str(summary.id) in resident.said()
        record = await services.intakes.get(summary.id)
        check_wechat_application(record.application)
        assert [a.content_type for a in record.attachments] == ["image/jpeg", "image/png"]
        await services.queue.relay()
        entry = await services.queue.claim_next("caseworker-1")
        assert entry is not None and entry.intake_id == summary.id
        await resident.event("CLICK", "status")
        assert t("zh", "status.title") in resident.said() and str(summary.id) in resident.said()

    seen = fake.resident(OPENID).seen
    assert {s.how for s in seen} <= {"passive", "push"} and "unavailable" not in {s.how for s in seen}
    # both receipts were fetched by MediaId with a token from the stable-token API, fetched once
    assert len(fake.calls_to("/cgi-bin/media/get")) == 2
    assert len(fake.calls_to("/cgi-bin/stable_token")) == 1
