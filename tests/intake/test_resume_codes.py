"""Resume codes on every SQL backend: made, kept, checked with the phone's last four digits, moved; guesses counted."""
from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from sqlalchemy import insert, select

from bot.state.journal import Journal
from dialogs.resume_codes import ALPHABET, canonical, shown
from intake.database import create_engine, migrate
from intake.models import IntakeStatus, Notice, ResumeCode, utcnow
from intake.store import RESIDENT
from intake.store.attempts import SqlAttempts
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


async def test_right_digits_open_the_conversation_and_nothing_is_counted_on_the_code(engine, vault):
    codes = ResumeCodes(engine, vault)
    code, new = await codes.keep("telegram", "4242", "8000")
    assert new
    assert (await codes.find(code)).holder == Holder("telegram", "4242")
    for _ in range(20):  # a stranger's wrong digits never lock the code: guessers are limited instead
        wrong = await codes.check(shown(code), "1234")
        assert wrong.status is CheckStatus.WRONG and wrong.holder is None
    assert (await codes.check(code, "8000")).status is CheckStatus.OK
    assert (await codes.check(code.lower(), "8000")).holder == Holder("telegram", "4242")
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


async def test_attempts_are_counted_per_key_in_a_window_from_the_first(engine):
    clock = Clock()
    attempts = SqlAttempts(engine, window=timedelta(hours=1), clock=clock)
    counted = []
    for _ in range(4):
        counted.append(await attempts.hit("guesser-a"))
        clock.advance(minutes=5)
    assert [a.count for a in counted] == [1, 2, 3, 4]
    assert [int(a.wait.total_seconds() // 60) for a in counted] == [60, 55, 50, 45]
    assert (await attempts.hit("guesser-b")).count == 1  # another guesser has its own count
    clock.advance(minutes=41)  # the window from the first attempt has passed: counting starts afresh
    fresh = await attempts.hit("guesser-a")
    assert fresh.count == 1 and fresh.wait == timedelta(hours=1)


async def test_attempts_from_many_connections_at_once_are_all_counted(database_url):
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        await migrate(engines[0])
        counters = [SqlAttempts(e, window=timedelta(hours=1)) for e in engines]
        counts = await asyncio.gather(*(counters[n % 2].hit("same") for n in range(40)))
        assert sorted(a.count for a in counts) == list(range(1, 41))
    finally:
        for e in engines:
            await e.dispose()


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
