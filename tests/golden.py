"""The golden application: a three-person household with two medical bills, as data every channel replays.

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


def post_step(session, url: str, headers: dict[str, str], kind: str, value: str, message_id: str | None = None):
    """One step sent to the HTTP chat API at `url` with an aiohttp `session`: JSON, or a receipt as a
    multipart upload; `message_id` makes sending it again harmless. Returns the request's context manager."""
    if kind == "file":
        import aiohttp

        content_type, data = RECEIPTS[value]
        form = aiohttp.FormData()
        if message_id is not None:
            form.add_field("message_id", message_id)
        form.add_field("file", data, filename=value, content_type=content_type)
        return session.post(url, data=form, headers=headers)
    body = {kind: value} if message_id is None else {kind: value, "message_id": message_id}
    return session.post(url, json=body, headers=headers)


def steps(locale: str = "zh", *, health: bool = True, financial: bool = True, guardian: bool = True) -> list[tuple[str, str]]:
    """The resident's side of the conversation, from the first message to confirmation.

    With `health`, `financial` or `guardian` false, the resident says no to that consent and is not asked
    what it covers (the situation ticks; income and assets; the child's own questions)."""
    zh = locale == "zh"
    yes = lambda agreed: ("option", "yes" if agreed else "no")  # noqa: E731
    ticks = lambda *values, asked=health: [("option", v) for v in values] + [("option", "_done")] if asked else []  # noqa: E731
    money = [
        ("option", "wages"),          # income sources: ticked, then amounts only for those
        ("option", "transfers"),
        ("option", "_done"),
        ("text", "2.4万" if zh else "24,000"),     # wages
        ("text", "3千" if zh else "3000"),         # money from relatives
        ("text", "约1万" if zh else "about 10000"),  # financial assets, an estimate
        ("option", "_none"),          # no second home, shop, car or business
    ]
    return [
        ("text", "你好" if zh else "Hello"),
        ("option", "start"),
        ("option", "agree"),
        ("text", "陈美玲"),
        ("text", APPLICANT_ID),
        ("text", PHONE),
        ("option", "haizhu"),
        ("text", "海珠区江南大道中100号" if zh else "100 Jiangnan Avenue, Haizhu"),
        yes(health),                  # consent to give health information
        *ticks("serious_illness"),
        ("option", "yes"),            # other household members
        ("option", "spouse"),
        ("text", "黄志强"),
        ("text", SPOUSE_ID),
        *ticks("unemployed"),
        ("option", "yes"),            # another member
        ("option", "child"),
        ("text", "黄小宇"),
        ("text", CHILD_ID),
        yes(guardian),                # the applicant is the guardian of this child under 14
        *ticks("student", asked=health and guardian),
        ("option", "no"),             # no more members
        ("option", "none"),           # current assistance
        yes(financial),               # consent to give income and assets
        *(money if financial else []),
        ("option", "medical"),        # spending in the last 12 months: medical only
        ("option", "_done"),
        ("text", "6.8万" if zh else "68000"),     # both medical bills together, after insurance
        ("file", "receipt-hospital.jpg"),
        ("file", "receipt-pharmacy.png"),
        ("option", "_done"),
        ("text", "我在化疗，丈夫失业，孩子上学，家里很困难。" if zh else "I am in chemotherapy, my husband lost his job."),
        ("option", "confirm"),
    ]


def check_application(application: dict, locale: str = "zh") -> None:
    """Every golden answer is in the stored application."""
    zh = locale == "zh"
    applicant = application["applicant"]
    assert application["consent"] is True
    assert application["consents"] == {"health": True, "financial": True}
    assert applicant["name"] == "陈美玲" and applicant["id_number"] == APPLICANT_ID
    assert applicant["phone"] == "+8613800138000" and applicant["district"] == "haizhu"
    assert applicant["flags"] == ["serious_illness"]
    assert [(m["relationship"], m["name"], m["id_number"], m["flags"]) for m in application["members"]] == [
        ("spouse", "黄志强", SPOUSE_ID, ["unemployed"]), ("child", "黄小宇", CHILD_ID, ["student"])]
    assert application["assistance"] == "none"
    assert application["income"] == {"sources": ["wages", "transfers"], "wages": {"amount": 24000, "estimated": False},
                                     "transfers": {"amount": 3000, "estimated": False}}
    assert application["assets"] == {"financial": {"amount": 10000, "estimated": True}, "owned": []}
    spending = application["spending"]
    assert spending["kinds"] == ["medical"] and spending["medical"] == {"amount": 68000, "estimated": False}
    assert [r["name"] for r in spending["receipts"]] == ["receipt-hospital.jpg", "receipt-pharmacy.png"]
    assert application["situation"].startswith("我在化疗" if zh else "I am in chemotherapy")
