"""The residents' rights desk in the chat (「我的信息」), through the HTTP chat API of a real app: proved with the
resume code and the phone's last digits, then see and download one's data, withdraw a consent, ask for deletion
and a person's review (tracked requests with their deadline), and back to where the resident was."""
from __future__ import annotations

import json
import re

from bot.conversation import ConversationKey
from dialogs.consents import HEALTH
from intake.privacy.rights import OFFICE_TZ, RightKind, RightStatus, due_after
from intake.store import RESIDENT
from intake.store.access import AccessAction
from tests import golden
from tests.bot.conftest import Resident, channel_token
from tests.bot.test_resume import DIGITS, code_in

LINK = re.compile(r"https?://[^\s]+(/mydata/[A-Za-z0-9_.\-]+)")


def options(resident: Resident) -> dict[str, str]:
    """The buttons of the last reply: label -> value."""
    return {o["label"]: o["value"] for o in resident.last["replies"][-1]["options"]}


async def test_a_resident_sees_downloads_withdraws_asks_deletion_and_review_then_returns(api):
    svc = api.app.state.services
    resident = Resident(api, await channel_token(api))
    await resident.replay(golden.steps()[:6])
    code = code_in(resident.said())
    last = await resident.replay(golden.steps()[6:])
    intake_id = last["state"]["intake_id"]
    assert "我的信息" in options(resident)  # offered after the submission

    await resident.text("我的信息")
    assert "续办码" in resident.said() and resident.last["state"]["flow"] is None
    await resident.text(code)
    assert "后四位" in resident.said()
    await resident.text(DIGITS)
    assert "已确认是您本人" in resident.said() and f"申请编号{intake_id}" in resident.said()

    # (a) the data in plain words, and a link that downloads it (JSON and a printable page), the read recorded
    await resident.option("_rsee")
    said = resident.said()
    assert "陈美玲" in said and "您的同意记录" in said and "使用健康信息：同意" in said
    page = LINK.search(said).group(1)
    printable = await api.get(page)
    assert printable.status_code == 200 and "陈美玲" in printable.text
    assert printable.headers["referrer-policy"] == "no-referrer"
    download = await api.get(page + "/json")
    assert json.loads(download.text)["intake"]["id"] == intake_id
    assert "attachment" in download.headers["content-disposition"]
    assert (await api.get(page[:-3] + "xyz")).status_code == 404  # a forged token opens nothing
    reads = await svc.access.recent(intake_id=intake_id)
    assert {(r.actor, r.action, r.detail) for r in reads} >= {
        (RESIDENT, AccessAction.EXPORT, "chat summary"), (RESIDENT, AccessAction.EXPORT, "json")}

    # (c) a consent withdrawn: a new row saying no, and a request for the caseworker
    await resident.option("_rwithdraw")
    await resident.option(options(resident)["使用健康信息"])
    assert "撤回之前的处理仍然有效" in resident.said()
    await resident.option("_ryes")
    assert "已记录您撤回同意" in resident.said()
    given = await svc.consents.of_intake(intake_id)
    assert (given[-1].purpose, given[-1].granted, given[-1].collected_by, given[-1].channel) == (
        HEALTH, False, RESIDENT, "api:partner")
    assert any(c.purpose == HEALTH and c.granted for c in given[:-1])  # the earlier yes stays as the record
    assert not await svc.consents.holds(intake_id, HEALTH)

    # (d) deletion: what goes and what the law keeps, said before it is asked
    await resident.option("_rdelete")
    assert "会删除的" in resident.said() and "按法律要求会保留的" in resident.said()
    await resident.option("_ryes")
    assert "已登记您的删除请求" in resident.said()

    # (e) a person to review the automated results, in the resident's own words
    await resident.option("_rreview")
    await resident.text("预审说我不太符合，请人再看看医疗费")
    assert "已登记您的复核请求" in resident.said()

    requests = await svc.rights.of_intake(intake_id)
    assert [r.kind for r in requests] == [RightKind.WITHDRAW, RightKind.DELETE, RightKind.REVIEW]
    for request in requests:
        assert (request.method, request.taken_by, request.status) == ("api:partner", RESIDENT, RightStatus.OPEN)
        assert request.due_at == due_after(request.received_at, calendar=svc.rights.calendar)
    assert requests[-1].detail == "预审说我不太符合，请人再看看医疗费"
    due = requests[-1].due_at.astimezone(OFFICE_TZ).date()
    assert f"{due.year}年{due.month}月{due.day}日" in resident.said()  # the resident is told the same date
    assert {r.id for r in await svc.rights.open()} >= {r.id for r in requests}  # supervisors see them

    # leaving goes back to where the resident was: the menu after a submission
    await resident.option("_rleave")
    assert "已离开" in resident.said() and "我的信息" in options(resident)
    await resident.text("查看进度")
    assert f"编号{intake_id}" in resident.said()


async def test_wrong_digits_are_counted_and_the_application_waits_where_it_was(api):
    resident = Resident(api, await channel_token(api), user_id="u2")
    await resident.replay(golden.steps()[:7])
    asked = resident.last["replies"][-1]["text"]
    step = resident.step

    await resident.text("my data")
    assert "续办码" in resident.said()
    await resident.text("ZZZZ-ZZZZ")  # made up: asked for the digits like any code, nothing said of it
    made_up = resident.said()
    await resident.text("1234")
    assert "还可以试4次" in resident.said()
    await resident.text("12")
    assert "4个数字" in resident.said()
    await resident.text("返回")  # back to the code
    assert "续办码" in resident.said()
    await resident.option("_rcode")  # the code shown in this conversation: the same question follows
    assert resident.said() == made_up
    await resident.text("5678")
    assert "还可以试3次" in resident.said()
    await resident.text("取消")  # out of the desk: the same question again, nothing of the application lost
    assert resident.step == step and asked in resident.said()
    state = await api.app.state.services.states.get(resident_key(resident))
    assert state["rights"] is None and state["answers"]["applicant"]["name"] == "陈美玲"
    svc = api.app.state.services
    lines = await svc.transcripts.lines(resident_key(resident).hashed(svc.vault))
    assert lines and not any(digits in line["text"] for line in lines for digits in ("1234", "5678"))


def resident_key(resident: Resident) -> ConversationKey:
    return ConversationKey(f"api:{resident.channel}", resident.user_id)
