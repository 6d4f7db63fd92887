"""Bad updates get a clear reply and change nothing: odd content, edits, refused files, stale buttons, repeats."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from bot.conversation import ConversationKey
from dialogs.texts import t
from intake.models import ProcessedUpdate
from tests import golden
from tests.telegram.harness import TelegramResident, check_telegram_application, running_bot

CHAT = 700100
MB = 1024 * 1024
TURN_TABLES = ("conversations", "transcript_lines", "processed_updates")
# What a turn may change although it answers nothing: the question counter and the transcript.
PROGRESS = ("flow", "step", "item", "answers", "history", "pending", "locale")


async def progress(services, chat_id=CHAT):
    state = await services.states.get(ConversationKey("telegram", str(chat_id)))
    return {key: state.get(key) for key in PROGRESS}


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_bad_updates_get_a_reply_and_keep_progress(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook",
                           max_attachment_bytes=1 * MB) as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:3])
        consent_question = fake.message_with_button(CHAT, "agree")  # answered, so its buttons are gone
        assert "reply_markup" not in consent_question
        before = await progress(services)
        assert before["step"] == "applicant.name"
        stored_files = set(services.files.directory.iterdir())

        bad = [
            (fake.sticker(CHAT), t("zh", "unsupported")),
            (fake.voice(CHAT), t("zh", "voice")),
            (fake.location(CHAT), t("zh", "unsupported")),
            (fake.edit(CHAT, 1, "你好呀"), t("zh", "edited")),
            (fake.document(CHAT, b"%PDF-1.4", name="scan.pdf", mime_type="application/pdf", reported_size=2 * MB),
             t("zh", "file.too_large", limit=1)),
            (fake.document(CHAT, b"PK\x03\x04", name="notes.docx", mime_type="application/msword"),
             t("zh", "file.type")),
            (fake.text(CHAT, "/frobnicate"), t("zh", "unknown_command")),
            (fake.press_on(consent_question, "agree"), t("zh", "old_keyboard")),
        ]
        for update, expected in bad:
            await resident.send(update)
            assert expected in resident.said(), update
            # Every bad update is followed by the question again, with a way forward.
            assert "姓名" in resident.said()
            assert await progress(services) == before
        # Refused files were never downloaded, so nothing was stored.
        assert not fake.calls_to("getFile")
        assert set(services.files.directory.iterdir()) == stored_files

        # The application goes on as if nothing had happened.
        await resident.replay(golden.steps()[3:])
        [summary] = await services.intakes.list_for_user("telegram", str(CHAT))
        check_telegram_application((await services.intakes.get(summary.id)).application)


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_a_repeated_update_is_processed_once(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling") as app:
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:3])
        name = fake.text(CHAT, "陈美玲")
        await resident.send(name)
        after_name = await progress(app.state.services)
        assert after_name["step"] == "applicant.id_number"
        # Telegram delivers the same update again (e.g. after a lost confirmation).
        calls = await resident.send(name, reply=False)
        assert calls == [] and fake.confirmed >= name["update_id"]
        assert await progress(app.state.services) == after_name


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_an_update_is_marked_done_in_its_turns_one_commit(tmp_path, fake, runtime):
    """On the embedded default the update's id rides in the turn's commit with its state and lines."""
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling") as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:3])
        statements, transactions = {}, []  # what each connection ran, and each committed transaction
        engine = services.engine.sync_engine
        event.listen(engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *rest: statements.setdefault(id(conn), []).append(statement))
        event.listen(engine, "commit", lambda conn: transactions.append(statements.pop(id(conn), [])))
        name = fake.text(CHAT, "陈美玲")
        await resident.send(name)
        turn = [t for t in transactions if any(table in s for s in t for table in TURN_TABLES)]
        # one transaction: the state, the transcript lines and the update's id together
        assert len(turn) == 1 and all(any(table in s for s in turn[0]) for table in TURN_TABLES), transactions
        async with services.engine.connect() as conn:
            done = (await conn.execute(select(ProcessedUpdate.update_id))).scalars().all()
        assert name["update_id"] in done
        lines = await services.transcripts.lines(ConversationKey("telegram", str(CHAT)).hashed(services.vault))
        assert ("resident", "陈美玲") in [(line["who"], line["text"]) for line in lines]
        assert await resident.send(name, reply=False) == []  # delivered again: taken once
        assert (await progress(services))["step"] == "applicant.id_number"


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_files_over_the_bot_api_download_limit_are_refused(tmp_path, fake, runtime):
    # Our own limit above Telegram's 20 MB: Telegram's getFile refusal must still read as "too large".
    async with running_bot(tmp_path, fake, runtime=runtime, mode="webhook", max_attachment_bytes=30 * MB) as app:
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:3])
        before = await progress(app.state.services)
        await resident.send(fake.photo(CHAT, golden.JPEG, reported_size=25 * MB))
        assert t("zh", "file.too_large", limit=30) in resident.said()
        assert [c.status for c in fake.calls_to("getFile")] == [400]
        assert await progress(app.state.services) == before


async def test_updates_from_groups_are_ignored(tmp_path, fake):
    async with running_bot(tmp_path, fake, runtime="aiogram", mode="webhook") as app:
        update = fake.text(CHAT, "大家好")
        update["message"]["chat"] = {"id": -100777, "type": "group", "title": "街坊"}
        assert await fake.push(update) == 200
        assert not fake.calls_to("sendMessage")
        assert await app.state.services.states.get(ConversationKey("telegram", "-100777")) is None
