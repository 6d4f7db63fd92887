"""The HTTP chat API end to end: golden applications, bad input, malformed requests, restarts."""
from __future__ import annotations

import re

import pytest

from tests import golden
from tests.bot.conftest import Resident, channel_token, make_settings, running


async def stored_intake(client, intake_id):
    return await client.app.state.services.intakes.get(intake_id)


@pytest.mark.parametrize("locale", ["zh", "en"])
async def test_golden_application_over_http_lands_in_the_queue(api, locale):
    resident = Resident(api, await channel_token(api), user_id=f"golden-{locale}")
    last = await resident.replay(golden.steps(locale))
    intake_id = last["state"]["intake_id"]
    assert intake_id and last["state"]["flow"] is None
    assert str(intake_id) in resident.said()
    record = await stored_intake(api, intake_id)
    golden.check_application(record.application, locale)
    assert record.locale == locale and record.channel == "api:partner" and record.user_id == f"golden-{locale}"
    assert len(record.attachments) == 2
    services = api.app.state.services
    await services.queue.relay()
    claim = await services.queue.claim_next("caseworker-1")
    assert claim is not None and claim.intake_id == intake_id
    assert record.prescreen and "prescreen" in record.prescreen


async def test_status_lists_the_residents_own_applications_only(api):
    token = await channel_token(api)
    alice, bob = Resident(api, token, "alice"), Resident(api, token, "bob")
    done = await alice.replay(golden.steps())
    await alice.text("/status")
    assert str(done["state"]["intake_id"]) in alice.said()
    await bob.text("/status")
    assert "还没有提交过申请" in bob.said()


@pytest.mark.parametrize("bad, words", [
    ("😀", "表情"), ("", "没有收到"), ("长" * 10_000, "太长"),
])
async def test_bad_names_get_a_reply_and_keep_progress(api, bad, words):
    resident = Resident(api, await channel_token(api))
    await resident.replay(golden.steps()[:3])
    assert resident.step == "applicant.name"
    await resident.text(bad)
    assert resident.step == "applicant.name" and words in resident.said()


async def test_bad_id_phone_and_money_over_http(api):
    resident = Resident(api, await channel_token(api))
    await resident.replay(golden.steps()[:4])
    await resident.text("440106198805120038")
    assert resident.step == "applicant.id_number" and "校验位" in resident.said()
    await resident.text(golden.APPLICANT_ID)
    await resident.text("12345")
    assert resident.step == "applicant.phone" and "电话号码" in resident.said()
    await resident.replay(golden.steps()[5:30])
    assert resident.step == "income.wages"
    await resident.text("-100")
    assert resident.step == "income.wages" and "负数" in resident.said()
    await resident.text("abc")
    assert resident.step == "income.wages" and "没看懂" in resident.said()


@pytest.mark.parametrize("kwargs, status", [
    ({"json": {"text": "hi", "option": "yes"}}, 422),
    ({"json": {}}, 422),
    ({"json": {"text": 5}}, 422),
    ({"json": {"text": "hi", "extra": 1}}, 422),
    ({"content": b"{not json", "headers_extra": {"Content-Type": "application/json"}}, 422),
    ({"content": b"text=hi", "headers_extra": {"Content-Type": "text/plain"}}, 415),
    ({"json": {"text": "x" * 100_001}}, 422),
    ({"json": {"option": "o" * 65}}, 422),
    ({"files": {"other": ("a.txt", b"hi", "text/plain")}}, 422),
])
async def test_malformed_requests_are_4xx_with_detail(api, kwargs, status):
    token = await channel_token(api)
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers_extra", {})}
    response = await api.post("/api/chat/partner/u1", headers=headers, **kwargs)
    assert response.status_code == status, response.text
    assert "detail" in response.json()


async def test_tokens_are_checked_per_channel(api):
    token = await channel_token(api, "partner")
    other = await channel_token(api, "other")
    assert (await api.post("/api/chat/partner/u1", json={"text": "hi"})).status_code == 401
    assert (await api.post("/api/chat/partner/u1", json={"text": "hi"},
                           headers={"Authorization": "Bearer wrong"})).status_code == 401
    assert (await api.post("/api/chat/partner/u1", json={"text": "hi"},
                           headers={"Authorization": f"Bearer {other}"})).status_code == 401
    assert (await api.post("/api/chat/partner/u1", json={"text": "hi"},
                           headers={"Authorization": f"Bearer {token}"})).status_code == 200


@pytest.mark.parametrize("path", ["/api/chat/partner/" + "u" * 129, "/api/chat/partner/bad%20id",
                                  "/api/chat/Bad!/u1"])
async def test_bad_paths_are_4xx(api, path):
    token = await channel_token(api)
    response = await api.post(path, json={"text": "hi"}, headers={"Authorization": f"Bearer {token}"})
    assert 400 <= response.status_code < 500


