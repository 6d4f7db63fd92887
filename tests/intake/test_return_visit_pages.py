"""The two calling lists read apart, and a return visit is recorded only with the outcome the desk chose."""
from __future__ import annotations

import html
import re
from datetime import timedelta

from tests.intake.conftest import APPLICATION

LEASE = timedelta(minutes=10)
SELECTED = re.compile(r"<option[^>]*\bselected\b[^>]*>([^<]*)<")


async def closed_intakes(store, n: int) -> list[int]:
    ids = []
    for index in range(n):
        intake_id = await store.submit(APPLICATION, channel="web", user_id=f"u{index}", locale="zh")
        await store.claim("li", lease=LEASE, intake_id=intake_id)
        await store.accept(intake_id, actor="li")
        await store.claim("li", lease=LEASE, intake_id=intake_id, follow_up=True)
        await store.close_intake(intake_id, actor="li", reason="已办结")
        ids.append(intake_id)
    return ids


def nav(page: str) -> dict[str, str]:
    links = re.findall(r'<a href="(/console/phone/\w+)">([^<]+)</a>', page[page.index("<nav>"):page.index("</nav>")])
    return dict(links)


async def test_the_call_lists_have_distinct_names_and_no_outcome_is_assumed(any_backend):
    harness = any_backend
    await closed_intakes(harness.store, 2)
    supervisor = await harness.staff("boss", "supervisor")
    drawn = await supervisor.post("/console/return-visits/draw", data={"csrf_token": supervisor.csrf, "size": "2"})
    assert drawn.headers["location"].endswith("done=drawn")
    assert "电话席的「办结回访」已更新" in (await supervisor.get(drawn.headers["location"])).text

    desk = await harness.staff("liu", "staff")
    page = (await desk.get("/console/phone/visits")).text
    names = nav(page)
    assert names == {"/console/phone/callbacks": "补充信息回电", "/console/phone/visits": "办结回访"}
    assert "办结回访：抽样回访已办结的个案" in page
    # the only option chosen in advance is the prompt, which cannot be sent
    assert SELECTED.findall(page) == ["请选择回访结果"] * 2
    assert '<option value="" selected disabled>' in page and 'name="outcome" required' in page

    visit_id = re.search(r'data-visit="(\d+)"', page).group(1)
    for outcome in ({}, {"outcome": ""}, {"outcome": "maybe"}):
        refused = await desk.post(f"/console/phone/visits/{visit_id}",
                                  data={"csrf_token": desk.csrf, "note": "没接", **outcome})
        assert refused.status_code == 303 and refused.headers["location"].endswith("error=visit_outcome")
        again = html.unescape((await desk.get(refused.headers["location"])).text)
        assert "请先选择回访结果，再保存。" in again and again.count("data-visit=") == 2  # nothing recorded
    assert all(rate.called == 0 for rate in await harness.store.follow_up_rates())

    saved = await desk.post(f"/console/phone/visits/{visit_id}",
                            data={"csrf_token": desk.csrf, "outcome": "helped", "note": "钱已到账"})
    assert saved.headers["location"].endswith("done=recorded")
    assert (await desk.get("/console/phone/visits")).text.count("data-visit=") == 1
    english = nav((await desk.get("/console/phone/visits?lang=en")).text)
    assert len(set(english.values())) == 2 and "Closed-case calls" in english.values()
