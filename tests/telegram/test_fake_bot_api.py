"""The fake Bot API speaks the protocol both libraries expect, records calls, and injects faults."""
from __future__ import annotations

import time

import pytest

from bot.telegram.aiogram_runtime import AiogramTransport, build_bot
from bot.telegram.ptb_runtime import PtbTransport, build_application
from bot.telegram.render import Button, Outgoing
from bot.telegram.transport import FileTooBig

CHAT = 5151


@pytest.fixture(params=["aiogram", "ptb"])
async def transport(request, fake):
    """Each library's transport, talking to the fake server."""
    if request.param == "aiogram":
        bot = build_bot(fake.token, fake.base_url)
        yield AiogramTransport(bot)
        await bot.session.close()
        return
    application = build_application(fake.token, fake.base_url)
    await application.initialize()
    yield PtbTransport(application.bot)
    await application.shutdown()


QUESTION = Outgoing("有其他家庭成员吗？", ((Button("有", "4:yes"), Button("没有", "4:no")),))


async def test_send_records_text_and_keyboard(fake, transport):
    sent = await transport.send(CHAT, [Outgoing("您好"), QUESTION])
    assert sent == [m["message_id"] for m in fake.bot_messages(CHAT)] and len(sent) == 2
    texts = [c.params["text"] for c in fake.calls_to("sendMessage", CHAT)]
    assert texts == ["您好", "有其他家庭成员吗？"]
    keyboard = fake.keyboard(CHAT)
    assert [[b["callback_data"] for b in row] for row in keyboard["reply_markup"]["inline_keyboard"]] == [
        ["4:yes", "4:no"]]
    assert [e.buttons for e in fake.transcript(CHAT)] == [(), ("有", "没有")]


async def test_clearing_a_keyboard_removes_the_buttons_once(fake, transport):
    await transport.send(CHAT, [QUESTION])
    message_id = fake.keyboard(CHAT)["message_id"]
    await transport.clear_keyboard(CHAT, message_id)
    assert fake.keyboard(CHAT) is None
    # A second clear is refused by Telegram ("not modified") and must not raise.
    await transport.clear_keyboard(CHAT, message_id)
    assert [c.status for c in fake.calls_to("editMessageReplyMarkup")] == [200, 400]


async def test_editing_a_message_replaces_its_text_and_buttons(fake, transport):
    [message_id] = await transport.send(CHAT, [QUESTION])
    assert await transport.edit(CHAT, message_id, Outgoing("有其他家庭成员吗？\n✓ 有")) is True
    assert fake.keyboard(CHAT) is None
    assert [m["text"] for m in fake.bot_messages(CHAT)] == ["有其他家庭成员吗？\n✓ 有"]
    # the same text again is "not modified" for Telegram: refused quietly
    assert await transport.edit(CHAT, message_id, Outgoing("有其他家庭成员吗？\n✓ 有")) is False


async def test_download_through_get_file(fake, transport):
    file_id, _ = fake.add_file(b"%PDF-1.7 receipt")
    assert await transport.download(file_id) == b"%PDF-1.7 receipt"
    assert len(fake.calls_to("getFile")) == 1


async def test_files_over_the_bot_api_limit_are_too_big(fake, transport):
    file_id, _ = fake.add_file(b"big", reported_size=25 * 1024 * 1024)
    with pytest.raises(FileTooBig):
        await transport.download(file_id)


async def test_flood_control_is_waited_out(fake, transport):
    fake.fail("sendMessage", status=429, retry_after=1, times=2, chat_id=CHAT)
    started = time.monotonic()
    assert len(await transport.send(CHAT, [Outgoing("稍等")])) == 1
    assert time.monotonic() - started >= 2
    assert [c.status for c in fake.calls_to("sendMessage", CHAT)] == [429, 429, 200]


async def test_a_resident_who_blocked_the_bot_is_skipped(fake, transport):
    fake.fail("sendMessage", status=403, chat_id=CHAT)
    assert await transport.send(CHAT, [Outgoing("一"), Outgoing("二")]) is None
    assert len(await transport.send(CHAT + 1, [Outgoing("三")])) == 1
    assert [(c.chat_id, c.status) for c in fake.calls_to("sendMessage")] == [(CHAT, 403), (CHAT + 1, 200)]


async def test_unknown_methods_and_tokens_are_refused(fake):
    import aiohttp

    async with aiohttp.ClientSession() as client:
        async with client.post(f"{fake.base_url}/bot{fake.token}/noSuchMethod") as response:
            assert response.status == 404
        async with client.post(f"{fake.base_url}/bot1:wrong/getMe") as response:
            assert response.status == 401
    assert [c.status for c in fake.calls] == [404, 401]
