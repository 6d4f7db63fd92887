"""Fuzzing the HTTP chat API at every step kind: long digit strings, repeated unit characters, huge and broken
bodies. Never a 5xx; a refused input never moves the conversation or changes an answer."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bot.app import create_app
from dialogs.flows import hardship as flow
from tests.bot.conftest import make_settings
from tests.walk import answer, kind_of, steps_of_kind

KINDS = sorted({s.kind for s in flow.STEPS} | {"idle"})
UNITS = "十百千万亿萬億拾佰仟一二三两零〇"


def bad_inputs(kind: str) -> st.SearchStrategy:
    """Inputs that no step of `kind` may take (free text is only bad when too long)."""
    digits = st.integers(310, 20_000).map(lambda n: "1" * n)
    if kind in ("text", "name", "idle"):
        too_long = max((s.max_len for s in flow.STEPS if s.kind == kind), default=200) + 1
        return st.integers(max(too_long, 10_001), 30_000).flatmap(
            lambda n: st.sampled_from(["1" * n, "万" * n, "一" + "亿" * n]))
    repeated = st.tuples(st.sampled_from(UNITS), st.integers(4, 20_000)).map(lambda p: p[0] * p[1])
    mixed = st.lists(st.sampled_from(list(UNITS) + list("0123456789,.")), min_size=30, max_size=3000).map("".join)
    return st.one_of(digits, repeated, mixed, st.integers(4, 9_999).map(lambda n: "一" + "亿" * n))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(make_settings(tmp_path_factory.mktemp("fuzz")))
    with TestClient(app, raise_server_exceptions=False) as client:
        token = client.portal.call(app.state.services.intakes.add_channel, "fuzz")
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def post(client: TestClient, user: str, **kwargs):
    response = client.post(f"/api/chat/fuzz/{user}", **kwargs)
    assert response.status_code < 500, response.text[:300]
    return response


_PLACED: dict[str, dict] = {}


def placed(client: TestClient, kind: str) -> tuple[str, dict]:
    """A resident waiting at the first step of `kind` (walked there once)."""
    user = f"at-{kind}"
    if kind not in _PLACED:
        last = post(client, user, json={"text": "你好"}).json()
        if kind != "idle":
            target = steps_of_kind(kind)[0] if kind != "summary" else "summary"
            agree = flow.BY_ID[target].when is not None
            last = post(client, user, json={"text": "开始申请"}).json()
            while kind_of(last["state"]["step"]) != kind:
                options = [o["value"] for r in last["replies"] for o in r["options"]]
                how, value = answer(last["state"]["step"], options, agree=agree)
                last = post(client, user, json={how: value}).json()
        _PLACED[kind] = last["state"]
    return user, _PLACED[kind]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_bad_input_at_every_step_kind_changes_nothing(client, kind, data):
    user, state = placed(client, kind)
    text = data.draw(bad_inputs(kind))
    how = data.draw(st.sampled_from(["text", "option", "raw"]))
    if how == "raw":  # the same characters, broken or huge as a body
        size = data.draw(st.sampled_from([10, 2 * 1024 * 1024]))
        response = post(client, user, content=(text * (size // len(text) + 1))[:size].encode(),
                        headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500 and "detail" in response.json()
    else:
        value = text if how == "text" else text[:64]
        response = post(client, user, json={how: value})
        assert response.status_code in (200, 422), response.text[:200]
        if response.status_code == 200:
            body = response.json()
            assert body["replies"] and body["state"]["step"] == state["step"]
            assert body["state"]["flow"] == state["flow"]
        else:
            assert response.json()["detail"]
    # the stored conversation is still where it was
    assert json.loads(client.get(f"/api/chat/fuzz/{user}/messages").text)["state"]["step"] == state["step"]
