"""Notices to WeChat residents: customer-service messages inside 48 hours, a subscription notice outside,
retried like every notice; a caseworker's request for more information answered in WeChat."""
from __future__ import annotations

from datetime import timedelta

from dialogs.messages import Reply
from intake.console.decisions import Decisions
from intake.models import utcnow
from tests import golden
from tests.wechat.fake_wechat import FakeWechat
from tests.wechat.harness import TEMPLATE, WechatResident, running_app

OPENID = "oNotice-7b2e"
CUSTOM = "/cgi-bin/message/custom/send"
SUBSCRIBE = "/cgi-bin/message/subscribe/bizsend"


async def test_request_inside_the_window_then_decision_after_48_hours(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        services, decisions = app.state.services, Decisions(app.state.console)
        resident = WechatResident(fake, OPENID)
        await resident.replay(golden.steps())
        [summary] = await services.intakes.list_for_user("wechat", OPENID)
        await services.queue.relay()
        await decisions.claim_next("cw1")

        # inside the 48 hours: the request arrives as a customer-service message, and is answered in WeChat
        since = len(fake.resident(OPENID).seen)
        await decisions.request_info(summary.id, actor="cw1", items=["situation"], note="请补充说明病情")
        [request] = fake.resident(OPENID).seen[since:]
        assert request.how == "push" and "请补充说明病情" in request.text
        await resident.text("化疗已经进行到第三个疗程。")
        assert str(summary.id) in resident.said()
        record = await services.intakes.get(summary.id)
        assert record.application["situation"].startswith("化疗已经进行到第三个疗程")

        # two days later the window is closed: the decision goes as a subscription notice and waits in the chat
        fake.advance(49 * 3600)
        fake.resident(OPENID).templates.add(TEMPLATE)
        await decisions.claim(summary.id, worker="cw1")
        since = len(fake.resident(OPENID).seen)
        assert await decisions.accept(summary.id, actor="cw1", reason="材料齐全")
        assert fake.calls_to(CUSTOM)[-1].errcode == 45015
        [nudge] = fake.resident(OPENID).seen[since:]
        assert nudge.how == "subscription" and all(len(part) <= 20 for part in nudge.text.split(" / "))
        assert await services.notices.waiting() == 0
        await resident.text("你好")                          # the resident comes back: the decision comes first
        assert resident.said().index("材料齐全") < resident.said().index("请选择")


async def test_outside_the_window_without_a_subscription_the_notice_waits(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        services = app.state.services
        resident = WechatResident(fake, OPENID)
        await resident.text("你好")
        fake.advance(49 * 3600)
        assert await services.notices.send(channel="wechat", user_id=OPENID, replies=[Reply("社工的消息：请回电")],
                                           notifier=services.notifiers)
        assert fake.calls_to(SUBSCRIBE)[-1].errcode == 43101  # never accepted: WeChat refuses the notice
        await resident.text("你好")
        assert "社工的消息：请回电" in resident.said()


async def test_a_busy_wechat_means_the_notice_is_tried_again(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        services = app.state.services
        resident = WechatResident(fake, OPENID)
        await resident.text("你好")
        fake.fail(CUSTOM, -1)
        assert not await services.notices.send(channel="wechat", user_id=OPENID, replies=[Reply("决定通知")],
                                               notifier=services.notifiers)
        assert await services.notices.waiting() == 1
        services.notices.clock = lambda: utcnow() + timedelta(minutes=5)  # past the pause after a failed attempt
        assert await services.notices.deliver_due(services.notifiers) == 1
        assert [s.text for s in fake.resident(OPENID).seen if s.how == "push"] == ["决定通知"]


async def test_pushes_used_up_fall_back_like_the_window(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        services = app.state.services
        resident = WechatResident(fake, OPENID)
        await resident.text("你好")
        fake.resident(OPENID).templates.add(TEMPLATE)
        fake.fail(CUSTOM, 45047)
        assert await services.notices.send(channel="wechat", user_id=OPENID, replies=[Reply("第21条")],
                                           notifier=services.notifiers)
        assert [s.how for s in fake.resident(OPENID).seen][-1] == "subscription"
        await resident.text("你好")
        assert "第21条" in resident.said()
