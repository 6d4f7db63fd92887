"""A caseworker's message reaches the resident's Telegram chat through the notice outbox; the resident's reply,
and a photo after it, land in the intake's thread and mark it 「居民有回复」."""
from __future__ import annotations

from dialogs.texts import t
from intake.console import Decisions
from tests.intake.caseload import caseload
from tests.telegram.harness import TelegramResident, running_bot

CHAT = 840001


async def test_a_caseworkers_message_arrives_on_telegram_and_the_reply_lands_in_the_thread(tmp_path, fake):
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="webhook") as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.text("你好")
        intake_id = await services.intakes.submit(caseload(1)[0], channel="telegram", user_id=str(CHAT), locale="zh")
        decisions = Decisions(app.state.console)

        # the message goes out at once, in the resident's language, saying how to answer
        assert await decisions.send_message(intake_id, actor="li", canned="call_us", text="周三上午可以吗？")
        arrived = "\n".join(m["text"] for m in fake.bot_messages(CHAT)[-2:])
        assert "电话里确认" in arrived and "周三上午可以吗？" in arrived and t("zh", "thread.how_to_reply") in arrived
        assert [m.delivery for m in await services.intakes.thread(intake_id)] == ["sent"]
        assert not (await services.intakes.get(intake_id)).replied

        # the resident just answers, then sends a photo: both are in the thread, the message counts as read
        await resident.text("周三上午十点以后都可以，谢谢！")
        assert t("zh", "thread.sent", n=intake_id) in resident.said()
        await resident.file("receipt-hospital.jpg")
        assert t("zh", "thread.files_sent", n=intake_id, count=1) in resident.said()
        thread = await services.intakes.thread(intake_id)
        assert [(m.sender, m.kind) for m in thread] == [("staff", "message"), ("resident", "message"),
                                                        ("resident", "file")]
        assert thread[1].text == "周三上午十点以后都可以，谢谢！" and thread[0].delivery == "read"
        record = await services.intakes.get(intake_id)
        assert record.replied and thread[2].file_id in {a.file_id for a in record.attachments}

        # a chat that blocked the bot: the message waits in the outbox for its retry, shown as queued
        fake.fail("sendMessage", status=403, times=100, chat_id=CHAT)
        assert not await decisions.send_message(intake_id, actor="li", text="收到照片了")
        assert (await services.intakes.thread(intake_id))[-1].delivery == "queued"
        assert not (await services.intakes.get(intake_id)).replied  # answered by the caseworker
