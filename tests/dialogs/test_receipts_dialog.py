"""Receipts of the spending, in the engine alone: acknowledged when sent, their total offered once read,
confirmed or changed; flagged receipts left out of the total."""
from __future__ import annotations

from dialogs.events import ReceiptsRead
from dialogs.messages import Attachment, Inbound
from tests.dialogs.test_engine import Chat, until


def reading(self_pay: float | None, total: float, date: str = "2026-03-12", kind: str = "outpatient", *,
            payer: str = "陈美玲", number: str | None = None, sha256: str | None = None) -> dict:
    return {"kind": kind, "issuer": "广州市第一人民医院", "payer": payer, "date": date, "total": total,
            "self_pay": self_pay, "insurance": {}, "confidence": {"total": 0.99}, "number": number,
            "sha256": sha256}


def photo(*names: str) -> Inbound:
    """Files as the runner hands them over when it reads them in the background."""
    return Inbound(attachments=tuple(Attachment(f"id-{name}", name, "image/jpeg", 1000) for name in names),
                   data={"reading": True})


def read(chat: Chat, **readings: dict):
    """The runner's event once the files are read (keyword: the file's name without its dot)."""
    return chat.send(Inbound(event=ReceiptsRead({f"id-{name}.jpg": r for name, r in readings.items()})))


UNREADABLE = {"kind": "other", "problem": "unreadable", "insurance": {}, "confidence": {}}


def test_a_photo_at_the_amount_question_is_acknowledged_at_once_and_the_question_stays_open():
    chat = until(Chat(), "spending.medical")
    assert "也可以直接在这里发票据照片" in chat.last_text()  # the amount question says a photo can be sent
    chat.send(photo("a.jpg"))
    assert chat.last_text().startswith("收到，正在识别，约需十几秒") and "医疗费自己付了多少" in chat.last_text()
    assert chat.step == "spending.medical" and chat.state.get("receipt_offer") is None


def test_one_receipt_offers_its_own_share_and_yes_fills_the_amount():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg"))
    read(chat, a=reading(343.9, 373.4))
    assert chat.last_text() == "「医疗（医保报销后自付）」的票据识别结果：\n1. 广州市第一人民医院（2026-03-12）343.90 元\n" \
                               "个人自付合计 343.90 元，对吗？"
    assert chat.options() == ["_receipt_yes", "_receipt_change"] and chat.step == "spending.medical"
    chat.option("_receipt_yes")
    spending = chat.state["answers"]["spending"]
    assert spending["medical"] == {"amount": 343.9, "estimated": False}
    assert [(r["for"], r["reading"]["self_pay"]) for r in spending["receipts"]] == [("medical", 343.9)]
    assert chat.step == "spending.receipts"


def test_a_second_receipt_at_the_receipts_question_is_offered_with_the_first_and_replaces_the_amount():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg"))
    read(chat, a=reading(343.9, 373.4))
    chat.option("_receipt_yes")
    assert chat.step == "spending.receipts"
    chat.send(photo("b.jpg"))
    assert chat.last_text().startswith("收到，正在识别")
    read(chat, b=reading(13950, 20000, "2026-05-02", kind="inpatient"))
    text = chat.last_text()
    assert "1. 广州市第一人民医院（2026-03-12）343.90 元" in text and "2. 广州市第一人民医院（2026-05-02）13,950.00 元" in text
    assert text.endswith("个人自付合计 14,293.90 元，对吗？")
    chat.option("_receipt_yes")
    assert chat.state["answers"]["spending"]["medical"] == {"amount": 14293.9, "estimated": False}
    assert chat.step == "spending.receipts" and "「医疗（医保报销后自付）」记为 14,293.90 元" in chat.last_text()


def test_an_album_is_offered_once_and_a_typed_yes_works():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg", "b.jpg"))
    read(chat, a=reading(343.9, 373.4), b=reading(None, 56.1, "2026-03-15", kind="pharmacy"))
    assert [r.options for r in chat.turns[-1].replies].count(()) == 0  # one reply: the offer
    assert chat.last_text().endswith("金额合计 400.00 元，对吗？")
    chat.text("对")
    assert chat.state["answers"]["spending"]["medical"] == {"amount": 400, "estimated": False}


def test_the_resident_answers_on_while_reading_and_the_offer_is_answered_where_they_are():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg"))
    chat.text("300")  # typed before the reading came back
    assert chat.step == "spending.receipts"
    read(chat, a=reading(343.9, 373.4))
    assert chat.last_text().endswith("个人自付合计 343.90 元，对吗？")
    chat.option("_receipt_yes")
    assert chat.state["answers"]["spending"]["medical"]["amount"] == 343.9 and chat.step == "spending.receipts"


