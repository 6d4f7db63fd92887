"""Golden transcript over the HTTP chat API: two photographed receipts fill the medical spending after confirming."""
from __future__ import annotations

from decimal import Decimal

from tests import golden
from tests.bot.conftest import Resident, channel_token, make_settings, running
from tests.receipts.generator import sample

STEPS = golden.steps("zh")
AMOUNT_STEP = STEPS.index(("option", "medical")) + 2  # after ticking medical and _done: its amount


async def send_photo(resident: Resident, path) -> dict:
    content_type = "image/jpeg" if path.suffix == ".jpg" else "image/png"
    response = await resident.post(files={"file": (path.name, path.read_bytes(), content_type)})
    assert response.status_code == 200, response.text
    return response.json()


async def test_two_photographed_receipts_fill_the_medical_amount_after_confirming(tmp_path):
    assert STEPS[AMOUNT_STEP][0] == "text"
    first, second = sample(tmp_path, "gd_outpatient", 1), sample(tmp_path, "gd_outpatient", 4)  # phone photos
    own = first.truth.self_pay + second.truth.self_pay
    async with running(make_settings(tmp_path)) as client:
        resident = Resident(client, await channel_token(client), user_id="receipts-golden")
        await resident.replay(STEPS[:AMOUNT_STEP])
        assert resident.step == "spending.medical"

        await send_photo(resident, first.path)
        assert resident.said() == f"识别到这张票据个人自付 {first.truth.self_pay:,.2f} 元（{first.truth.date}），对吗？"
        assert [o["value"] for o in resident.last["replies"][-1]["options"]] == ["_receipt_yes", "_receipt_change"]
        await send_photo(resident, second.path)
        assert resident.said() == (f"识别到 2 张票据，个人自付合计 {own:,.2f} 元（{first.truth.date}、"
                                   f"{second.truth.date}），对吗？")
        assert resident.step == "spending.medical"
        await resident.option("_receipt_yes")
        assert resident.step == "spending.receipts"

        # the rest as in the golden application: its two (unreadable, 1-pixel) receipts, situation, confirm
        last = await resident.replay(STEPS[AMOUNT_STEP + 1:])
        intake_id = last["state"]["intake_id"]
        assert intake_id
        record = await client.app.state.services.intakes.get(intake_id)

    spending = record.application["spending"]
    assert Decimal(str(spending["medical"]["amount"])) == own and spending["medical"]["estimated"] is False
    assert [r["name"] for r in spending["receipts"]] == [first.path.name, second.path.name, "receipt-hospital.jpg",
                                                         "receipt-pharmacy.png"]
    read = [a.reading for a in record.attachments]
    assert [r.get("self_pay") for r in read[:2]] == [float(first.truth.self_pay), float(second.truth.self_pay)]
    assert [r["problem"] for r in read[2:]] == ["unreadable", "unreadable"]  # kept, and said to be unreadable
