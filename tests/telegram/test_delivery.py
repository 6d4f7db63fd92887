"""Getting messages to residents: flood control, blocked bots, notifications, commands, the webhook's secret."""
from __future__ import annotations

import time

import aiohttp
import pytest

from bot.conversation import ConversationKey
from bot.telegram.webhook import SECRET_HEADER
from dialogs.messages import Option, Reply
from dialogs.texts import t
from tests import golden
from tests.conftest import require_service
from tests.telegram.harness import TelegramResident, running_bot

CHAT = 700200


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_flood_control_delays_replies_but_loses_none(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook"):
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:1])
        fake.fail("sendMessage", status=429, retry_after=1, times=2, chat_id=CHAT)
        fake.fail("answerCallbackQuery", status=429, retry_after=1, times=1)
        started = time.monotonic()
        await resident.option("start")
        assert time.monotonic() - started >= 2
        statuses = [c.status for c in resident.last if c.name == "sendmessage"]
        assert statuses[:2] == [429, 429] and set(statuses[2:]) == {200}
        assert [c.status for c in fake.calls_to("answerCallbackQuery")] == [429, 200]
        assert "同意" in resident.said()  # the consent question arrived


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_a_resident_who_blocked_the_bot_breaks_nothing(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook") as app:
        services = app.state.services
        resident, other = TelegramResident(fake, CHAT), TelegramResident(fake, CHAT + 1)
        await resident.replay(golden.steps()[:3])
        fake.fail("sendMessage", status=403, times=100, chat_id=CHAT)
        # The resident's last words before blocking are still taken.
        assert await fake.push(fake.text(CHAT, "陈美玲")) == 200
        state = await services.states.get(ConversationKey("telegram", str(CHAT)))
        assert state["step"] == "applicant.id_number"
        # A caseworker's notification to them fails quietly.
        await services.notifiers.notify(channel="telegram", user_id=str(CHAT), replies=[Reply("您的申请已受理。")])
        assert fake.calls_to("sendMessage", CHAT)[-1].status == 403
        # Everyone else is served as usual.
        await other.text("你好")
        assert other.said()


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_notifications_reach_the_residents_chat_with_buttons(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook") as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.text("你好")
        note = Reply("个案工作者需要补充材料。", (Option("现在补充", "resume"),))
        await services.notifiers.notify(channel="telegram", user_id=str(CHAT), replies=[note])
        message = fake.bot_messages(CHAT)[-1]
        assert message["text"] == "个案工作者需要补充材料。"
        assert message["reply_markup"]["inline_keyboard"] == [[{"text": "现在补充", "callback_data": "-:resume"}]]
        # Pressing it is an answer, not a stale button.
        await resident.option("resume")
        assert t("zh", "old_keyboard") not in resident.said()


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_commands(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook") as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.text("你好")
        await resident.text("/start from_community_poster")
        state = await services.states.get(ConversationKey("telegram", str(CHAT)))
        assert state["source"] == "from_community_poster"
        await resident.text("/help")
        assert t("zh", "help") in resident.said()
        await resident.text("/lang en")
        assert t("en", "lang.switched") in resident.said()
        await resident.text("/status")
        assert t("en", "status.none") in resident.said()
        await resident.text("/resume")  # from the menu: no code yet, so how to give it
        assert t("en", "resume.how") in resident.said()
        await resident.text("/mydata")  # the rights desk from the menu, and straight out of it again
        assert t("en", "rights.ask_code") in resident.said()
        await resident.text("/cancel")
        assert "You have left" in resident.said() and t("en", "idle.menu") in resident.said()
        await resident.text("/ask")
        assert t("en", "ask.how") in resident.said()
        await resident.text("/ask 医疗费用怎么算？")
        assert fake.calls_to("sendChatAction", CHAT)  # "typing…" while the answer is looked up
        assert resident.said()
        await resident.option("start")
        await resident.text("/cancel")
        assert t("en", "cancel.confirm") in resident.said()
    menus = {c.params.get("language_code"): c.params["commands"] for c in fake.calls_to("setMyCommands")}
    assert [c["command"] for c in menus["zh"]] == ["start", "ask", "status", "resume", "mydata", "lang", "help",
                                                     "cancel"]
    assert {c["description"] for c in menus["en"]} == {t("en", f"command.{c['command']}") for c in menus["en"]}
    assert menus[None] == menus["zh"]  # clients in other languages get the deployment's language
    # The bot's profile tells how to ask a policy question, in each language.
    short = {c.params.get("language_code"): c.params["short_description"] for c in fake.calls_to("setMyShortDescription")}
    assert short == {"zh": t("zh", "hint.ask"), "en": t("en", "hint.ask"), None: t("zh", "hint.ask")}
    assert all(t("en", "hint.ask") in c.params["description"]
               for c in fake.calls_to("setMyDescription") if c.params.get("language_code") == "en")
    assert {c.status for c in fake.calls if c.name.startswith("setmy")} == {200}


async def test_a_deep_link_opens_the_conversation_in_the_deployments_language(tmp_path, fake):
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="webhook") as app:
        resident = TelegramResident(fake, CHAT)
        await resident.text("/start from_community_poster")
        state = await app.state.services.states.get(ConversationKey("telegram", str(CHAT)))
        assert state["source"] == "from_community_poster" and state["locale"] == "zh"


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_the_webhook_refuses_posts_without_the_secret(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook"):
        url, secret = fake.webhook["url"], fake.webhook["secret_token"]
        update = fake.text(CHAT, "你好")
        assert await fake.post(update, url, None) == 403
        assert await fake.post(update, url, "not-the-secret") == 403
        async with aiohttp.ClientSession() as client:
            async with client.post(url, data=b"{oops", headers={SECRET_HEADER: secret}) as response:
                assert response.status == 400
            async with client.post(url, json=[1, 2], headers={SECRET_HEADER: secret}) as response:
                assert response.status == 400
        assert not fake.calls_to("sendMessage")
        assert await fake.post(update, url, secret) == 200
        assert fake.calls_to("sendMessage", CHAT)


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_messages_sent_in_quick_succession_are_taken_in_order(tmp_path, fake, redis_prefix, runtime):
    require_service("Redis", "127.0.0.1", 6379)
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling", redis_prefix=redis_prefix) as app:
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:3])
        # Name, ID number and phone typed without waiting: they arrive in one getUpdates batch.
        since = len(fake.calls)
        burst = [fake.text(CHAT, value) for _, value in golden.steps()[3:6]]
        for update in burst:
            await fake.push(update)
        await fake.settle(CHAT, since=since, update_id=burst[-1]["update_id"], quiet=0.5)
        state = await app.state.services.states.get(ConversationKey("telegram", str(CHAT)))
        assert state["step"] == "applicant.district"
        applicant = state["answers"]["applicant"]
        assert (applicant["name"], applicant["id_number"]) == ("陈美玲", golden.APPLICANT_ID)


async def test_expired_state_answers_a_button_by_starting_again(tmp_path, fake, redis_prefix):
    require_service("Redis", "127.0.0.1", 6379)
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="webhook", redis_prefix=redis_prefix) as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:2])
        # The state lapses (TTL) while the consent question is still on the resident's screen.
        await services.states.delete(ConversationKey("telegram", str(CHAT)))
        await resident.option("agree")
        assert t("zh", "expired") in resident.said()
        assert fake.keyboard(CHAT) is not None  # a question with buttons: a way forward
