"""Contract tests of the intake store, run on SQLite and on PostgreSQL."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from bot.state.journal import Journal
from intake.errors import (
    AccountLocked, AlreadyClaimed, CheckNotAuthorised, DuplicateName, IntakeNotFound, InvalidTransition, NoOpenRequest,
    NotHeld, UnknownRole,
)
from intake.models import AuditEntry, InfoRequestStatus, Intake, IntakeStatus, Outbox, Person, UnansweredQuestion
from intake.store import RESIDENT, SYSTEM
from intake.store.rows import user_key
from tests.intake.conftest import Clock, urgency

S = IntakeStatus
LEASE = timedelta(minutes=10)


async def count(engine, model) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(model))).scalar_one()


class TestSubmit:
    async def test_submit_stores_every_part(self, store, engine, application):
        transcript = [{"who": "resident", "text": "你好"}, {"who": "bot", "text": "您好"}]
        journal = Journal(engine, store.vault)
        await journal.write(lines=[
            *journal.line_rows(user_key(store.vault, "web", "u-1"), [(e["who"], e["text"], None) for e in transcript]),
            *journal.line_rows(user_key(store.vault, "web", "someone-else"), [("resident", "不是这位的", None)])])
        intake_id = await store.submit(
            application(sudden_event=True), channel="web", user_id="u-1", locale="zh",
            prescreen={"outcome": "likely"},
        )
        record = await store.get(intake_id)
        assert record.status is S.SUBMITTED
        assert record.application == application(sudden_event=True)
        assert (record.channel, record.user_id, record.locale, record.urgent) == ("web", "u-1", "zh", True)
        assert record.prescreen == {"outcome": "likely"}
        assert record.transcript == tuple(transcript)
        paths = {item.path: item.value for item in record.answers}
        assert paths["applicant.phone"] == "+8613800138000"
        assert paths["members.0.id_number"] == "11010119920307001X"
        assert paths["income.wages"] == {"amount": 36000, "estimated": False}
        assert all(item.entered_by is None for item in record.answers)
        assert [(a.file_id, a.name, a.expense_index) for a in record.attachments] == [
            ("f-1", "张三住院发票.jpg", 0), ("f-2", "r2.pdf", 0),
        ]
        assert [(a.actor, a.from_status, a.to_status) for a in record.audit] == [(RESIDENT, None, S.SUBMITTED)]
        assert [item.intake_id for item in await store.pending_outbox()] == [intake_id]
        assert await count(engine, Person) == 2

    async def test_submit_is_one_transaction(self, store, engine, application):
        # the second receipt's size breaks the insert of attachments, after intake and answers were written
        broken = application()
        broken["expenses"][0]["receipts"][1]["size"] = "twelve"
        with pytest.raises(ValueError):
            await store.submit(broken, channel="web", user_id="u-1", locale="zh")
        for model in (Intake, Outbox, AuditEntry, Person):
            assert await count(engine, model) == 0
        assert await store.submit(application(), channel="web", user_id="u-1", locale="zh") > 0

    async def test_staff_entered_answers_carry_the_staff_id(self, store, application):
        intake_id = await store.submit(application(), channel="phone", user_id="caller-7", locale="zh", staff_id="wang")
        record = await store.get(intake_id)
        assert record.staff_id == "wang"
        assert {item.entered_by for item in record.answers} == {"wang"}
        assert record.audit[0].actor == "wang"

    async def test_nothing_is_stored_without_consent(self, store, engine, application):
        with pytest.raises(CheckNotAuthorised):
            await store.submit(application(consent=False), channel="web", user_id="u-1", locale="zh")
        assert await count(engine, Intake) == 0

    async def test_unknown_intake(self, store):
        with pytest.raises(IntakeNotFound) as caught:
            await store.get(404)
        assert caught.value.intake_id == 404

    async def test_residents_see_only_their_own_intakes(self, store, application):
        mine = await store.submit(application(), channel="web", user_id="u-1", locale="zh")
        await store.submit(application(), channel="web", user_id="u-2", locale="zh")
        await store.submit(application(), channel="telegram", user_id="u-1", locale="zh")
        second = await store.submit(application(), channel="web", user_id="u-1", locale="en")
        assert [s.id for s in await store.list_for_user("web", "u-1")] == [second, mine]
        assert await store.list_for_user("web", "nobody") == []


class TestDuplicates:
    async def test_people_found_in_open_and_recently_accepted_intakes(self, make_store, application):
        clock = Clock()
        store = make_store(clock)
        applicant = store.vault.id_number_hash("110101199003074477")
        accepted_long_ago = await store.submit(application(), channel="web", user_id="a", locale="zh")
        await store.claim("cw", lease=LEASE, intake_id=accepted_long_ago)
        await store.accept(accepted_long_ago, actor="cw")
        clock.advance(days=400)
        rejected = await store.submit(application(), channel="web", user_id="a", locale="zh")
        await store.claim("cw", lease=LEASE, intake_id=rejected)
        await store.reject(rejected, actor="cw", reason="收入超过标准")
        accepted = await store.submit(application(), channel="web", user_id="a", locale="zh")
        await store.claim("cw", lease=LEASE, intake_id=accepted)
        await store.accept(accepted, actor="cw")
        waiting = await store.submit(application(), channel="web", user_id="a", locale="zh")

        found = await store.people_in_intakes([applicant], since=clock.now - timedelta(days=365))
        assert [(m.intake_id, m.status, m.role) for m in found] == [
            (accepted, S.ACCEPTED, "applicant"), (waiting, S.SUBMITTED, "applicant"),
        ]
        newest = await store.people_in_intakes([applicant], since=clock.now - timedelta(days=365), limit=1)
        assert [(m.intake_id, m.role) for m in newest] == [(waiting, "applicant")]
        # the hash ignores spacing and the case of the check letter
        member = store.vault.id_number_hash(" 11010119920307001x ")
        assert {m.role for m in await store.people_in_intakes([member], since=clock.now)} == {"member"}
        assert await store.people_in_intakes([store.vault.id_number_hash("440101199001011234")], since=clock.now) == []


class TestWorkflow:
    async def test_decisions_are_audited(self, store, application):
        intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
        await store.claim("li", lease=LEASE, intake_id=intake_id)
        await store.reject(intake_id, actor="li", reason="户籍不在本市")
        with pytest.raises(NotHeld):  # the decision ended the lease; closing is a decision of its own
            await store.close_intake(intake_id, actor="li", reason="已告知申请人")
        held = await store.claim("li", lease=LEASE, intake_id=intake_id, follow_up=True)
        assert (await store.get(intake_id)).status is S.REJECTED and held.lease_until is not None
        await store.close_intake(intake_id, actor="li", reason="已告知申请人")
        record = await store.get(intake_id)
        assert record.status is S.CLOSED
        assert [(a.actor, a.from_status, a.to_status, a.reason) for a in record.audit] == [
            (RESIDENT, None, S.SUBMITTED, None),
            ("li", S.SUBMITTED, S.CLAIMED, None),
            ("li", S.CLAIMED, S.REJECTED, "户籍不在本市"),
            ("li", S.REJECTED, S.REJECTED, "held to follow up"),
            ("li", S.REJECTED, S.CLOSED, "已告知申请人"),
        ]
        assert all(a.at.tzinfo is not None for a in record.audit)

    async def test_only_the_holder_decides(self, store, application):
        intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
        await store.claim("li", lease=LEASE, intake_id=intake_id)
        with pytest.raises(AlreadyClaimed) as caught:
            await store.accept(intake_id, actor="zhao")
        assert caught.value.by == "li"
        with pytest.raises(AlreadyClaimed):
            await store.claim("zhao", lease=LEASE, intake_id=intake_id)
        with pytest.raises(AlreadyClaimed):
            await store.close_intake(intake_id, actor="zhao", reason="重复")
        await store.accept(intake_id, actor="li")
        record = await store.get(intake_id)
        assert (record.status, record.lease_until) == (S.ACCEPTED, None)

    async def test_decisions_need_a_live_lease(self, make_store, application):
        clock = Clock()
        store = make_store(clock)
        waiting = await store.submit(application(), channel="web", user_id="u", locale="zh")
        for decide in (store.accept(waiting, actor="li"), store.close_intake(waiting, actor="li", reason="重复")):
            with pytest.raises((NotHeld, InvalidTransition)):
                await decide
        assert (await store.get(waiting)).status is S.SUBMITTED
        await store.claim("li", lease=LEASE, intake_id=waiting)
        clock.advance(minutes=11)  # the lease ran out, though nobody took the intake over
        with pytest.raises(NotHeld):
            await store.accept(waiting, actor="li")
        await store.transition(waiting, S.SUBMITTED, actor="li")  # a release needs no live lease
        assert (await store.get(waiting)).status is S.SUBMITTED

    async def test_steps_outside_the_workflow_are_refused(self, store, application):
        intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
        with pytest.raises(InvalidTransition):
            await store.accept(intake_id, actor="li")  # nobody claimed it
        with pytest.raises(InvalidTransition):
            await store.transition(intake_id, S.CLAIMED, actor="li")  # claims come from a queue
        await store.claim("li", lease=LEASE, intake_id=intake_id)
        await store.accept(intake_id, actor="li")
        with pytest.raises(InvalidTransition):  # a queue message of a decided intake is spent
            await store.claim("zhao", lease=LEASE, intake_id=intake_id)
        await store.claim("zhao", lease=LEASE, intake_id=intake_id, follow_up=True)  # held, still accepted
        with pytest.raises(AlreadyClaimed):
            await store.close_intake(intake_id, actor="li", reason="x")
        await store.close_intake(intake_id, actor="zhao", reason="已办结")
        with pytest.raises(InvalidTransition) as caught:
            await store.claim("zhao", lease=LEASE, intake_id=intake_id, follow_up=True)
        assert (caught.value.from_status, caught.value.to_status) == ("closed", "claimed")
        with pytest.raises(ValueError):
            await store.reject(intake_id, actor="li", reason="  ")

    async def test_two_caseworkers_never_both_hold_an_intake(self, make_store, application):
        stores = [make_store() for _ in range(8)]
        intake_id = await stores[0].submit(application(), channel="web", user_id="u", locale="zh")

        async def grab(index: int):
            try:
                return await stores[index].claim(f"cw{index}", lease=LEASE, intake_id=intake_id)
            except AlreadyClaimed:
                return None

        claims = [c for c in await asyncio.gather(*(grab(i) for i in range(8))) if c is not None]
        assert len(claims) == 1
        assert (await stores[0].get(intake_id)).claimed_by == claims[0].worker

    async def test_expired_lease_is_audited_when_taken_over(self, make_store, application):
        clock = Clock()
        store = make_store(clock)
        intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
        first = await store.claim("li", lease=LEASE)
        assert first.intake_id == intake_id and first.attempts == 1
        assert await store.claim("zhao", lease=LEASE) is None
        clock.advance(minutes=11)
        second = await store.claim("zhao", lease=LEASE)
        assert (second.intake_id, second.attempts) == (intake_id, 2)
        with pytest.raises(AlreadyClaimed):
            await store.accept(intake_id, actor="li")
        trail = [(a.actor, a.from_status, a.to_status) for a in (await store.get(intake_id)).audit]
        assert trail[-2:] == [(SYSTEM, S.CLAIMED, S.SUBMITTED), ("zhao", S.SUBMITTED, S.CLAIMED)]

    async def test_claim_next_moves_on_from_what_the_worker_just_released(self, make_store, application):
        clock = Clock()
        store = make_store(clock)
        first = await store.submit(urgency(application(), True), channel="web", user_id="u", locale="zh")
        second = await store.submit(urgency(application(), False), channel="web", user_id="u", locale="zh")
        assert (await store.claim("li", lease=LEASE)).intake_id == first
        await store.transition(first, S.SUBMITTED, actor="li")
        assert (await store.claim("li", lease=LEASE)).intake_id == second  # not the one just given back
        assert (await store.claim("zhao", lease=LEASE)).intake_id == first  # others still get it first
        await store.transition(first, S.SUBMITTED, actor="zhao")
        await store.transition(second, S.SUBMITTED, actor="li")
        clock.advance(minutes=11)
        assert (await store.claim("li", lease=LEASE)).intake_id == first  # a while later, the usual order

    async def test_audit_log_refuses_changes(self, store, engine, application):
        await store.submit(application(), channel="web", user_id="u", locale="zh")
        for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(Exception, match="append-only"):
                async with engine.begin() as conn:
                    await conn.execute(text(statement))
        assert await count(engine, AuditEntry) == 1


class TestMoreInformation:
    async def test_answers_return_to_the_same_intake(self, store, application):
        intake_id = await store.submit(application(), channel="web", user_id="u-1", locale="zh")
        await store.claim("li", lease=LEASE, intake_id=intake_id)
        await store.pending_outbox()
        await store.mark_published(item.id for item in await store.pending_outbox())
        request_id = await store.request_more_info(
            intake_id, ["applicant.phone", "documents"], actor="li", message="请提供新的电话和诊断证明",
        )
        summary = (await store.list_for_user("web", "u-1"))[0]
        assert summary.status is S.NEEDS_INFORMATION
        assert summary.open_request.id == request_id
        assert summary.open_request.items == ("applicant.phone", "documents")
        assert summary.open_request.message == "请提供新的电话和诊断证明"

        with pytest.raises(IntakeNotFound):  # another resident cannot answer for it
            await store.return_more_info(intake_id, {"applicant.phone": "+8613900000000"}, channel="web", user_id="u-2")
        document = {"file_id": "d-1", "name": "诊断证明.pdf", "content_type": "application/pdf", "size": 2048}
        await store.return_more_info(
            intake_id, {"applicant.phone": "+8613900000000", "documents": [document]},
            staff_id="wang", channel="web", user_id="u-1",
        )
        record = await store.get(intake_id)
        assert record.status is S.SUBMITTED and record.claimed_by is None
        assert record.application["applicant"]["phone"] == "+8613900000000"
        assert record.application["applicant"]["name"] == "张三"
        assert record.application["documents"] == [document]
        assert record.attachments[-1] == type(record.attachments[-1])("d-1", "诊断证明.pdf", "application/pdf", 2048, None)
        latest = [item for item in record.answers if item.path == "applicant.phone"]
        assert [(item.value, item.entered_by) for item in latest] == [("+8613800138000", None), ("+8613900000000", "wang")]
        assert record.info_requests[0].status is InfoRequestStatus.ANSWERED
        assert record.open_request is None
        assert [item.intake_id for item in await store.pending_outbox()] == [intake_id]  # queued again
        assert [(a.from_status, a.to_status) for a in record.audit][-2:] == [
            (S.CLAIMED, S.NEEDS_INFORMATION), (S.NEEDS_INFORMATION, S.SUBMITTED),
        ]
        with pytest.raises(NoOpenRequest):
            await store.return_more_info(intake_id, {"applicant.phone": "+8613700000000"})

    async def test_closing_a_waiting_intake_withdraws_its_request(self, store, application):
        intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
        await store.claim("li", lease=LEASE, intake_id=intake_id)
        await store.request_more_info(intake_id, ["income.wages"], actor="li")
        await store.claim("li", lease=LEASE, intake_id=intake_id, follow_up=True)
        await store.close_intake(intake_id, actor="li", reason="三个月未补充材料")
        record = await store.get(intake_id)
        assert [r.status for r in record.info_requests] == [InfoRequestStatus.WITHDRAWN]
        with pytest.raises(ValueError):
            await store.request_more_info(intake_id, [], actor="li")

    async def test_notes(self, store, application):
        intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
        await store.add_note(intake_id, author="li", text="已电话联系申请人")
        await store.add_note(intake_id, author="zhao", text="复核")
        assert [(n.author, n.text) for n in (await store.get(intake_id)).notes] == [("li", "已电话联系申请人"), ("zhao", "复核")]
        with pytest.raises(IntakeNotFound):
            await store.add_note(999, author="li", text="x")


class TestAccounts:
    async def test_channel_tokens(self, store):
        token = await store.add_channel("wechat")
        assert await store.check_channel("wechat", token)
        assert not await store.check_channel("wechat", token + "x")
        assert not await store.check_channel("other", token)
        rotated = await store.add_channel("wechat")
        assert rotated != token
        assert await store.check_channel("wechat", rotated)
        assert not await store.check_channel("wechat", token)

    async def test_a_token_changed_by_another_process_counts_at_once_or_within_the_recheck(self, make_store):
        from intake.store.accounts import CHANNEL_RECHECK_SECONDS

        clock = Clock()
        server, cli = make_store(clock), make_store(clock)  # two processes on one database
        token = await cli.add_channel("wechat")
        assert await server.check_channel("wechat", token)
        rotated = await cli.add_channel("wechat")
        assert await server.check_channel("wechat", rotated)  # a new token works at once
        await cli.revoke_channel("wechat")
        clock.advance(seconds=CHANNEL_RECHECK_SECONDS / 2)
        assert await server.check_channel("wechat", rotated)  # trusted a moment longer
        assert not await server.check_channel("wechat", token)  # an old token never again
        clock.advance(seconds=CHANNEL_RECHECK_SECONDS)
        assert not await server.check_channel("wechat", rotated)  # then the revocation holds

    async def test_a_trusted_token_is_read_again_before_its_trust_runs_out(self, make_store):
        from intake.store.accounts import CHANNEL_RECHECK_SECONDS, CHANNEL_REFRESH_SECONDS

        clock = Clock()
        server, cli = make_store(clock), make_store(clock)
        token = await cli.add_channel("wechat")
        assert await server.check_channel("wechat", token)
        await cli.revoke_channel("wechat")
        clock.advance(seconds=(CHANNEL_REFRESH_SECONDS + CHANNEL_RECHECK_SECONDS) / 2)
        assert await server.check_channel("wechat", token)  # still trusted, and read again meanwhile
        await asyncio.gather(*server._refreshing.values())
        assert not await server.check_channel("wechat", token)  # refused before the trust would have run out

    async def test_a_check_in_flight_while_this_process_revokes_does_not_trust_the_old_token(self, store):
        token = await store.add_channel("wechat")
        checking = asyncio.create_task(store.check_channel("wechat", token))
        await asyncio.sleep(0)  # the check is reading the database
        assert await store.revoke_channel("wechat")
        await checking
        assert not await store.check_channel("wechat", token)

    async def test_users_and_lockout(self, make_store):
        clock = Clock()
        store = make_store(clock, max_failed_logins=3, lockout=timedelta(minutes=15))
        account = await store.add_user("li", "caseworker", "correct horse battery")
        assert (account.name, account.role) == ("li", "caseworker")
        with pytest.raises(DuplicateName):
            await store.add_user("li", "admin", "another password")
        with pytest.raises(UnknownRole):
            await store.add_user("zhao", "janitor", "another password")
        assert (await store.verify_user("li", "correct horse battery")).role == "caseworker"
        assert await store.verify_user("nobody", "correct horse battery") is None
        assert await store.verify_user("li", "wrong") is None
        assert await store.verify_user("li", "wrong again") is None
        with pytest.raises(AccountLocked) as caught:
            await store.verify_user("li", "third time wrong")
        assert caught.value.until == clock.now + timedelta(minutes=15)
        with pytest.raises(AccountLocked):  # even the right password, while locked
            await store.verify_user("li", "correct horse battery")
        clock.advance(minutes=16)
        assert (await store.verify_user("li", "correct horse battery")).name == "li"


class TestCuration:
    async def test_unanswered_questions_are_kept_encrypted(self, store, engine):
        await store.log_unanswered("我叫张三，电话13800138000，能领多少钱？", "zh")
        await store.log_unanswered("How long does it take?", "en")
        listed = await store.list_unanswered()
        assert [(q.question, q.locale) for q in listed] == [
            ("How long does it take?", "en"), ("我叫张三，电话13800138000，能领多少钱？", "zh"),
        ]
        async with engine.connect() as conn:
            stored = (await conn.execute(select(UnansweredQuestion.question))).scalars().all()
        assert all(b"13800138000" not in bytes(value) for value in stored)

    async def test_queue_stats(self, make_store, application):
        clock = Clock()
        store = make_store(clock)
        first = await store.submit(urgency(application(), False), channel="web", user_id="u", locale="zh")
        clock.advance(minutes=5)
        await store.submit(urgency(application(), True), channel="web", user_id="u", locale="zh")
        await store.submit(urgency(application(), False), channel="web", user_id="u", locale="zh")
        assert (await store.claim("li", lease=LEASE)).urgent
        stats = await store.queue_stats()
        assert (stats.waiting, stats.urgent, stats.claimed) == (2, 0, 1)
        assert stats.oldest_submitted_at == (await store.get(first)).submitted_at


async def test_sqlite_file_holds_no_plaintext_personal_data(sqlite_url, tmp_path, vault, application):
    from intake.database import create_engine, migrate
    from intake.store import SqlIntakeStore
    from tests.intake.conftest import FAST_HASHER

    engine = create_engine(sqlite_url)
    await migrate(engine)
    store = SqlIntakeStore(engine, vault, password_hasher=FAST_HASHER)
    journal = Journal(engine, vault)
    await journal.write(lines=journal.line_rows(user_key(vault, "web", "+8613800138000"),
                                                [("resident", "我的身份证号是110101199003074477，电话13800138000", None)]))
    intake_id = await store.submit(application(), channel="web", user_id="+8613800138000", locale="zh",
                                   staff_id="wang", prescreen={"reason": "人均收入18000元"})
    assert (await store.get(intake_id)).transcript
    await store.claim("li", lease=LEASE, intake_id=intake_id)
    await store.add_note(intake_id, author="li", text="张三电话13800138000已接通")
    await store.request_more_info(intake_id, ["applicant.phone"], actor="li", message="张三请提供新电话")
    await store.return_more_info(intake_id, {"applicant.phone": "+8613912345678"})
    await store.log_unanswered("我是李四，身份证11010119920307001X，电话13912345678", "zh")
    await store.add_user("li", "caseworker", "correct horse battery")
    await engine.dispose()

    files = [p for p in tmp_path.iterdir() if p.name.startswith("shanqiao.db")]
    assert files
    content = b"".join(p.read_bytes() for p in files)
    assert b"intakes" in content  # the grep reads the real database
    for secret in ("110101199003074477", "11010119920307001X", "13800138000", "13912345678", "张三", "李四",
                   "越秀区某街88号", "住院发票", "correct horse battery"):
        assert secret.encode() not in content, secret


async def test_throughput_counts_transitions(make_store, application):
    clock = Clock()
    store = make_store(clock)
    first, second = [await store.submit(application(), channel="web", user_id="u", locale="zh") for _ in range(2)]
    clock.advance(hours=1)
    since = clock.now
    for intake_id in (first, second):
        await store.claim("li", lease=LEASE, intake_id=intake_id)
    await store.accept(first, actor="li")
    assert await store.transitions_since(since) == {S.CLAIMED: 2, S.ACCEPTED: 1}


def _schema_diff(sync_connection):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from intake.models import Base

    return compare_metadata(MigrationContext.configure(sync_connection, opts={"compare_type": True}), Base.metadata)


def test_upgrade_needs_no_alembic_ini(database_url, tmp_path, monkeypatch):
    """`upgrade(url)` (synchronous, as `shanqiao db upgrade` calls it) from a directory with no alembic.ini,
    down again and up again; the migrated schema is exactly the models'."""
    import asyncio

    from alembic import command

    from intake.database import alembic_config, create_engine, upgrade

    monkeypatch.chdir(tmp_path)
    upgrade(database_url)
    upgrade(database_url)  # already at head: nothing to do

    async def diff() -> list:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(_schema_diff)
        finally:
            await engine.dispose()

    assert asyncio.run(diff()) == []
    command.downgrade(alembic_config(database_url), "base")
    upgrade(database_url)
    assert asyncio.run(diff()) == []
