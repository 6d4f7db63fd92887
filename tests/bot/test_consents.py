"""The versioned privacy notice before anything is asked, and each consent as a row of its own: by the
resident in the chat, by staff for a caller, per charity recipient in the console; a withdrawal is a new
row; unfiled consents follow a resumed application."""
from __future__ import annotations

from bot.conversation import ConversationKey
from dialogs.consents import CHILD, ECONOMIC_CHECK, FINANCIAL, HEALTH, NO_CONSENT, NOTICE_VERSION
from dialogs.messages import Inbound
from intake.store.consents import REFERRAL, ConsentLog
from tests import golden
from tests.bot.test_resume import DIGITS, code_in
from tests.intake.console_harness import console_app


async def test_the_notice_comes_first_and_each_answer_is_recorded_with_its_version(any_backend):
    harness = any_backend
    svc = harness.services
    resident = await harness.resident("alice")
    await resident.text("你好")
    started = await resident.option("start")
    texts = [reply["text"] for reply in started["replies"]]
    notice = next(i for i, text in enumerate(texts) if "个人信息告知" in text)
    assert NOTICE_VERSION in texts[notice] and "慈善机构" in texts[notice]
    assert notice < len(texts) - 1 and "同意" in texts[-1]  # the consent question comes after the notice
    last = await resident.replay(golden.steps()[2:])
    intake_id = last["state"]["intake_id"]
    given = await svc.consents.of_intake(intake_id)
    # one row per purpose, in the order asked: the check, health data, the child's data, financial data
    assert [(c.purpose, c.granted, c.notice_version, c.channel, c.method, c.collected_by) for c in given] == [
        (purpose, True, NOTICE_VERSION, "api:partner", "chat", "resident")
        for purpose in (ECONOMIC_CHECK, HEALTH, CHILD, FINANCIAL)]

    # "no" is recorded too, and nothing else is kept
    declining = await harness.resident("bob")
    await declining.text("你好")
    await declining.option("start")
    await declining.option("disagree")
    [refused] = await svc.consents.of_subject(ConversationKey("api:partner", "bob").hashed(svc.vault))
    assert (refused.purpose, refused.granted, refused.intake_id) == (ECONOMIC_CHECK, False, None)


async def test_staff_running_the_dialog_for_a_caller_are_recorded_as_collecting_it(tmp_path):
    async with console_app(tmp_path) as harness:
        svc, key = harness.services, ConversationKey("phone", "call-7")
        for inbound in (Inbound(text="你好", staff_id="liu"), Inbound(option="start", staff_id="liu"),
                        Inbound(option="agree", staff_id="liu")):
            await svc.runner.handle(key, inbound)
        [given] = await svc.consents.of_subject(key.hashed(svc.vault))
        assert (given.granted, given.method, given.collected_by, given.channel) == (True, "phone", "liu", "phone")


async def test_referral_consent_is_per_recipient_and_a_withdrawal_is_a_new_row(tmp_path):
    async with console_app(tmp_path) as harness:
        svc = harness.services
        _, intake_id = await harness.submit("alice")
        log: ConsentLog = svc.consents
        await log.record_for_intake(intake_id, purpose=REFERRAL, recipient="a", granted=True, channel="console",
                                    method="phone", collected_by="wang")
        assert await log.holds(intake_id, REFERRAL, "a") and not await log.holds(intake_id, REFERRAL, "b")
        await log.record_for_intake(intake_id, purpose=REFERRAL, recipient="a", granted=False, channel="console",
                                    method="counter", collected_by="zhao")
        assert not await log.holds(intake_id, REFERRAL, "a")
        rows = [(c.purpose, c.recipient, c.granted) for c in await log.of_intake(intake_id)]
        assert rows[-2:] == [(REFERRAL, "a", True), (REFERRAL, "a", False)] and (ECONOMIC_CHECK, None, True) in rows
        # a withdrawal of the economic-status check, heard at the counter
        caseworker = await harness.staff("wang", "caseworker")
        response = await caseworker.post(f"/console/intakes/{intake_id}/consents", data={
            "csrf_token": caseworker.csrf, "purpose": "economic_check", "granted": "no", "method": "counter"})
        assert response.headers["location"].endswith("done=consent_recorded#consents")
        assert not await log.holds(intake_id, ECONOMIC_CHECK)
        # a recipient the intake was not matched to is refused, and so is a recipient on another purpose
        for data in ({"purpose": "referral", "recipient": "no-such-charity"},
                     {"purpose": "economic_check", "recipient": "a"}):
            refused = await caseworker.post(f"/console/intakes/{intake_id}/consents", data={
                "csrf_token": caseworker.csrf, "granted": "yes", "method": "phone", **data})
            assert "error=invalid_input" in refused.headers["location"]
        bad = await caseworker.post(f"/console/intakes/{intake_id}/consents", data={
            "csrf_token": caseworker.csrf, "purpose": "anything", "granted": "yes", "method": "phone"})
        assert bad.status_code == 422


async def test_consents_given_before_filing_follow_a_resumed_application(tmp_path):
    async with console_app(tmp_path) as harness:
        svc = harness.services
        phone = await harness.resident("phone-a")
        await phone.replay(golden.steps()[:6])
        code = code_in(phone.said())
        laptop = await harness.resident("laptop-b")
        await laptop.text(f"继续 {code}")
        await laptop.text(DIGITS)
        last = await laptop.replay(golden.steps()[6:])
        given = await svc.consents.of_intake(last["state"]["intake_id"])
        assert [(c.purpose, c.granted) for c in given] == [(ECONOMIC_CHECK, True), (HEALTH, True), (CHILD, True),
                                                           (FINANCIAL, True)]


async def test_no_to_each_optional_consent_still_files_through_the_chat_api(any_backend):
    harness = any_backend
    svc = harness.services
    resident = await harness.resident("carol")
    last = await resident.replay(golden.steps(health=False, financial=False, guardian=False))
    intake_id = last["state"]["intake_id"]
    assert intake_id is not None
    rows = [(c.purpose, c.granted, c.notice_version) for c in await svc.consents.of_intake(intake_id)]
    assert rows == [(ECONOMIC_CHECK, True, NOTICE_VERSION), (HEALTH, False, NOTICE_VERSION),
                    (CHILD, False, NOTICE_VERSION), (FINANCIAL, False, NOTICE_VERSION)]
    application = (await svc.intakes.get(intake_id)).application
    # what each no covers is left for the caseworker, noted on the intake
    assert application["follow_up"] == {"consents.health": NO_CONSENT, "consents.financial": NO_CONSENT}
    child = application["members"][1]
    assert child["name"] is None and child["follow_up"]["name"] == NO_CONSENT
    assert "income" not in application and "flags" not in application["applicant"]


async def test_staff_record_a_withdrawal_of_health_data_heard_at_the_counter(tmp_path):
    async with console_app(tmp_path) as harness:
        svc = harness.services
        _, intake_id = await harness.submit("dora")
        assert await svc.consents.holds(intake_id, HEALTH)
        caseworker = await harness.staff("wang", "caseworker")
        response = await caseworker.post(f"/console/intakes/{intake_id}/consents", data={
            "csrf_token": caseworker.csrf, "purpose": HEALTH, "granted": "no", "method": "counter"})
        assert response.headers["location"].endswith("done=consent_recorded#consents")
        assert not await svc.consents.holds(intake_id, HEALTH) and await svc.consents.holds(intake_id, FINANCIAL)
        page = (await caseworker.get(f"/console/intakes/{intake_id}")).text
        assert "提供健康信息（重病、残疾）" in page and "14岁以下孩子的信息（监护人同意）" in page
