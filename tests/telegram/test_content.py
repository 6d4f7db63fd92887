"""Reading messages into Inbound, over real aiogram and python-telegram-bot objects built from the same JSON."""
from __future__ import annotations

import pytest
from aiogram.types import Update as AiogramUpdate
from telegram import Update as PtbUpdate

from bot.telegram.content import FileOffer, read_message, private_chat_id
from dialogs.events import Unsupported, Voice
from dialogs.intents import command as read_command
from dialogs.messages import Inbound
from tests.telegram.fake_bot_api import FakeBotAPI

CHAT = 4242


@pytest.fixture(params=["aiogram", "ptb"])
def parse(request):
    """Turn a raw update into the library's own Update object."""
    if request.param == "aiogram":
        return lambda raw: AiogramUpdate.model_validate(raw)
    return lambda raw: PtbUpdate.de_json(raw, None)


@pytest.fixture
def builder():
    """The fake server's update builders (the server itself is not needed here)."""
    return FakeBotAPI()


@pytest.mark.parametrize("text, expected", [
    ("我叫陈美玲", Inbound(text="我叫陈美玲")),
    ("/start", Inbound(command="start")),
    ("/start ref_wechat", Inbound(command="start", text="ref_wechat")),
    ("/lang@shanqiao_test_bot en", Inbound(command="lang", text="en")),
    ("/ASK  医疗费用怎么算？\n还有药费", Inbound(command="ask", text="医疗费用怎么算？\n还有药费")),
    ("/frobnicate now", Inbound(command="frobnicate", text="now")),
    ("/", Inbound(text="/")),
    ("/3000元", Inbound(text="/3000元")),
])
def test_text_and_commands(builder, parse, text, expected):
    update = parse(builder.text(CHAT, text))
    assert read_message(update.message) == expected


def test_read_command_refuses_what_is_not_a_command():
    assert read_command("/ 1") is None
    assert read_command("/a-b") is None
    assert read_command("/cancel") == Inbound(command="cancel")


def test_photo_takes_the_largest_size(builder, parse):
    update = parse(builder.photo(CHAT, b"\xff\xd8\xff" + b"x" * 500))
    offer = read_message(update.message)
    sizes = update.message.photo
    assert isinstance(offer, FileOffer)
    assert offer.file_id == sizes[-1].file_id != sizes[0].file_id
    assert offer.content_type == "image/jpeg" and offer.size == 503
    assert offer.name.startswith("photo-") and offer.name.endswith(".jpg")


@pytest.mark.parametrize("name, mime, expected_type", [
    ("病历.pdf", "application/pdf", "application/pdf"),
    ("receipt.jpg", "image/jpg", "image/jpeg"),
    ("scan.png", None, "image/png"),
    ("notes.docx", "application/octet-stream",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("../../etc/passwd", "text/plain", "text/plain"),
])
def test_documents_keep_name_and_type(builder, parse, name, mime, expected_type):
    update = parse(builder.document(CHAT, b"%PDF-1.4", name=name, mime_type=mime))
    offer = read_message(update.message)
    assert isinstance(offer, FileOffer)
    assert offer.content_type == expected_type
    assert "/" not in offer.name and offer.name.endswith(name.rsplit("/", 1)[-1])
    assert offer.size == 8


@pytest.mark.parametrize("build", ["sticker", "location"])
def test_other_content_is_unsupported(builder, parse, build):
    update = parse(getattr(builder, build)(CHAT))
    assert read_message(update.message) == Inbound(event=Unsupported())


def test_a_voice_note_is_told_apart(builder, parse):
    assert read_message(parse(builder.voice(CHAT)).message) == Inbound(event=Voice())


def test_service_messages_are_ignored(builder, parse):
    raw = builder.text(CHAT, "x")
    message = raw["message"]
    del message["text"]
    message["pinned_message"] = {"message_id": 1, "date": 0, "chat": message["chat"]}
    assert read_message(parse(raw).message) is None


def test_private_chat_of_each_update_kind(builder, parse):
    first = builder.text(CHAT, "hello")
    assert private_chat_id(parse(first)) == CHAT
    assert private_chat_id(parse(builder.edit(CHAT, first["message"]["message_id"], "hello!"))) == CHAT
    sent = {"message_id": 99, "date": 1, "chat": {"id": CHAT, "type": "private"}, "from": builder.me, "text": "q",
            "reply_markup": {"inline_keyboard": [[{"text": "是", "callback_data": "3:yes"}]]}}
    assert private_chat_id(parse(builder.press_on(sent, "是"))) == CHAT
    group = builder.text(CHAT, "hi all")
    group["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Neighbours"}
    assert private_chat_id(parse(group)) is None