def test_change_asks_for_the_amount_and_a_typed_amount_wins():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg"))
    read(chat, a=reading(343.9, 373.4))
    chat.option("_receipt_change")
    assert chat.step == "spending.medical" and "医疗费自己付了多少" in chat.last_text()
    chat.text("500")
    assert chat.state["answers"]["spending"]["medical"]["amount"] == 500 and chat.step == "spending.receipts"
    assert len(chat.state["answers"]["spending"]["receipts"]) == 1  # the receipt stays


def test_flagged_receipts_are_listed_but_left_out_of_the_total():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"))
    read(chat, a=reading(100, 150, number="0012345678", sha256="aa"),
         b=reading(200, 250, payer="王大锤"),                    # not in the household
         c=reading(300, 350, date="2025-10-01"),                  # more than 12 months before 2026-11-23
         d=reading(100, 150, number="0012345678", sha256="bb"),  # the same bill again (its number)
         e=reading(50, 60, sha256="aa"))                          # the same file again
    text = chat.last_text()
    assert "交款人「王大锤」不在家庭成员中" in text and "日期 2025-10-01 不在申请前12个月内" in text
    assert text.count("重复发送的票据") == 2 and text.endswith("个人自付合计 100.00 元，对吗？")
    files = chat.state["answers"]["spending"]["receipts"]
    assert [f.get("flags") for f in files] == [None, ["payer"], ["date"], ["duplicate"], ["duplicate"]]
    chat.option("_receipt_yes")
    assert chat.state["answers"]["spending"]["medical"]["amount"] == 100


def test_an_unreadable_receipt_says_so_and_asks_for_the_amount_as_before():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("blurry.jpg"))
    asked = chat.state["asked"]
    read(chat, blurry=UNREADABLE)
    assert "没能识别出金额" in chat.last_text() and chat.step == "spending.medical"
    # said outside a turn: the question asked before stays open, its buttons still answer it
    assert chat.state.get("receipt_offer") is None and chat.state["asked"] == asked
    chat.text("3千")
    assert chat.state["answers"]["spending"]["medical"]["amount"] == 3000


def test_a_damaged_file_is_refused_plainly_in_the_residents_language():
    chat = until(Chat("en"), "spending.medical", locale="en")
    chat.send(photo("bomb.jpg"))
    assert chat.last_text().startswith("Received, reading it now")
    read(chat, bomb={"kind": "other", "problem": "image_too_large", "insurance": {}, "confidence": {}})
    assert chat.last_text().startswith("1 image(s) are far too large to open") and chat.step == "spending.medical"


def test_at_the_receipts_question_a_receipt_goes_to_its_category():
    chat = until(Chat(), "spending.receipts")
    chat.send(photo("a.jpg"))
    read(chat, a=reading(None, 880, kind="pharmacy"))  # the golden household ticked medical only
    assert "「医疗（医保报销后自付）」的票据识别结果" in chat.last_text() and chat.step == "spending.receipts"
    assert chat.state["answers"]["spending"]["receipts"][-1]["for"] == "medical"
    chat.send(photo("s.jpg"))
    read(chat, s=reading(None, 880, kind="school"))  # no schooling ticked: kept for the caseworker, not offered
    assert chat.last_text() == "票据已经收好（这一项共2个文件），社工会查看原件。"
    assert "for" not in chat.state["answers"]["spending"]["receipts"][-1]
    chat.send(photo("b.jpg"))
    read(chat, b=UNREADABLE)
    assert "社工会查看原件" in chat.last_text() and "对吗" not in chat.last_text()


def test_readings_that_come_after_the_application_was_cancelled_say_nothing():
    chat = until(Chat(), "spending.medical")
    chat.send(photo("a.jpg"))
    chat.send(Inbound(command="cancel"))
    chat.text("是")
    turn = read(chat, a=reading(343.9, 373.4))
    assert turn.replies == []


def test_what_is_read_does_not_make_the_application_another_one():
    from dialogs.receipts import without_readings

    chat = until(Chat(), "spending.receipts")
    chat.send(photo("a.jpg"))
    before = without_readings(chat.state["answers"])
    read(chat, a=reading(None, 880, kind="pharmacy"))
    assert chat.state["answers"]["spending"]["receipts"][-1]["reading"]
    assert without_readings(chat.state["answers"]) == before
