"""The golden application over the WeChat callback, plain and safe mode, ending in the caseworker queue."""
from __future__ import annotations

import copy

import httpx

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


async def test_a_policy_question_midway_and_a_resume_code_to_the_web_chat_and_back(tmp_path, fake: FakeWechat):
    steps = golden.steps()
    async with running_app(tmp_path, fake) as app:
        services = app.state.services
        resident = WechatResident(fake, OPENID)
        await resident.replay(steps[:7])                       # up to the address question
        await resident.text("低保标准是多少？")                  # a policy question in the middle
        assert "元" in resident.said() and "地址" in resident.said()  # the answer, then the same question again
        code = (await services.states.get(key(OPENID)))["resume"]["code"]

        # the resident goes on in the web chat with the code, answers the address there...
        async with httpx.AsyncClient(base_url=fake.callback_url.removesuffix("/wechat/callback")) as web:
            await web.post("/web/chat", json={"text": f"继续 {code}"})
            moved = await web.post("/web/chat", json={"text": golden.PHONE[-4:]})
            assert moved.json()["state"]["step"] == "applicant.address"
            kind, address = steps[7]
            assert (await web.post("/web/chat", json={kind: address})).json()["state"]["step"] != "applicant.address"

        # ...and comes back to WeChat with the same code to finish
        await resident.text(f"继续 {code}")
        await resident.text(golden.PHONE[-4:])
        await resident.replay(steps[8:])
        [summary] = await services.intakes.list_for_user("wechat", OPENID)
        check_wechat_application((await services.intakes.get(summary.id)).application)


def key(openid: str):
    from bot.conversation import ConversationKey

    return ConversationKey("wechat", openid)
