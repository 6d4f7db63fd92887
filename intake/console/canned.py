"""Canned replies a caseworker can send in the thread: each in both languages, the resident gets their own."""
from __future__ import annotations

# key: (zh, en)
CANNED: dict[str, tuple[str, str]] = {
    "received": ("您好，您的申请我们已经收到，正在审核，有进展会在这里告诉您。",
                 "Hello, we have your application and are reviewing it; we will tell you here when there is news."),
    "photo_clearer": ("您好，您发来的照片有些看不清，麻烦在光线好的地方重新拍一张，四个角都拍进去。",
                      "Hello, the photo you sent is hard to read. Could you take it again in good light, with all four "
                      "corners in the picture?"),
    "call_us": ("您好，有几处情况想和您在电话里确认，请问这两天什么时间方便接电话？",
                "Hello, we would like to check a few things with you by phone. When in the next two days would suit you?"),
    "thanks_received": ("谢谢，材料已经收到，我们会尽快核对。", "Thank you, we have the documents and will check them soon."),
    "visit_office": ("您好，请带上身份证和户口簿原件，到户籍所在的街道（镇）社会救助窗口核对。",
                     "Hello, please bring the originals of your ID card and household register to the social "
                     "assistance window of your street office (town) to have them checked."),
}


def canned_text(key: str, locale: str) -> str | None:
    """The canned reply `key` in `locale` (Chinese for any other), or None for an unknown key."""
    pair = CANNED.get(key)
    return None if pair is None else pair[1 if locale == "en" else 0]


def compose(canned: str, text: str, locale: str) -> str:
    """What the resident reads: the canned reply in their language, then the caseworker's own words."""
    parts = [canned_text(canned, locale) or "" if canned else "", text.strip()]
    return "\n".join(part for part in parts if part)
