"""Resume codes over the HTTP chat API and at the phone desk: the same application continued under another
user id, a caseworker's request read and answered there after submission, the guessers' limits."""
from __future__ import annotations

import asyncio
import re

from bot.conversation import ConversationKey
from bot.notifiers import SqlMailbox
from bot.resume import GUESS_WINDOW, ResumeDesk
from bot.state.journal import Journal
from bot.state.sql import SqlStateStore
from dialogs.messages import Reply
from dialogs.resume_codes import ALPHABET
from intake.crypto import Vault
from intake.database import create_engine, migrate
from intake.models import IntakeStatus
from intake.store import RESIDENT
from intake.store.attempts import SqlAttempts
from intake.store.resume import Holder, ResumeCodes
from intake.store.transcripts import TranscriptLog
from tests import golden
from tests.bot.test_phone import NUMBER, phone_desk
from tests.intake.console_harness import console_app, messages

S = IntakeStatus
CODE = re.compile(r"续办码：([0-9A-Z]{4}-[0-9A-Z]{4})")
DIGITS = golden.PHONE[-4:]


def code_in(text: str) -> str:
    return CODE.search(text).group(1)


async def test_the_same_application_goes_on_under_another_user_id_and_the_old_one_lets_go(any_backend):
    harness = any_backend
    phone = await harness.resident("phone-a")
    await phone.replay(golden.steps()[:6])
    code = code_in(phone.said())
    assert f"/chat#resume={code}" in phone.said() and phone.step == "applicant.district"

    laptop = await harness.resident("laptop-b")
    await laptop.text("你好")
    await laptop.text(f"继续 {code.lower().replace('-', ' ')}")
    assert "后四位" in laptop.said() and laptop.step is None
    await laptop.text("1234")
    assert "还可以试4次" in laptop.said()
    await laptop.text(DIGITS)
    assert "核对成功" in laptop.said() and laptop.step == "applicant.district"
    assert "户籍" in laptop.last["replies"][-1]["text"]

    # the old device holds no copy to drift apart: it is told where the application went
    await phone.option("haizhu")
    assert "转到其他设备" in phone.said() and phone.step is None

    last = await laptop.replay(golden.steps()[6:])
    intake_id = last["state"]["intake_id"]
    record = await harness.store.get(intake_id)
    golden.check_application(record.application)
    assert (record.channel, record.user_id) == ("api:partner", "laptop-b")
    assert code in laptop.said()  # shown again after submission
    await laptop.text("查看进度")
    assert str(intake_id) in laptop.said() and code in laptop.said()

    # what staff read of the conversation never shows the code or its digits
    lines = [line["text"] for line in record.transcript]
    assert "陈美玲" in lines and not any(code in line or code.replace("-", "") in line for line in lines)
    assert "****-****" in lines and "****" in lines and "1234" not in lines


async def test_after_submission_the_code_brings_a_caseworkers_request_to_another_channel(any_backend):
    harness = any_backend
    first, intake_id = await harness.submit("first-phone")
    code = code_in(first.said())
    caseworker = await harness.staff("wang", "caseworker")
    await harness.services.queue.relay()
    assert (await caseworker.post("/console/claim-next", data={"csrf_token": caseworker.csrf})).status_code == 303
    response = await caseworker.post(f"/console/intakes/{intake_id}/request-info", data={
        "csrf_token": caseworker.csrf, "items": ["income.wages"], "note": "请补充最近一年的工资总额"})
    assert response.headers["location"].endswith("done=requested")

    # the first phone is lost; on a new one the resident types the code
    second = await harness.resident("second-phone")
    await second.text(f"resume {code}")
    assert "last four digits" in second.said()  # an English message gets English
    await second.text(f"my number ends {DIGITS}")
    assert "4 digits" in second.said()  # not just four digits: asked again
    await second.text(DIGITS)
    said = second.said()
    assert "Confirmed" in said and "请补充最近一年的工资总额" in said and str(intake_id) in said
    assert second.step == "income.wages" and second.last["state"]["intake_id"] == intake_id
    await second.text("3万")
    assert "passed to the caseworker" in second.said() or "补充的信息已交给社工" in second.said()

    record = await harness.store.get(intake_id)
    assert record.status is S.SUBMITTED
    assert record.application["income"]["wages"] == {"amount": 30000, "estimated": False}
    assert (record.channel, record.user_id) == ("api:partner", "second-phone")
    moves = [a for a in record.audit if a.reason and "resume code" in a.reason]
    assert [(a.actor, a.from_status, a.to_status) for a in moves] == [("resident", S.NEEDS_INFORMATION,
                                                                        S.NEEDS_INFORMATION)]
    assert await messages(first) == []  # the request waited for the resident and went with them

    # a decision now reaches the resident where they are
    await harness.services.queue.relay()
    await caseworker.post("/console/claim-next", data={"csrf_token": caseworker.csrf})
    await caseworker.post(f"/console/intakes/{intake_id}/accept", data={"csrf_token": caseworker.csrf,
                                                                        "reason": "材料齐全", "confirm": "yes"})
    assert (await harness.store.get(intake_id)).status is S.ACCEPTED
    assert any(str(intake_id) in text for text in await messages(second))


