"""The queue page as a caseworker uses it through the day: filters, pages, labels in the reader's language."""
from __future__ import annotations

import copy
import re

import pytest

from tests.intake.conftest import APPLICATION, urgency
from tests.intake.console_harness import console_app

ROW = re.compile(r'data-intake="(\d+)"')


@pytest.fixture
async def harness(tmp_path):
    async with console_app(tmp_path) as harness:
        yield harness


async def file(harness, n: int, *, urgent: bool = False, **applicant) -> list[int]:
    """`n` applications filed straight into the store (the conversation itself is tested elsewhere)."""
    ids = []
    for _ in range(n):
        record = copy.deepcopy(APPLICATION)
        record["applicant"].update(applicant)
        ids.append(await harness.store.submit(urgency(record, urgent), channel="web", user_id="u", locale="zh"))
    return ids


def shown(page: str) -> list[int]:
    return [int(n) for n in ROW.findall(page)]


async def test_urgent_only_and_fifty_compact_rows_a_page(any_backend):
    harness = any_backend
    plain = await file(harness, 52)
    urgent = await file(harness, 3, urgent=True)
    caseworker = await harness.staff("wang", "caseworker")

    first = (await caseworker.get("/console/queue")).text
    assert len(shown(first)) == 50 and 'class="queue compact"' in first
    assert shown(first)[:3] == urgent  # urgent first, then the oldest
    assert "第 1 / 2 页，共 55 件" in first
    second = (await caseworker.get("/console/queue?page=2")).text
    assert shown(second) == plain[-5:]

    only = (await caseworker.get("/console/queue?urgent=1")).text
    assert shown(only) == urgent and "共 3 件" in only
    assert 'id="f-urgent" checked' in only and 'id="clear-filters"' in only
    # anything but "1" means no filter
    assert (await caseworker.get("/console/queue?urgent=yes")).text.count('data-intake="') == 50
    assert 'id="f-urgent" checked' not in first and "只看紧急" in first


async def test_districts_read_in_the_caseworkers_language_outside_included(harness):
    away = (await file(harness, 1, district="outside"))[0]
    await file(harness, 1, district="haizhu")
    caseworker = await harness.staff("wang", "caseworker")

    zh = (await caseworker.get("/console/queue?lang=zh")).text
    en = (await caseworker.get("/console/queue?lang=en")).text
    for page, outside, haizhu in ((zh, "非广州户籍", "海珠区"), (en, "Not registered in Guangzhou", "Haizhu")):
        row = page[page.index(f'data-intake="{away}"'):]
        assert outside in row[:row.index("</tr>")]
        districts = page[page.index('id="f-district"'):]
        districts = districts[:districts.index("</select>")]
        assert re.findall(r'<option value="(\w+)">([^<]+)<', districts) == [("haizhu", haizhu), ("outside", outside)]
        assert ">outside<" not in page
    filtered = (await caseworker.get("/console/queue?district=outside&lang=en")).text
    assert shown(filtered) == [away]


async def test_the_search_box_finds_part_of_a_name_or_the_phones_last_four_digits(any_backend):
    harness = any_backend
    li = (await file(harness, 1, name="李秀英", phone="+8613912341234"))[0]
    zhang = (await file(harness, 1, name="张秀英", phone="13800005678"))[0]
    await file(harness, 1, name="王建国", phone="13800001111")
    caseworker = await harness.staff("wang", "caseworker")
    page = (await caseworker.get("/console/queue")).text
    assert "按编号、姓名（或其中几个字）、电话（或后四位）查找" in page
    assert shown((await caseworker.get("/console/queue", params={"q": "秀英"})).text) == [li, zhang]
    assert shown((await caseworker.get("/console/queue", params={"q": "5678"})).text) == [zhang]
    found = (await caseworker.get("/console/queue", params={"q": "1234"})).text
    assert shown(found) == [li] and "李*英" in found and "李秀英" not in found  # the list keeps names masked
