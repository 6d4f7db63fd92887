"""Turns over the callback: WeChat's retries, the 5-second rule, typed numbers and labels, voice, events."""
from __future__ import annotations

import httpx

from bot.conversation import ConversationKey
from dialogs.texts import t
from tests import golden
from tests.wechat.fake_wechat import FakeWechat, to_xml
from tests.wechat.harness import WechatResident, running_app


def key(openid: str) -> ConversationKey:
    return ConversationKey("wechat", openid)


async def test_a_message_sent_three_times_is_handled_once(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        resident = WechatResident(fake, "o-thrice")
        await resident.text("你好")
        [(content, menu_id, _)] = [link for link in resident.shown_links() if link[1].endswith(":start")]
        fields = fake.message("o-thrice", "text", Content=content, bizmsgmenuid=menu_id)
        answers = []
        async with httpx.AsyncClient() as client:
            for _ in range(3):  # the same MsgId, signed afresh each time, as WeChat retries
                query, body = fake.sign(to_xml(fields))
                answer = await client.post(fake.callback_url, params=query, content=body)
                answers.append((answer.status_code, fake.read_reply(answer.content, fields)))
        assert answers[0][0] == 200 and answers[0][1] and "同意" in answers[0][1]
        assert answers[1:] == [(200, None), (200, None)]
        state = await app.state.services.states.get(key("o-thrice"))
        assert state["step"] == "consent"  # one step on, not three
        assert not fake.calls_to("/cgi-bin/message/custom/send")


async def test_a_slow_receipt_goes_out_as_a_customer_service_message(tmp_path, fake: FakeWechat):
    steps = golden.steps()
    first_file = next(i for i, (kind, _) in enumerate(steps) if kind == "file")
    async with running_app(tmp_path, fake) as app:
        resident = WechatResident(fake, "o-slow")
        await resident.replay(steps[:first_file])
        fake.media_delay = 6.0  # WeChat's own media server is slow today
        since = len(fake.resident("o-slow").seen)
        delivery = await fake.deliver(fake.message("o-slow", "image", MediaId=fake.add_media(golden.JPEG, "image/jpeg"),
                                                   PicUrl="http://mmbiz.example/pic"))
        # answered within WeChat's 5 seconds with `success`, so WeChat did not try again...
        assert delivery.statuses == [200] and delivery.reply is None
        seen = await fake.settle("o-slow", since=since, wait_for_one=True)
        # ...and the answer came as a customer-service message once the receipt was in (then, when the
        # receipt has been read in the background, what was read: pushed too)
        assert seen and all(s.how == "push" for s in seen) and len(seen) <= 2
        assert "photo-" in seen[0].text or "1" in seen[0].text
        state = await app.state.services.states.get(key("o-slow"))
        assert len(state["answers"]["spending"]["receipts"]) == 1
        assert len(fake.calls_to("/cgi-bin/media/get")) == 1
        fake.media_delay = 0.0
        await resident.file("receipt-pharmacy.png")  # a quick one is a passive reply again
        assert resident.last[0].how == "passive"  # (what is read on it follows as a push)


async def test_options_can_be_tapped_typed_by_number_or_by_label(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        resident = WechatResident(fake, "o-typist")
        await resident.text("你好")
        await resident.text("1")                      # the first line of the menu: start
        await resident.text("同意并继续")               # a label typed in full
        for value in ("陈美玲", golden.APPLICANT_ID, golden.PHONE):
            await resident.text(value)
        await resident.text("2")                      # 2. 海珠区
        state = await app.state.services.states.get(key("o-typist"))
        assert state["answers"]["applicant"]["district"] == "haizhu"
        assert state["answers"]["consent"] is True
        await resident.text("/status")                # nothing filed yet: said as such, not "never applied"
        assert t("zh", "status.filling") in resident.said() and t("zh", "status.none") not in resident.said()


async def test_voice_is_offered_back_before_it_is_used(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        resident = WechatResident(fake, "o-voice")
        await resident.text("你好")
        await resident.tap("start")
        await resident.tap("agree")
        heard = await resident.send(fake.message("o-voice", "voice", MediaId="v1", Format="amr", Recognition="陈美玲。"))
        assert "您说的是：「陈美玲」对吗？" in heard[0].text
        state = await app.state.services.states.get(key("o-voice"))
        assert "name" not in state["answers"].get("applicant", {})  # nothing used before the resident says so
        [(content, menu_id, _)] = [link for link in resident.shown_links() if link[1] == "voice"]
        await resident.send(fake.message("o-voice", "text", Content=content, bizmsgmenuid=menu_id))
        state = await app.state.services.states.get(key("o-voice"))
        assert state["answers"]["applicant"]["name"] == "陈美玲", resident.said()
        # without WeChat's recognition: said plainly, and the question again
        await resident.send(fake.message("o-voice", "voice", MediaId="v2", Format="amr"))
        assert t("zh", "voice") in resident.said() and "身份证" in resident.said()


async def test_events_subscribe_menu_hotline_and_unsubscribe(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake, hotline="020-12345678") as app:
        resident = WechatResident(fake, "o-events")
        greeting = await resident.event("subscribe")
        assert "善桥" in greeting[0].text and "English" in greeting[0].text
        await resident.tap("en")                                  # the language choice
        assert "English" in resident.said() or "OK" in resident.said()
        await resident.event("CLICK", "hotline")
        assert "020-12345678" in resident.said()
        await resident.event("CLICK", "start")
        assert (await app.state.services.states.get(key("o-events")))["step"] == "consent", resident.said()
        pushes = len(fake.calls_to("/cgi-bin/message/custom/send"))
        assert await resident.event("unsubscribe") == []
        assert len(fake.calls_to("/cgi-bin/message/custom/send")) == pushes


async def test_a_qr_code_with_a_resume_code_continues_after_the_digits(tmp_path, fake: FakeWechat):
    steps = golden.steps()
    async with running_app(tmp_path, fake) as app:
        first = WechatResident(fake, "o-phone-a")
        await first.replay(steps[:7])                             # past the phone number: a code is given
        code = (await app.state.services.states.get(key("o-phone-a")))["resume"]["code"]
        second = WechatResident(fake, "o-phone-b")                # the same resident, another WeChat account
        await second.event("subscribe", f"qrscene_resume:{code}")
        assert "后四位" in second.said()                           # asked for the phone's last four digits
        await second.text(golden.PHONE[-4:])
        moved = await app.state.services.states.get(key("o-phone-b"))
        assert moved["answers"]["applicant"]["name"] == "陈美玲" and moved["step"] == "applicant.address"
        # a follower scanning the code again on the first account moves it back the same way
        await first.event("SCAN", f"resume:{code}")
        await first.text(golden.PHONE[-4:])
        assert (await app.state.services.states.get(key("o-phone-a")))["step"] == "applicant.address"


async def test_the_rights_desk_opens_from_the_menu_button_and_gives_back_where_it_was(tmp_path, fake: FakeWechat):
    async with running_app(tmp_path, fake) as app:
        resident = WechatResident(fake, "o-mydata")
        await resident.replay(golden.steps()[:7])                 # past the phone number: a code is given
        await resident.event("CLICK", "mydata")                   # the account's menu button 我的信息
        assert "续办码" in resident.said()
        await resident.tap("_rcode")                              # the code shown in this chat
        await resident.text(golden.PHONE[-4:])                    # nothing filed yet: said so, and back
        assert "还没有提交" in resident.said() and "住在哪里" in resident.said()
        await resident.replay(golden.steps()[7:])                 # filed
        await resident.text("我的信息")
        await resident.tap("_rcode")
        await resident.text(golden.PHONE[-4:])
        assert "已确认是您本人" in resident.said()
        await resident.tap("_rsee")                               # the summary and the download links
        assert "陈美玲" in resident.said() and "/mydata/" in resident.said()
        await resident.tap("_rleave")
        state = await app.state.services.states.get(key("o-mydata"))
        assert "已离开" in resident.said() and state["rights"] is None and state["flow"] is None
