"""Read receipt fields kept with their attachment (encrypted) and shown beside the receipt on the intake page."""
from __future__ import annotations

import copy

from sqlalchemy import select

from intake.models import StoredAttachment
from tests.intake.conftest import APPLICATION
from tests.intake.console_harness import console_app

READING = {"kind": "inpatient", "issuer": "广州市第一人民医院", "payer": "张三", "date": "2026-03-12",
           "total": 60000.0, "self_pay": 51200.5, "insurance": {"pooled_fund": 8799.5}, "items": [],
           "confidence": {"total": 0.99, "self_pay": 0.99, "date": 1.0}, "source": "ocr"}


def with_readings(*readings: dict | None) -> dict:
    application = copy.deepcopy(APPLICATION)
    for receipt, reading in zip(application["expenses"][0]["receipts"], readings):
        if reading is not None:
            receipt["reading"] = reading
    return application


async def test_readings_are_stored_encrypted_with_the_attachment(store, engine):
    unreadable = {"kind": "other", "problem": "unreadable", "insurance": {}, "items": [], "confidence": {}}
    intake_id = await store.submit(with_readings(READING, unreadable), channel="web", user_id="u-1", locale="zh")
    record = await store.get(intake_id)
    assert [a.reading for a in record.attachments] == [READING, unreadable]
    async with engine.connect() as conn:
        raw = (await conn.execute(select(StoredAttachment.reading))).scalars().all()
    assert all(value and "广州市" not in value.decode("latin-1") and b"51200" not in value for value in raw)
    assert (await store.get(await store.submit(with_readings(), channel="web", user_id="u-2",
                                               locale="zh"))).attachments[0].reading is None


async def test_intake_page_shows_fields_beside_the_receipt_and_flags_a_disagreement(tmp_path):
    async with console_app(tmp_path) as harness:
        intake_id = await harness.store.submit(with_readings(READING, None), channel="web", user_id="u-1", locale="zh")
        caseworker = await harness.staff("wang", "caseworker")
        page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
        assert 'data-expense="1"' in page and "广州市第一人民医院" in page and "51200.50" in page
        assert 'src="/console/intakes/%d/files/f-1"' % intake_id in page  # the photo beside its fields
        assert 'data-flag="disagree"' in page  # declared 52000, receipts' own share 51200.50
        assert "1 张没有识别结果" in page and "未识别" in page  # the PDF was sent before receipts were read

        agreeing = with_readings(READING, None)
        agreeing["expenses"][0]["amount"] = {"amount": 51200.5, "estimated": False}
        other = await harness.store.submit(agreeing, channel="web", user_id="u-2", locale="zh")
        page = (await caseworker.get(f"/console/intakes/{other}")).text
        assert "51200.50" in page and 'data-flag="disagree"' not in page


async def test_spending_receipts_are_checked_per_category(tmp_path):
    application = copy.deepcopy(APPLICATION)
    del application["expenses"]
    school = {**READING, "kind": "school", "issuer": "广州市第六中学", "self_pay": None, "total": 2350.0}
    application["spending"] = {"kinds": ["medical", "education"], "medical": {"amount": 51200.5, "estimated": False},
                               "education": {"amount": 3000, "estimated": False}, "receipts": [
        {"file_id": "f-1", "name": "a.jpg", "content_type": "image/jpeg", "size": 1, "for": "medical",
         "reading": READING},
        {"file_id": "f-2", "name": "b.png", "content_type": "image/png", "size": 1, "reading": school}]}
    async with console_app(tmp_path) as harness:
        intake_id = await harness.store.submit(application, channel="web", user_id="u-1", locale="zh")
        caseworker = await harness.staff("wang", "caseworker")
        page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
    medical, education = page.split('class="receipt-check"')[1:3]
    assert "票据：医疗（医保报销后自付）" in medical and "51200.50" in medical and 'data-flag="disagree"' not in medical
    # sent at the receipts question, counted where its kind says: declared 3000, the school receipt 2350
    assert "票据：教育（幼儿园到本科）" in education and "广州市第六中学" in education and 'data-flag="disagree"' in education


async def test_flagged_receipts_are_shown_with_their_reasons_and_left_out_of_the_read_total(tmp_path):
    application = copy.deepcopy(APPLICATION)
    del application["expenses"]
    again = {**READING, "number": "0012345678"}
    application["spending"] = {"kinds": ["medical"], "medical": {"amount": 51200.5, "estimated": False}, "receipts": [
        {"file_id": "f-1", "name": "a.jpg", "content_type": "image/jpeg", "size": 1, "for": "medical",
         "reading": {**READING, "number": "0012345678"}},
        {"file_id": "f-2", "name": "b.jpg", "content_type": "image/jpeg", "size": 1, "for": "medical",
         "reading": again, "flags": ["duplicate", "payer"]}]}
    async with console_app(tmp_path) as harness:
        intake_id = await harness.store.submit(application, channel="web", user_id="u-1", locale="zh")
        caseworker = await harness.staff("wang", "caseworker")
        page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
    medical = page.split('class="receipt-check"')[1]
    # declared 51200.50; read: the first receipt only (the second is the same bill again), so no disagreement
    assert "51200.50" in medical and 'data-flag="disagree"' not in medical and "票据号码" in medical
    assert 'data-flag="duplicate payer"' in medical
    assert "重复提交（同一文件或同一票据号码）" in medical and "交款人不在家庭成员中" in medical
