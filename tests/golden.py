"""The golden application: a three-person household with two medical receipts, as data every channel replays.

Each step is ("text", value), ("option", value) or ("file", name). Receipts are tiny real JPEG/PNG files.
"""
from __future__ import annotations

import base64

# ID numbers below are made up and pass the checksum (GB 11643).
APPLICANT_ID = "440106198805120037"
SPOUSE_ID = "11010519491231002X"
CHILD_ID = "440106201503070024"
PHONE = "13800138000"

# a 1x1 JPEG and a 1x1 PNG
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////"
    "////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
RECEIPTS = {"receipt-hospital.jpg": ("image/jpeg", JPEG), "receipt-pharmacy.png": ("image/png", PNG)}


def steps(locale: str = "zh") -> list[tuple[str, str]]:
    """The resident's side of the conversation, from the first message to confirmation."""
    zh = locale == "zh"
    return [
        ("text", "你好" if zh else "Hello"),
        ("option", "start"),
        ("option", "agree"),
        ("text", "陈美玲"),
        ("text", APPLICANT_ID),
        ("text", PHONE),
        ("option", "haizhu"),
        ("text", "海珠区江南大道中100号" if zh else "100 Jiangnan Avenue, Haizhu"),
        ("option", "serious_illness"),
        ("option", "_done"),
        ("option", "yes"),            # other household members
        ("option", "spouse"),
        ("text", "黄志强"),
        ("text", SPOUSE_ID),
        ("option", "unemployed"),
        ("option", "_done"),
        ("option", "yes"),            # another member
        ("option", "child"),
        ("text", "黄小宇"),
        ("text", CHILD_ID),
        ("option", "student"),
        ("option", "_done"),
        ("option", "no"),             # no more members
        ("option", "none"),           # current assistance
        ("text", "2.4万" if zh else "24,000"),     # wages
        ("text", "0"),                # business
        ("text", "0"),                # pension
        ("text", "3千" if zh else "3000"),   # transfers
        ("text", "无" if zh else "none"),  # other
        ("text", "约1万" if zh else "about 10000"),  # financial assets, an estimate
        ("text", "1"),                # homes
        ("text", "0"),                # vehicles
        ("option", "no"),             # business registration
        ("option", "medical"),
        ("text", "5.6万" if zh else "56000"),
        ("text", "化疗住院费用（医保报销后）" if zh else "Chemotherapy, after insurance"),
        ("file", "receipt-hospital.jpg"),
        ("option", "_done"),
        ("option", "yes"),            # another expense
        ("option", "medical"),
        ("text", "一万二" if zh else "12000"),
        ("text", "门诊和药费" if zh else "Outpatient care and medicine"),
        ("file", "receipt-pharmacy.png"),
        ("option", "_done"),
        ("option", "no"),             # no more expenses
        ("option", "no"),             # no sudden event
        ("text", "我在化疗，丈夫失业，孩子上学，家里很困难。" if zh else "I am in chemotherapy, my husband lost his job."),
        ("option", "confirm"),
    ]


def check_application(application: dict, locale: str = "zh") -> None:
    """Every golden answer is in the stored application."""
    zh = locale == "zh"
    applicant = application["applicant"]
    assert application["consent"] is True
    assert applicant["name"] == "陈美玲" and applicant["id_number"] == APPLICANT_ID
    assert applicant["phone"] == "+8613800138000" and applicant["district"] == "haizhu"
    assert applicant["flags"] == ["serious_illness"]
    assert [(m["relationship"], m["name"], m["id_number"], m["flags"]) for m in application["members"]] == [
        ("spouse", "黄志强", SPOUSE_ID, ["unemployed"]), ("child", "黄小宇", CHILD_ID, ["student"])]
    assert application["assistance"] == "none"
    income = {k: v["amount"] for k, v in application["income"].items()}
    assert income == {"wages": 24000, "business": 0, "pension": 0, "transfers": 3000, "other": 0}
    assert application["assets"] == {"financial": {"amount": 10000, "estimated": True}, "homes": 1, "vehicles": 0,
                                      "business_registered": False}
    expenses = application["expenses"]
    assert [(e["category"], e["amount"]["amount"]) for e in expenses] == [("medical", 56000), ("medical", 12000)]
    assert [len(e["receipts"]) for e in expenses] == [1, 1]
    assert [e["receipts"][0]["name"] for e in expenses] == ["receipt-hospital.jpg", "receipt-pharmacy.png"]
    assert application["sudden_event"] is False
    assert application["situation"].startswith("我在化疗" if zh else "I am in chemotherapy")
