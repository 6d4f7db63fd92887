"""Limits before work: bodies capped before they are read, digits and repetitions capped before parsing,
a per-resident rate on the public web chat; always a JSON 4xx, never a 5xx."""
from __future__ import annotations

import copy

import httpx
import pytest

from bot.limits import JSON_BODY_LIMIT
from tests.bot.conftest import Resident, channel_token
from dialogs.flows import hardship as flow
from tests.walk import answer, kind_of, steps_of_kind

MIB = 1024 * 1024


class Body:
    """A request body of `chunks` MiB (after `head`) that counts how much of it was read."""

    def __init__(self, chunks: int, head: bytes = b"") -> None:
        self.chunks, self.head, self.read = chunks, head, 0

    async def __aiter__(self):
        if self.head:
            yield self.head
        for _ in range(self.chunks):
            self.read += 1
            yield b"x" * MIB


@pytest.mark.parametrize("path", ["/api/chat/partner/big", "/web/chat", "/console/phone/call/turn"])
async def test_a_declared_huge_body_is_refused_unread(api, path):
    body = Body(300)
    token = await channel_token(api)
    response = await api.post(path, content=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Content-Length": str(300 * MIB)})
    assert response.status_code == 413 and "too large" in response.json()["detail"]
    assert body.read <= 1


async def test_a_streamed_body_is_cut_off_at_the_limit(api):
    body = Body(300)
    token = await channel_token(api)
    response = await api.post("/api/chat/partner/stream", content=body,
                              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert response.status_code == 413
    assert body.read <= JSON_BODY_LIMIT // MIB + 1


async def test_a_huge_multipart_upload_is_refused_at_the_limit(api):
    head = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    body = Body(300, head)
    token = await channel_token(api)
    response = await api.post("/api/chat/partner/upload", content=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "multipart/form-data; boundary=xyz"})
    assert response.status_code == 413 and body.read <= 12


async def walk_to_kind(resident: Resident, kind: str) -> None:
    agree = flow.BY_ID[steps_of_kind(kind)[0]].when is not None
    await resident.text("开始申请")
    for _ in range(200):
        step = resident.step
        if kind_of(step) == kind:
            return
        options = [o["value"] for r in resident.last["replies"] for o in r["options"]]
        how, value = answer(step, options, agree=agree)
        await (resident.option(value) if how == "option" else resident.text(value))
    raise AssertionError(kind)


HOSTILE = [
    ("choice", "1" * 4301), ("choice", "9" * 50_000), ("multi", "1" * 4301), ("yesno", "1" * 4301),
    ("count", "1" * 309), ("count", "9" * 5000), ("count", "万万万万"), ("count", "一" + "亿" * 9999),
    ("money", "1" * 309), ("money", "1" * 4301), ("money", "万万万万"), ("money", "一" + "亿" * 9999),
    ("money", "约" * 5000), ("id_number", "4" * 9999), ("phone", "1" * 9999), ("date", "2" * 9999),
]


# the application asks no count today (the household is listed member by member); the rows stay for when it does
@pytest.mark.parametrize("kind, bad", [(kind, bad) for kind, bad in HOSTILE if steps_of_kind(kind)])
async def test_long_digits_and_repeated_units_are_refused_politely_and_change_nothing(api, kind, bad):
    resident = Resident(api, await channel_token(api), user_id=f"bad-{kind}-{len(bad)}")
    await walk_to_kind(resident, kind)
    step = resident.step
    before = copy.deepcopy(await api.app.state.services.states.get(resident_key(resident)))
    reply = await resident.text(bad)
    assert resident.step == step and reply["replies"]
    after = await api.app.state.services.states.get(resident_key(resident))
    assert after["answers"] == before["answers"]
    assert not any(ch.isdigit() for ch in reply["replies"][0]["text"][:2])  # a sentence, not an echo of the input


def resident_key(resident: Resident):
    from bot.conversation import ConversationKey

    return ConversationKey(f"api:{resident.channel}", resident.user_id)


async def test_the_web_chat_limits_each_resident_not_everyone(api):
    first = httpx.AsyncClient(transport=api._transport, base_url="http://shanqiao.test")
    second = httpx.AsyncClient(transport=api._transport, base_url="http://shanqiao.test")
    async with first, second:
        assert (await first.post("/web/chat", json={"text": "你好"})).status_code == 200  # now known by its cookie
        statuses = [(await first.post("/web/chat", json={"text": "你好"})).status_code for _ in range(35)]
        assert statuses[:30] == [200] * 30 and set(statuses[30:]) == {429}
        refused = await first.post("/web/chat", json={"text": "你好"})
        assert refused.status_code == 429 and refused.json()["detail"] and refused.headers["retry-after"]
        assert (await second.post("/web/chat", json={"text": "你好"})).status_code == 200


@pytest.mark.parametrize("content", [b"\xff\xfe\x00", b'{"text": "\\ud800"}', b"[" * 100_000, b'{"text": null}'])
async def test_broken_json_is_a_json_4xx(api, content):
    token = await channel_token(api)
    response = await api.post("/api/chat/partner/broken", content=content,
                              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and "detail" in response.json()
