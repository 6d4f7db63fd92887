"""Resume codes on every SQL backend: made, kept, checked with the phone's last four digits, limited, moved."""
from __future__ import annotations

import re

from sqlalchemy import insert, select

from bot.state.journal import Journal
from dialogs.resume_codes import ALPHABET, canonical, shown
from intake.models import IntakeStatus, Notice, ResumeCode, utcnow
from intake.store import RESIDENT
from intake.store.resume import CheckStatus, Holder, ResumeCodes
from intake.store.transcripts import TranscriptLog
from intake.store.rows import user_key
from tests.intake.conftest import Clock

S = IntakeStatus


async def test_a_code_is_eight_unambiguous_characters_and_only_its_hashes_are_stored(engine, vault):
    codes = ResumeCodes(engine, vault)
    made = {(await codes.keep("web", f"visitor-{n}", "8000"))[0] for n in range(30)}
    assert len(made) == 30
    for code in made:
        assert re.fullmatch(f"[{ALPHABET}]{{8}}", code) and not set(code) & set("01OILU")
        assert canonical(shown(code).lower().replace("-", " ")) == code
    async with engine.connect() as conn:
        rows = (await conn.execute(select(ResumeCode.__table__))).all()
    stored = repr([tuple(row) for row in rows])
    assert len(rows) == 30
    for code in made:  # neither the code nor the visitor id is kept in clear
        assert code not in stored and shown(code) not in stored
    assert "visitor-" not in stored
    # the digits are kept only inside a keyed hash: no column holds them (a search of the text would
    # find "8000" inside a hex hash now and then)
    assert all(value not in ("8000", b"8000") for row in rows for value in row)


async def test_right_digits_open_the_conversation_wrong_ones_are_counted(engine, vault):
    codes = ResumeCodes(engine, vault)
    code, new = await codes.keep("telegram", "4242", "8000")
    assert new
    assert (await codes.find(code)).holder == Holder("telegram", "4242")
    assert (await codes.check(code, "8000")) .status is CheckStatus.OK
    wrong = await codes.check(shown(code), "1234")
    assert wrong.status is CheckStatus.WRONG and wrong.tries_left == 4
    assert (await codes.check(code.lower(), "8000")).holder == Holder("telegram", "4242")
    # a right answer clears the count
    assert (await codes.check(code, "1111")).tries_left == 4
    assert (await codes.check("ZZZZ-ZZZZ", "8000")).status is CheckStatus.UNKNOWN
    assert (await codes.check("not a code", "8000")).status is CheckStatus.UNKNOWN
    assert (await codes.find("ZZZZZZZZ")).status is CheckStatus.UNKNOWN


async def test_a_corrected_phone_keeps_the_code_with_new_digits(engine, vault):
    codes = ResumeCodes(engine, vault)
    code, _ = await codes.keep("web", "v1", "8000")
    assert await codes.keep("web", "v1", "9999", code) == (code, False)
    assert (await codes.check(code, "8000")).status is CheckStatus.WRONG
    assert (await codes.check(code, "9999")).status is CheckStatus.OK
    # a code that opens another conversation is never taken over by keeping it: a new one is made
    other, new = await codes.keep("web", "v2", "5555", code)
    assert new and other != code
    assert (await codes.find(code)).holder == Holder("web", "v1")


async def test_five_wrong_tries_an_hour_then_the_code_waits(engine, vault):
    clock = Clock()
    codes = ResumeCodes(engine, vault, clock=clock)
    code, _ = await codes.keep("web", "v1", "8000")
    lefts = []
    for _ in range(4):
        lefts.append((await codes.check(code, "0000")).tries_left)
        clock.advance(minutes=5)
    assert lefts == [4, 3, 2, 1]
    locked = await codes.check(code, "0000")
    assert locked.status is CheckStatus.LOCKED and 39 * 60 < locked.wait.total_seconds() <= 40 * 60
    # while it waits even the right digits are refused, and the resident is told how long
    clock.advance(minutes=30)
    refused = await codes.check(code, "8000")
    assert refused.status is CheckStatus.LOCKED and refused.holder is None
    assert 9 * 60 < refused.wait.total_seconds() <= 10 * 60
    found = await codes.find(code)
    assert found.status is CheckStatus.LOCKED and found.holder == Holder("web", "v1")  # staff may still open it
    clock.advance(minutes=11)
    assert (await codes.check(code, "8000")).status is CheckStatus.OK
    # the count starts afresh after a window
    assert (await codes.check(code, "0000")).tries_left == 4


async def test_wrong_tries_from_an_old_window_are_forgotten(engine, vault):
    clock = Clock()
    codes = ResumeCodes(engine, vault, clock=clock)
    code, _ = await codes.keep("web", "v1", "8000")
    for _ in range(3):
        await codes.check(code, "0000")
    clock.advance(minutes=61)
    assert (await codes.check(code, "0000")).tries_left == 4


async def test_moving_takes_the_intakes_and_unfiled_lines_along_and_audits_it(engine, vault, make_store, application):
    store = make_store()
    codes = ResumeCodes(engine, vault)
    transcripts = TranscriptLog(engine, vault)
    old, new = user_key(vault, "web", "phone-a"), user_key(vault, "api:partner", "laptop-b")
    first = await store.submit(application(), channel="web", user_id="phone-a", locale="zh")
    elsewhere = await store.submit(application(), channel="web", user_id="someone-else", locale="zh")
    journal = Journal(engine, vault)
    await journal.write(lines=journal.line_rows(old, [("resident", "一个新申请", None)]))
    code, _ = await codes.keep("web", "phone-a", "8000")
    # a decision notice waiting for a retry, and one delivered long ago
    async with engine.begin() as conn:
        for delivered in (None, utcnow()):
            await conn.execute(insert(Notice).values(
                intake_id=first, channel="web", user_id=vault.encrypt_text("phone-a"), body=vault.encrypt(b"[]"),
                created_at=utcnow(), attempts=1, due_at=None if delivered else utcnow(), delivered_at=delivered))

    assert await codes.move(code, "api:partner", "laptop-b", actor=RESIDENT) == [first]
    async with engine.connect() as conn:
        notices = (await conn.execute(select(Notice.channel, Notice.user_id, Notice.delivered_at)
                                      .order_by(Notice.id))).all()
    # the waiting notice goes where the resident now is; the delivered one keeps where it was delivered
    assert [(n.channel, vault.decrypt_text(n.user_id)) for n in notices] == [("api:partner", "laptop-b"),
                                                                             ("web", "phone-a")]
    assert (await codes.find(code)).holder == Holder("api:partner", "laptop-b")
    moved = await store.get(first)
    assert (moved.channel, moved.user_id) == ("api:partner", "laptop-b")
    assert [s.id for s in await store.list_for_user("api:partner", "laptop-b")] == [first]
    assert await store.list_for_user("web", "phone-a") == []
    assert (await store.get(elsewhere)).user_id == "someone-else"
    entry = moved.audit[-1]
    assert (entry.actor, entry.from_status, entry.to_status) == (RESIDENT, S.SUBMITTED, S.SUBMITTED)
    assert "web -> api:partner" in entry.reason
    assert [line["text"] for line in await transcripts.lines(new)] == ["一个新申请"]
    assert await transcripts.lines(old) == []
    # moving to where it already is changes nothing
    assert await codes.move(code, "api:partner", "laptop-b", actor=RESIDENT) == []
    # and it can move back
    assert await codes.move(code, "web", "phone-a", actor="liu") == [first]
    assert (await store.get(first)).audit[-1].actor == "liu"
