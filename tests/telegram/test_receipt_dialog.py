"""Receipts on Telegram (aiogram, polling): acknowledged at once, "typing" while read, the chat free meanwhile,
and the total of the photos, one at a time or as an album, offered once read."""
from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from decimal import Decimal

from bot.conversation import ConversationKey
from tests import golden
from tests.receipts.generator import sample
from tests.telegram.fake_bot_api import FakeBotAPI
from tests.telegram.harness import TelegramResident, running_bot

CHAT = 700400
AMOUNT_STEP = golden.steps().index(("option", "medical")) + 2  # after ticking medical and _done: its amount
ACK = "收到，正在识别，约需十几秒"


def household_receipts(tmp_path):
    """Two photographed outpatient bills (JPEG) paid by the golden applicant, dated within the last 12 months."""
    recent = (date.today() - timedelta(days=40)).isoformat()
    return [sample(tmp_path, "gd_outpatient", n, payer="陈美玲", when=recent) for n in (3, 5)]


async def offer(fake: FakeBotAPI, since: int, timeout: float = 120.0) -> str:
    """The offered total, pushed to the chat once the photos are read."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        for call in fake.calls[since:]:
            if call.name == "sendmessage" and call.chat_id == CHAT and "对吗" in call.params.get("text", ""):
                return call.params["text"]
        await asyncio.sleep(0.1)
    raise TimeoutError("no offer was sent")


async def test_photos_one_at_a_time_are_offered_as_one_total(tmp_path, fake):
    steps = golden.steps("zh")
    first, second = household_receipts(tmp_path)
    own = first.truth.self_pay + second.truth.self_pay
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="polling") as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.replay(steps[:AMOUNT_STEP])
        since = len(fake.calls)
        await resident.send(fake.photo(CHAT, first.path.read_bytes()))
        assert resident.said().startswith(ACK)
        assert (await offer(fake, since)).endswith(f"个人自付合计 {first.truth.self_pay:,.2f} 元，对吗？")
        await resident.option("_receipt_yes")

        since = len(fake.calls)
        await resident.send(fake.photo(CHAT, second.path.read_bytes()))  # at the receipts step now
        assert resident.said().startswith(ACK)
        assert (await offer(fake, since)).endswith(f"个人自付合计 {own:,.2f} 元，对吗？")
        await resident.option("_receipt_yes")
        await resident.replay(steps[AMOUNT_STEP + 1:])
        [summary] = await services.intakes.list_for_user("telegram", str(CHAT))
        record = await services.intakes.get(summary.id)
    assert Decimal(str(record.application["spending"]["medical"]["amount"])) == own
    assert [a.reading.get("self_pay") for a in record.attachments[:2]] == \
        [float(first.truth.self_pay), float(second.truth.self_pay)]


async def test_an_album_is_acknowledged_once_and_offered_once_while_the_chat_goes_on(tmp_path, fake):
    first, second = household_receipts(tmp_path)
    own = first.truth.self_pay + second.truth.self_pay
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="polling") as app:
        reading = app.state.services.reading
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps("zh")[:AMOUNT_STEP])
        since = len(fake.calls)
        album = fake.album(CHAT, [first.path.read_bytes(), second.path.read_bytes()])
        for update in album:  # as Telegram delivers an album: all its photos at once
            await fake.push(update)
        calls = await fake.settle(CHAT, since=since, update_id=album[-1]["update_id"], quiet=1.0)
        acks = [c.params["text"] for c in calls if c.name == "sendmessage" and c.status == 200]
        assert len(acks) == 1 and acks[0].startswith(ACK), acks
        pending = reading.pending(ConversationKey("telegram", str(CHAT)))
        assert pending is not None and not pending.done()
        # "typing" is shown again after the acknowledgement, while the photos are read
        ack_at = max(c.at for c in calls if c.name == "sendmessage")
        assert any(c.name == "sendchataction" and c.at >= ack_at for c in fake.calls[since:] if c.chat_id == CHAT)

        await resident.text("医疗救助怎么申请？")  # the chat is not held by the reading
        assert resident.said() and not pending.done(), "the message waited for the photos to be read"

        text = await offer(fake, since)
        assert text.count("元\n") == 2 and text.endswith(f"个人自付合计 {own:,.2f} 元，对吗？"), text
        offers = [c for c in fake.calls[since:] if c.name == "sendmessage" and "对吗" in c.params.get("text", "")]
        assert len(offers) == 1
        await resident.option("_receipt_yes")
        state = await app.state.services.states.get(ConversationKey("telegram", str(CHAT)))
    assert Decimal(str(state["answers"]["spending"]["medical"]["amount"])) == own
    assert state["step"] == "spending.receipts"
