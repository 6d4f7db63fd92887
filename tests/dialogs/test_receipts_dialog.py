"""Receipts at a spending question, in the engine alone: the amount read is offered, confirmed, changed, added up."""
from __future__ import annotations

from dialogs.messages import Attachment, Inbound
from tests.dialogs.test_engine import Chat, until


def reading(self_pay: float | None, total: float, date: str = "2026-03-12", kind: str = "outpatient") -> dict:
    return {"kind": kind, "issuer": "广州市第一人民医院", "payer": "陈美玲", "date": date, "total": total,
            "self_pay": self_pay, "insurance": {}, "confidence": {"total": 0.99}}


def photo(name: str, read: dict | None) -> Inbound:
    return Inbound(attachments=(Attachment(f"id-{name}", name, "image/jpeg", 1000, read),))


UNREADABLE = {"kind": "other", "problem": "unreadable", "insurance": {}, "confidence": {}}


def test_one_receipt_offers_its_own_share_and_yes_fills_the_amount():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg", reading(343.9, 373.4)))
    assert chat.last_text() == "识别到这张票据个人自付 343.90 元（2026-03-12），对吗？"
    assert chat.options() == ["_receipt_yes", "_receipt_change"] and chat.step == "spending.medical"
    chat.option("_receipt_yes")
    spending = chat.state["answers"]["spending"]
    assert spending["medical"] == {"amount": 343.9, "estimated": False}
    assert [(r["for"], r["reading"]["self_pay"]) for r in spending["receipts"]] == [("medical", 343.9)]
    assert chat.step == "spending.receipts"


def test_several_receipts_are_added_up_and_a_typed_yes_works():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg", reading(343.9, 373.4)))
    chat.send(photo("b.jpg", reading(None, 56.1, "2026-03-15", kind="pharmacy")))
    assert chat.last_text() == "识别到 2 张票据，金额合计 400.00 元（2026-03-12、2026-03-15），对吗？"
    chat.text("对")
    assert chat.state["answers"]["spending"]["medical"] == {"amount": 400, "estimated": False}


def test_change_asks_for_the_amount_and_a_typed_amount_wins():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg", reading(343.9, 373.4)))
    chat.option("_receipt_change")
    assert chat.step == "spending.medical" and "医疗费自己付了多少" in chat.last_text()
    chat.text("500")
    assert chat.state["answers"]["spending"]["medical"]["amount"] == 500 and chat.step == "spending.receipts"
    assert len(chat.state["answers"]["spending"]["receipts"]) == 1  # the receipt stays


def test_an_unreadable_receipt_says_so_and_asks_for_the_amount_as_before():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("blurry.jpg", UNREADABLE))
    assert "没能识别出金额" in chat.last_text() and chat.step == "spending.medical"
    assert chat.state.get("receipt_offer") is None and "医疗费自己付了多少" in chat.last_text()
    chat.text("3千")
    assert chat.state["answers"]["spending"]["medical"]["amount"] == 3000


def test_at_the_receipts_question_files_are_kept_as_before():
    chat = until(Chat(), "spending.receipts")
    chat.send(photo("a.jpg", None))
    assert chat.last_text().startswith("已收到，这一项共1个文件") and chat.step == "spending.receipts"
    chat.send(photo("b.jpg", UNREADABLE))
    assert "社工会查看原件" in chat.last_text() and "对吗" not in chat.last_text()
