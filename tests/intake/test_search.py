"""Finding an intake by part of a name or the phone's last four digits, on every SQL backend, without
decrypting any intake to search."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from intake.models import SearchTerm
from intake.store.records import QueueQuery

LEASE = timedelta(minutes=10)
PEOPLE = {
    "li": ("李秀英", "+86 139 1234 1234"),
    "li2": ("李建国", "13800005678"),
    "zhang": ("张秀英", "020-87654321"),
    "sam": ("Sam Lee", "+852 6123 9999"),
}


async def found(store, text: str) -> set[str]:
    page = await store.queue_page(QueueQuery(search=text))
    return {who for who, intake_id in store.ids.items() if intake_id in {row.id for row in page.rows}}


async def filed(store, application) -> None:
    store.ids = {}
    for who, (name, phone) in PEOPLE.items():
        record = application()
        record["applicant"] = {**record["applicant"], "name": name, "phone": phone}
        store.ids[who] = await store.submit(record, channel="web", user_id=who, locale="zh")


async def test_part_of_a_name_or_the_last_four_digits_finds_the_intake(store, application, monkeypatch):
    await filed(store, application)
    decrypted = []
    vault = type(store.vault)
    original = vault.decrypt_text
    monkeypatch.setattr(vault, "decrypt_text", lambda self, token: decrypted.append(1) or original(self, token))
    assert await found(store, "李") == {"li", "li2"}
    assert await found(store, "秀英") == {"li", "zhang"}
    assert await found(store, " 秀 ") == {"li", "zhang"}
    assert await found(store, "李秀英") == {"li"}
    assert await found(store, "lee") == await found(store, "SAM") == await found(store, "sam lee") == {"sam"}
    assert await found(store, "1234") == {"li"}
    assert await found(store, "5678") == {"li2"}
    assert await found(store, "4321") == {"zhang"}
    assert await found(store, "9999") == {"sam"}
    assert await found(store, "13800005678") == {"li2"}  # the whole number, as before
    assert await found(store, "英李") == await found(store, "0000") == await found(store, "234") == set()
    # a search runs on keyed hashes: only the names of the intakes found are decrypted, to be shown masked
    assert len(decrypted) == 2 + 2 + 2 + 1 + 3 + 1 + 1 + 1 + 1 + 1


async def test_new_answers_move_the_search_terms(store, engine, application):
    await filed(store, application)
    intake_id = store.ids["li"]
    await store.claim("wang", lease=LEASE, intake_id=intake_id)
    await store.request_more_info(intake_id, ["applicant.phone"], actor="wang", message="请核对电话")
    await store.return_more_info(intake_id, {"applicant.phone": "13700002468"}, channel="web", user_id="li")
    assert await found(store, "2468") == {"li"}
    assert await found(store, "1234") == set()  # the old number no longer finds it
    assert await found(store, "李秀") == {"li"}
    async with engine.connect() as conn:
        terms = (await conn.execute(select(func.count()).select_from(SearchTerm)
                                    .where(SearchTerm.intake_id == intake_id))).scalar_one()
    assert terms == 3 + 2 + 1 + 1  # 李 秀 英, 李秀 秀英, 李秀英, the last four digits
