"""Golden transcript on Telegram (aiogram, polling): two photographed receipts fill the medical spending."""
from __future__ import annotations

from decimal import Decimal

from tests import golden
from tests.receipts.generator import sample
from tests.telegram.harness import TelegramResident, running_bot

CHAT = 700400
AMOUNT_STEP = golden.steps().index(("option", "medical")) + 2  # after ticking medical and _done: its amount


async def test_two_photos_fill_the_medical_amount_after_confirming(tmp_path, fake):
    steps = golden.steps("zh")
    assert steps[AMOUNT_STEP][0] == "text"
    first, second = sample(tmp_path, "gd_outpatient", 3), sample(tmp_path, "gd_outpatient", 5)  # JPEG photos
    own = first.truth.self_pay + second.truth.self_pay
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="polling") as app:
        services = app.state.services
        await services.receipts.start()  # models loaded before the photos arrive: the fake waits 20 s at most
        resident = TelegramResident(fake, CHAT)
        await resident.replay(steps[:AMOUNT_STEP])
        await resident.send(fake.photo(CHAT, first.path.read_bytes()))
        assert resident.said() == f"识别到这张票据个人自付 {first.truth.self_pay:,.2f} 元（{first.truth.date}），对吗？"
        await resident.send(fake.photo(CHAT, second.path.read_bytes()))
        assert f"识别到 2 张票据，个人自付合计 {own:,.2f} 元" in resident.said()
        await resident.option("_receipt_yes")
        await resident.replay(steps[AMOUNT_STEP + 1:])
        [summary] = await services.intakes.list_for_user("telegram", str(CHAT))
        record = await services.intakes.get(summary.id)
    assert Decimal(str(record.application["spending"]["medical"]["amount"])) == own
    assert [a.reading.get("self_pay") for a in record.attachments[:2]] == \
        [float(first.truth.self_pay), float(second.truth.self_pay)]