async def test_five_wrong_digits_lock_out_the_guesser_not_the_codes_owner(any_backend):
    harness = any_backend
    owner = await harness.resident("owner")
    await owner.replay(golden.steps()[:6])
    code = code_in(owner.said())
    guesser = await harness.resident("guesser")
    await guesser.text(f"继续 {code}")
    for guess in ("0000", "1111", "2222", "3333"):
        await guesser.text(guess)
    assert "还可以试1次" in guesser.said()
    await guesser.text("4444")
    assert "尝试次数太多" in guesser.said() and "60分钟" in guesser.said()
    # the guesser's own right digits do not help now
    await guesser.text(f"继续 {code}")
    await guesser.text(DIGITS)
    assert "尝试次数太多" in guesser.said() and guesser.step is None
    # the code is not locked: its owner goes on from a new device
    laptop = await harness.resident("owner-laptop")
    await laptop.text(f"继续 {code}")
    await laptop.text(DIGITS)
    assert "核对成功" in laptop.said() and laptop.step == "applicant.district"
    # trying code after code is limited per conversation too, whether the codes exist or not
    other = await harness.resident("other")
    for n in range(10):  # ten codes an hour
        await other.text(f"继续 ZZZZ-ZZZ{ALPHABET[n]}")
        assert "后四位" in other.said()
        await other.text("取消")
    await other.text("继续 ZZZZ-ZZZZ")
    assert "输入的续办码太多了" in other.said()


async def test_a_code_typed_in_its_own_conversation_or_over_an_application_in_progress(tmp_path):
    async with console_app(tmp_path) as harness:
        owner = await harness.resident("owner")
        await owner.replay(golden.steps()[:6])
        code = code_in(owner.said())
        await owner.text(f"继续 {code}")
        assert "就是当前这个对话" in owner.said() and owner.step == "applicant.district"
        busy = await harness.resident("busy")
        await busy.replay(golden.steps()[:4])
        await busy.text(f"继续 {code}")
        assert "正在填写的申请" in busy.said() and busy.step == "applicant.id_number"
        assert (await harness.services.states.get(ConversationKey("api:partner", "owner")))["step"] == \
            "applicant.district"


async def test_phone_staff_open_a_callers_conversation_by_code(tmp_path):
    async with console_app(tmp_path) as harness:
        online = await harness.resident("online")
        await online.replay(golden.steps()[:6])
        code = code_in(online.said())
        desk = await phone_desk(harness)
        response = await desk.client.post("/console/phone/resume", data={"csrf_token": desk.client.csrf,
                                                                         "number": code.lower()})
        assert response.status_code == 303
        desk.number = NUMBER.search(response.headers["location"]).group(1)
        await desk.look()
        assert desk.step == "applicant.district" and desk.says("核对成功")
        await desk.option("haizhu")
        assert desk.step == "applicant.address"
        await online.text("海珠区")
        assert "转到其他设备" in online.said()
        lines = await harness.services.transcripts.lines(ConversationKey("phone", desk.number).hashed(harness.services.vault))
        assert {"who": "staff", "text": "/resume ****-****", "staff_id": "liu"} in lines
        unknown = await desk.client.post("/console/phone/resume", data={"csrf_token": desk.client.csrf,
                                                                        "number": "ZZZZ-ZZZZ"})
        assert unknown.headers["location"] == "/console/phone?error=not_found"


async def test_lines_of_a_turn_still_being_written_move_with_the_conversation(tmp_path):
    """The move waits for the old conversation's turn, whose lines are committed before it ends."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'resume.db'}")
    await migrate(engine)
    vault, gate = Vault("test-secret-key"), asyncio.Event()
    states, codes = SqlStateStore(engine, vault=vault), ResumeCodes(engine, vault)

    class SlowJournal(Journal):
        async def _write(self) -> None:  # the database is slow to take the turn
            await gate.wait()
            await super()._write()

    states.journal = SlowJournal(engine, vault, settled=states.journal.settled)
    desk = ResumeDesk(codes=codes, states=states, mailbox=SqlMailbox(engine, vault=vault),
                      web_url="http://127.0.0.1:8000", attempts=SqlAttempts(engine, window=GUESS_WINDOW))
    old, new = ConversationKey("web", "phone-a"), ConversationKey("api:partner", "laptop-b")
    transcripts = TranscriptLog(engine, vault)
    try:
        code, _ = await codes.keep("web", "phone-a", DIGITS)

        async def old_turn() -> None:
            async with states.lock(old):
                await states.commit(old, {"flow": None, "step": None}, [("resident", "家里三口人", None)])

        turn = asyncio.create_task(old_turn())
        await asyncio.sleep(0)  # the old turn holds its lock, its commit waits for the database
        asyncio.get_running_loop().call_later(0.3, gate.set)
        await desk.move(code, Holder("web", "phone-a"), new, None, actor=RESIDENT)
        await turn
        assert [line["text"] for line in await transcripts.lines(new.hashed(vault))] == ["家里三口人"]
        assert await transcripts.lines(old.hashed(vault)) == []
    finally:
        await engine.dispose()


async def test_a_notice_being_sent_while_the_resident_moves_is_sent_again_where_they_now_are(any_backend):
    harness = any_backend
    first, intake_id = await harness.submit("first-phone")
    code = code_in(first.said())
    outbox, notifiers = harness.services.notices, harness.services.notifiers
    # a caseworker's decision notice, taken by a sender just as the resident moves
    notice = await outbox.add(channel="api:partner", user_id="first-phone", replies=[Reply("申请已受理")],
                              intake_id=intake_id)
    second = await harness.resident("second-phone")
    await second.text(f"继续 {code}")
    await second.text(DIGITS)
    assert "核对成功" in second.said()
    assert await outbox.attempt(notice, notifiers)  # it reached the old conversation, after the move
    assert await outbox.deliver_due(notifiers) == 1  # so it is sent again, where the resident now is
    assert "申请已受理" in await messages(second)
    assert await outbox.deliver_due(notifiers) == 0
