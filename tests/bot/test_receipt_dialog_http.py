"""Receipts over the HTTP chat API: acknowledged at once, read in the background, their total offered through
the resident's waiting messages; one at a time or together, the offered total is their sum."""
from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

from bot.conversation import ConversationKey
from tests import golden
from tests.bot.conftest import Resident, channel_token, make_settings, running
from tests.receipts.generator import sample

STEPS = golden.steps("zh")
AMOUNT_STEP = STEPS.index(("option", "medical")) + 2  # after ticking medical and _done: its amount
ACK = "收到，正在识别，约需十几秒"


def household_receipts(tmp_path):
    """Two photographed outpatient bills paid by the golden applicant, dated within the last 12 months."""
    recent = (date.today() - timedelta(days=40)).isoformat()
    return [sample(tmp_path, "gd_outpatient", n, payer="陈美玲", when=recent) for n in (1, 4)]


async def send_photo(resident: Resident, path) -> dict:
    content_type = "image/jpeg" if path.suffix == ".jpg" else "image/png"
    response = await resident.post(files={"file": (path.name, path.read_bytes(), content_type)})
    assert response.status_code == 200, response.text
    return response.json()


async def offered(client, resident: Resident) -> str:
    """What reached the resident once the reading ended: the waiting messages, as a client fetches them."""
    await client.app.state.services.reading.settled(ConversationKey(f"api:{resident.channel}", resident.user_id))
    response = await client.get(f"{resident.url}/messages", headers={"Authorization": f"Bearer {resident.token}"})
    assert response.status_code == 200, response.text
    replies = response.json()["replies"]
    assert replies and [o["value"] for o in replies[-1]["options"]] == ["_receipt_yes", "_receipt_change"], replies
    return replies[-1]["text"]


async def test_a_second_receipt_at_the_receipts_step_is_added_to_the_first(tmp_path):
    first, second = household_receipts(tmp_path)
    own = first.truth.self_pay + second.truth.self_pay
    async with running(make_settings(tmp_path)) as client:
        resident = Resident(client, await channel_token(client), user_id="receipts-one-by-one")
        await resident.replay(STEPS[:AMOUNT_STEP])
        assert "也可以直接在这里发票据照片或PDF" in resident.said()

        assert (await send_photo(resident, first.path))["replies"][0]["text"].startswith(ACK)
        assert resident.step == "spending.medical"
        text = await offered(client, resident)
        assert text.endswith(f"个人自付合计 {first.truth.self_pay:,.2f} 元，对吗？"), text
        await resident.option("_receipt_yes")
        assert resident.step == "spending.receipts"

        assert resident.said() and (await send_photo(resident, second.path))["replies"][0]["text"].startswith(ACK)
        text = await offered(client, resident)
        assert f"{first.truth.self_pay:,.2f} 元" in text and f"{second.truth.self_pay:,.2f} 元" in text  # each listed
        assert text.endswith(f"个人自付合计 {own:,.2f} 元，对吗？"), text
        await resident.option("_receipt_yes")
        assert resident.step == "spending.receipts" and f"记为 {own:,.2f} 元" in resident.said()

        last = await resident.replay(STEPS[AMOUNT_STEP + 1:])  # the golden application's own files, then confirm
        record = await client.app.state.services.intakes.get(last["state"]["intake_id"])

    spending = record.application["spending"]
    assert Decimal(str(spending["medical"]["amount"])) == own and spending["medical"]["estimated"] is False
    read = {a.name: a.reading for a in record.attachments}
    assert [read[s.path.name]["self_pay"] for s in (first, second)] == \
        [float(s.truth.self_pay) for s in (first, second)]
    assert not any(f.get("flags") for f in spending["receipts"])


async def test_two_receipts_sent_together_give_one_offer_of_their_sum(tmp_path):
    first, second = household_receipts(tmp_path)
    own = first.truth.self_pay + second.truth.self_pay
    async with running(make_settings(tmp_path)) as client:
        resident = Resident(client, await channel_token(client), user_id="receipts-together")
        await resident.replay(STEPS[:AMOUNT_STEP])
        await send_photo(resident, first.path)
        await send_photo(resident, second.path)  # sent while the first is still being read
        text = await offered(client, resident)
        assert text.count("元\n") == 2 and text.endswith(f"个人自付合计 {own:,.2f} 元，对吗？"), text
        await resident.option("_receipt_yes")
        assert resident.step == "spending.receipts"
        state = await client.app.state.services.states.get(ConversationKey("api:partner", resident.user_id))
    assert Decimal(str(state["answers"]["spending"]["medical"]["amount"])) == own


async def test_a_message_sent_while_a_receipt_is_read_is_answered_before_the_reading_ends(tmp_path):
    first, _ = household_receipts(tmp_path)
    async with running(make_settings(tmp_path)) as client:
        services = client.app.state.services
        resident = Resident(client, await channel_token(client), user_id="receipts-meanwhile")
        await resident.replay(STEPS[:AMOUNT_STEP])
        await send_photo(resident, first.path)
        reading = services.reading.pending(ConversationKey("api:partner", resident.user_id))
        assert reading is not None and not reading.done()
        answered = await resident.text("医疗救助怎么申请？")  # a policy question, answered at once
        assert not reading.done(), "the question waited for the receipt"
        assert answered["replies"] and resident.step == "spending.medical"
        await asyncio.wait([reading])
        assert (await offered(client, resident)).endswith("对吗？")


async def test_a_payer_outside_the_household_is_flagged_and_not_counted(tmp_path):
    recent = (date.today() - timedelta(days=40)).isoformat()
    stranger = sample(tmp_path, "gd_outpatient", 1, payer="王大锤", when=recent)
    async with running(make_settings(tmp_path)) as client:
        resident = Resident(client, await channel_token(client), user_id="receipts-stranger")
        await resident.replay(STEPS[:AMOUNT_STEP])
        await send_photo(resident, stranger.path)
        await client.app.state.services.reading.settled(ConversationKey("api:partner", resident.user_id))
        response = await client.get(f"{resident.url}/messages", headers={"Authorization": f"Bearer {resident.token}"})
        text = "\n".join(r["text"] for r in response.json()["replies"])
    assert "交款人「王大锤」不在家庭成员中" in text and "暂不计入金额" in text
