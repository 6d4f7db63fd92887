"""After the decision: referrals and the partners' answers, the household's case ledger, sampled return visits."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from intake.errors import AlreadyClaimed, InvalidTransition, NotHeld, RecordNotFound
from intake.models import IntakeStatus, ReferralStatus
from intake.models import Intake, Note
from intake.store.records import QueueQuery
from intake.submission import file_visit
from knowledge.params import load_params
from tests.intake.conftest import Clock

S, R = IntakeStatus, ReferralStatus
LEASE = timedelta(minutes=10)
PROGRAMME = {"programme": "medical-aid", "name": {"zh": "大病救助金", "en": "Serious illness fund"},
             "organisation": {"zh": "市慈善会", "en": "City Charity Federation"}}


async def test_a_referral_is_part_of_the_case_with_its_own_states(make_store, application):
    clock = Clock()
    store = make_store(clock)
    intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
    with pytest.raises(NotHeld):
        await store.add_referral(intake_id, PROGRAMME, actor="li")
    await store.claim("li", lease=LEASE, intake_id=intake_id)
    with pytest.raises(AlreadyClaimed):
        await store.add_referral(intake_id, PROGRAMME, actor="zhao")
    referral_id = await store.add_referral(intake_id, PROGRAMME, actor="li", note="住院押金")
    with pytest.raises(ValueError):
        await store.add_referral(intake_id, PROGRAMME, actor="li")  # already open with this partner
    await store.accept(intake_id, actor="li")  # and still accepted for government assistance
    assert (await store.get(intake_id)).status is S.ACCEPTED

    clock.advance(days=3)
    await store.record_referral(referral_id, R.ACCEPTED, actor="zhao")
    with pytest.raises(ValueError):
        await store.record_referral(referral_id, R.HELPED, actor="zhao")  # with what?
    clock.advance(days=7)
    helped = await store.record_referral(referral_id, R.HELPED, actor="zhao", help="住院费资助", amount=5000)
    assert helped.status is R.HELPED and helped.helped_amount == 5000
    assert [(e.status, e.actor) for e in helped.events] == [(R.SENT, "li"), (R.ACCEPTED, "zhao"), (R.HELPED, "zhao")]
    with pytest.raises(InvalidTransition):
        await store.record_referral(referral_id, R.DECLINED, actor="zhao", note="名额已满")
    with pytest.raises(RecordNotFound):
        await store.record_referral(9999, R.ACCEPTED, actor="zhao")
    second = PROGRAMME | {"programme": "school-aid"}
    await store.claim("li", lease=LEASE, intake_id=intake_id, follow_up=True)
    other = await store.add_referral(intake_id, second, actor="li")
    with pytest.raises(ValueError):
        await store.record_referral(other, R.DECLINED, actor="zhao")  # needs the partner's reason
    declined = await store.record_referral(other, R.DECLINED, actor="zhao", note="不在服务范围")
    assert declined.events[-1].note == "不在服务范围"
    assert [r.programme for r in await store.referrals(intake_id)] == ["medical-aid", "school-aid"]


async def test_the_ledger_shows_a_returning_household_whole(make_store, application):
    clock = Clock()
    store = make_store(clock)
    first = await store.submit(application(), channel="web", user_id="u", locale="zh")
    await store.claim("li", lease=LEASE, intake_id=first)
    referral = await store.add_referral(first, PROGRAMME, actor="li")
    clock.advance(minutes=5)
    await store.accept(first, actor="li", reason="符合条件")
    clock.advance(days=5)
    await store.record_referral(referral, R.HELPED, actor="li", help="药费", amount=2000)
    clock.advance(days=200)
    # a year later the spouse applies: a member of the first household is the applicant now
    spouse = application()["members"][0]
    second_record = application(applicant={**application()["applicant"], "name": spouse["name"],
                                           "id_number": spouse["id_number"]}, members=[])
    second = await store.submit(second_record, channel="web", user_id="v", locale="zh")
    ledger = await store.ledger(await store.household_key(second))
    assert [(e.intake_id, e.kind, e.what) for e in ledger] == [
        (first, "application", "submitted"), (first, "referral", "sent"), (first, "decision", "accepted"),
        (first, "referral", "helped"), (second, "application", "submitted"),
    ]
    assert ledger[3].amount == 2000 and ledger[3].detail == "药费" and ledger[2].detail == "符合条件"
    assert await store.ledger(store.vault.id_number_hash("440101199001011234")) == []


async def test_sampled_return_visits_and_their_rates(make_store, application):
    store = make_store()
    closed = []
    for n in range(6):
        intake_id = await store.submit(application(), channel="web", user_id=f"u{n}", locale="zh")
        await store.claim("li", lease=LEASE, intake_id=intake_id)
        await store.accept(intake_id, actor="li")
        await store.claim("li", lease=LEASE, intake_id=intake_id, follow_up=True)
        await store.close_intake(intake_id, actor="li", reason="已办结")
        closed.append(intake_id)
    await store.submit(application(), channel="web", user_id="open", locale="zh")  # never drawn: not closed
    sample, chosen = await store.draw_sample(4, actor="boss")
    assert len(chosen) == 4 and set(chosen) <= set(closed)
    _, rest = await store.draw_sample(10, actor="boss")
    assert sorted(rest + chosen) == sorted(closed)  # nobody drawn twice
    assert (await store.draw_sample(3, actor="boss"))[1] == []
    with pytest.raises(ValueError):
        await store.draw_sample(0, actor="boss")
    pending = await store.return_visits()
    assert len(pending) == 6
    first, second, third = [v for v in pending if v.sample == sample][:3]
    await store.record_visit(first.id, "helped", actor="wang", note="钱已到账")
    await store.record_visit(second.id, "unreached", actor="wang")
    with pytest.raises(ValueError):  # a household still in need is filed again, with the visit
        await store.record_visit(third.id, "still_in_need", actor="wang", note="又住院了")
    await file_visit(store, third.id, actor="wang", note="又住院了", params=load_params(), vault=store.vault)
    with pytest.raises(ValueError):
        await store.record_visit(first.id, "reached", actor="wang")  # recorded once
    with pytest.raises(ValueError):
        await store.record_visit(pending[-1].id, "maybe", actor="wang")
    rates = {r.sample: r for r in await store.follow_up_rates()}
    rate = rates[sample]
    assert (rate.drawn, rate.called, rate.reached, rate.helped, rate.still_in_need) == (4, 3, 2, 1, 1)
    assert len(await store.return_visits()) == 3


async def test_a_residents_reply_is_flagged_until_the_next_decision(store, application):
    intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
    await store.claim("li", lease=LEASE, intake_id=intake_id)
    await store.request_more_info(intake_id, ["applicant.phone"], actor="li")
    await store.return_more_info(intake_id, {"applicant.phone": "+8613900000000"})
    [row] = (await store.queue_page(QueueQuery())).rows
    assert row.replied and row.status is S.SUBMITTED
    await store.claim("li", lease=LEASE, intake_id=intake_id)
    await store.accept(intake_id, actor="li")
    [row] = (await store.queue_page(QueueQuery())).rows
    assert not row.replied


class StoreFails(Exception):
    """The database failing under the store at a chosen statement."""


def fail_at(engine, fragment: str, nth: int = 1):
    """Make the `nth` statement containing `fragment` fail, at the real engine (no store method replaced)."""
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if fragment in statement:
            seen.append(statement)
            if len(seen) == nth:
                raise StoreFails(fragment)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    return lambda: event.remove(engine.sync_engine, "before_cursor_execute", before)


async def _closed_visit(store, application):
    intake_id = await store.submit(application(), channel="web", user_id="u", locale="zh")
    await store.claim("li", lease=LEASE, intake_id=intake_id)
    await store.accept(intake_id, actor="li")
    await store.claim("li", lease=LEASE, intake_id=intake_id, follow_up=True)
    await store.close_intake(intake_id, actor="li", reason="已办结")
    _, [drawn] = await store.draw_sample(1, actor="boss")
    [visit] = [v for v in await store.return_visits() if v.intake_id == drawn]
    return intake_id, visit


async def _intakes(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(Intake))).scalar_one()


@pytest.mark.parametrize("fragment, nth", [("INSERT INTO notes", 1), ("INSERT INTO audit", 1),
                                           ("FROM return_visits", 2)])
async def test_a_return_visit_with_new_need_files_one_intake_whatever_fails(engine, store, application,
                                                                              fragment, nth):
    """The visit, the new intake, its screening, queue row, audit and note go in one transaction keyed by
    the visit: a failure before the commit leaves nothing, one after it is found again on the retry."""
    old, visit = await _closed_visit(store, application)
    before = await _intakes(engine)
    file = lambda: file_visit(store, visit.id, actor="wang", note="又住院了", params=load_params(),  # noqa: E731
                              vault=store.vault)
    remove = fail_at(engine, fragment, nth)
    try:
        with pytest.raises(StoreFails):
            await file()
    finally:
        remove()
    committed = fragment == "FROM return_visits"  # failed on the read after the filing
    assert await _intakes(engine) == before + committed
    assert ((await store.return_visit(visit.id)).outcome is not None) == committed
    recorded = await file()  # the caseworker records it again
    assert await _intakes(engine) == before + 1
    assert recorded.outcome == "still_in_need" and recorded.note == "又住院了"
    new = await store.get(recorded.new_intake_id)
    assert new.status is S.SUBMITTED and new.application == (await store.get(old)).application
    assert [n.text for n in new.notes] == [f"[{visit.sample}] #{old} 又住院了"]
    assert new.prescreen["prescreen"]["programmes"] and new.prescreen["duplicates"][0]["intake_id"] == old
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(Note)
                                   .where(Note.intake_id == new.id))).scalar_one() == 1
    with pytest.raises(ValueError):  # a visit is recorded once
        await store.record_visit(visit.id, "helped", actor="wang")