async def test_refused_files_get_a_reply(api):
    resident = Resident(api, await channel_token(api))
    await resident.replay(golden.steps()[:37])
    assert resident.step == "spending.receipts"
    await resident.post(files={"file": ("virus.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert resident.step == "spending.receipts" and "格式不能接收" in resident.said()
    services = api.app.state.services
    big = b"%PDF" + b"0" * services.files.max_bytes
    await resident.post(files={"file": ("big.pdf", big, "application/pdf")})
    assert resident.step == "spending.receipts" and "太大" in resident.said()


async def test_web_chat_page_and_its_cookie_conversation(api):
    page = await api.get("/")
    assert page.status_code == 200 and "善桥" in page.text
    first = await api.post("/web/chat", json={"text": "/start"})
    assert first.status_code == 200 and "sq_chat" in first.cookies
    await api.post("/web/chat", json={"option": "start"})
    reply = await api.post("/web/chat", json={"option": "agree"})
    assert reply.json()["state"]["step"] == "applicant.name"


async def test_healthz_and_metrics(api):
    assert (await api.get("/healthz")).json()["database"] == "ok"
    resident = Resident(api, await channel_token(api))

    def turns(text: str) -> float:
        lines = [line for line in text.splitlines() if line.startswith('shanqiao_turns_total{channel="api"')]
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines)

    before = turns((await api.get("/metrics")).text)
    await resident.text("你好")
    await resident.text("/start")
    assert turns((await api.get("/metrics")).text) == before + 2
    await resident.replay(golden.steps()[1:])
    await api.app.state.services.queue.relay()
    assert 'shanqiao_queue_depth 1.0' in (await api.get("/metrics")).text


async def test_restart_mid_application_continues_at_the_same_step(tmp_path, redis_url, redis_prefix):
    settings = make_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix)
    async with running(settings) as client:
        token = await channel_token(client)
        resident = Resident(client, token, "restart")
        await resident.replay(golden.steps()[:31])
        step = resident.step
        assert step == "income.transfers"
    async with running(settings) as client:
        resident = Resident(client, token, "restart")
        await resident.text("/start")
        assert resident.step == step
        last = await resident.replay(golden.steps()[31:])
        record = await stored_intake(client, last["state"]["intake_id"])
        golden.check_application(record.application)


async def test_production_backends_postgres_and_redis(tmp_path, postgres_url, redis_url, redis_prefix):
    settings = make_settings(tmp_path, database_url=postgres_url, redis_url=redis_url, redis_prefix=redis_prefix)
    async with running(settings) as client:
        resident = Resident(client, await channel_token(client), "pg")
        last = await resident.replay(golden.steps("en"))
        record = await stored_intake(client, last["state"]["intake_id"])
        golden.check_application(record.application, "en")
        assert (await client.get("/healthz")).json() == {"ok": True, "database": "ok", "redis": "ok"}


async def test_database_file_holds_no_plaintext_personal_data(tmp_path):
    settings = make_settings(tmp_path)
    async with running(settings) as client:
        resident = Resident(client, await channel_token(client), "grep")
        await resident.replay(golden.steps())
        await client.app.state.services.engine.dispose()
    data = b"".join(p.read_bytes() for p in (tmp_path / "var").glob("shanqiao.db*"))
    assert len(data) > 10_000
    for secret in (golden.APPLICANT_ID, golden.SPOUSE_ID, golden.CHILD_ID, "13800138000", "陈美玲"):
        assert secret.encode() not in data
        assert secret.encode("utf-16-le") not in data


async def test_policy_question_mid_expenses_is_answered_then_the_application_continues(api):
    resident = Resident(api, await channel_token(api), "asker")
    await resident.replay(golden.steps()[:36])
    assert resident.step == "spending.medical"
    await resident.text("孩子的学费算不算刚性支出？")
    said = resident.said()
    assert resident.step == "spending.medical"
    assert "学费" in said and "教育" in said          # the answer, from the knowledge base, with its source
    assert "医疗费自己付了多少" in said               # and the same question asked again
    last = await resident.replay(golden.steps()[36:])
    record = await stored_intake(api, last["state"]["intake_id"])
    golden.check_application(record.application)


async def test_same_person_applying_twice_is_flagged(api):
    token = await channel_token(api)
    resident = Resident(api, token, "twice")
    first = await resident.replay(golden.steps())
    last = await resident.replay(golden.steps())
    first_id, second_id = first["state"]["intake_id"], last["state"]["intake_id"]
    assert first_id != second_id
    assert f"编号{first_id}" in resident.said()              # the resident is told of their own application
    record = await stored_intake(api, second_id)
    assert [d["intake_id"] for d in record.prescreen["duplicates"]] == [first_id]  # the caseworker sees it


async def test_another_residents_application_is_flagged_but_not_revealed(api):
    token = await channel_token(api)
    first = await Resident(api, token, "neighbour").replay(golden.steps())
    other = Resident(api, token, "other")
    last = await other.replay(golden.steps())
    assert f"编号{first['state']['intake_id']}" not in other.said()
    record = await stored_intake(api, last["state"]["intake_id"])
    assert [d["intake_id"] for d in record.prescreen["duplicates"]] == [first["state"]["intake_id"]]


async def test_a_decision_while_the_resident_answers_a_request_ends_it_cleanly(api):
    from intake.console.decisions import Decisions

    resident = Resident(api, await channel_token(api), "late")
    done = await resident.replay(golden.steps())
    intake_id = done["state"]["intake_id"]
    decisions = Decisions(api.app.state.console)
    services = api.app.state.services
    await services.queue.relay()
    assert (await decisions.claim_next("cw1")).intake_id == intake_id
    await decisions.request_info(intake_id, actor="cw1", items=["applicant.phone", "situation"], note="请核对电话")
    await resident.text("13900139000")                       # answering the first item
    assert resident.step == "situation"
    await decisions.claim(intake_id, worker="cw1")  # closing is a decision: it needs the lease again
    await decisions.close(intake_id, actor="cw1", reason="已电话核实")
    waiting = await api.get(f"{resident.url}/messages", headers={"Authorization": f"Bearer {resident.token}"})
    told = "\n".join(r["text"] for r in waiting.json()["replies"])
    assert "已电话核实" in told and "不需要了" in told
    await resident.text("补充说明")                            # no longer in the request: no error, no loss
    assert resident.last["state"]["flow"] is None


async def test_answers_to_a_request_closed_behind_the_conversations_back_get_a_reply(api):
    from intake.console.decisions import Decisions

    resident = Resident(api, await channel_token(api), "behind")
    intake_id = (await resident.replay(golden.steps()))["state"]["intake_id"]
    decisions = Decisions(api.app.state.console)
    await api.app.state.services.queue.relay()
    await decisions.claim_next("cw1")
    await decisions.request_info(intake_id, actor="cw1", items=["situation"], note="")
    await decisions.claim(intake_id, worker="cw1")  # closing is a decision: it needs the lease again
    await api.app.state.services.intakes.close_intake(intake_id, actor="cw1", reason="重复申请")
    await resident.text("补充说明")
    assert "不需要了" in resident.said() and resident.last["state"]["flow"] is None


async def test_a_message_sent_again_with_its_id_is_not_taken_twice(api):
    token = await channel_token(api)
    resident = Resident(api, token, user_id="resend")
    steps = golden.steps()
    await resident.replay(steps[:9])  # up to the applicant's situation flags: a press toggles a flag
    assert resident.step == "applicant.flags"
    press = {"option": "serious_illness", "message_id": "m-9"}
    first = (await resident.post(json=press)).json()
    again = (await resident.post(json=press)).json()  # the answer to the first was lost; the client resends
    assert again["state"] == first["state"]
    assert again["replies"][-1] == first["replies"][-1]  # the same question again, with the flag still ticked
    await resident.post(json={"option": "_done", "message_id": "m-10"})
    # a file resent with its id is kept once
    await resident.replay(steps[11:66])
    content_type, data = golden.RECEIPTS["receipt-hospital.jpg"]
    for _ in range(2):
        await resident.post(files={"file": ("receipt-hospital.jpg", data, content_type)}, data={"message_id": "m-f"})
    await resident.replay(steps[67:])
    [summary] = await api.app.state.services.intakes.list_for_user("api:partner", "resend")
    record = await api.app.state.services.intakes.get(summary.id)
    golden.check_application(record.application)


async def test_web_chat_history_is_the_conversation_so_far_masked_with_its_code(api):
    # a visitor without a cookie has no history, and asking never fails
    empty = await api.get("/web/history")
    assert empty.status_code == 200 and empty.json() == {"locale": None, "lines": [], "code": None}
    await api.post("/web/chat", json={"text": "/start"})
    for body in ({"option": "start"}, {"option": "agree"}, {"text": "陈美玲"}, {"text": golden.APPLICANT_ID},
                 {"text": golden.PHONE}, {"option": "haizhu"}):
        assert (await api.post("/web/chat", json=body)).status_code == 200
    history = (await api.get("/web/history")).json()
    mine = [line["text"] for line in history["lines"] if line["who"] == "me"]
    assert mine[0] == "开始申请" and "陈美玲" in mine and mine[-1] == "海珠区"  # labels, not values; no /start
    assert golden.APPLICANT_ID not in str(history) and golden.PHONE not in str(history)
    assert history["lines"][-1]["who"] == "bot" and "地址" in history["lines"][-1]["text"]
    assert history["locale"] == "zh" and history["code"].startswith("您的续办码：")
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}", history["code"]).group()
    assert any(code in line["text"] for line in history["lines"])  # where it was first said, not masked


@pytest.mark.parametrize("question", ["點樣申請支出型困難家庭", "急難嗰種臨時救助最多可以攞幾多個月",
                                      "how do I apply for the hardship household assistance"])
async def test_a_question_without_a_question_mark_at_the_id_step_is_answered(api, question):
    resident = Resident(api, await channel_token(api), "cantonese")
    await resident.replay(golden.steps()[:4])
    assert resident.step == "applicant.id_number"
    await resident.text(question)
    said = resident.said()
    assert resident.step == "applicant.id_number"
    assert not re.search(r"输入了\d+位", said)  # never "you entered 11 digits"
    answer, again = said.split("我们回到刚才的问题")
    assert len(answer.strip()) > 20 and again.rstrip().endswith("申请人身份证号（18位）？")
    await resident.text(golden.APPLICANT_ID)
    assert resident.step == "applicant.phone"
