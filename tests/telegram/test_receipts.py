"""Receipts: photos, files and albums are fetched through the Bot API and kept with the expense."""
from __future__ import annotations

import asyncio
import io

import pytest

from bot.conversation import ConversationKey
from dialogs.texts import t
from tests import golden
from tests.telegram.harness import TelegramResident, running_bot

CHAT = 700300
AT_RECEIPTS = next(i for i, (kind, _) in enumerate(golden.steps()) if kind == "file")


def _blank_pdf() -> bytes:
    """A PDF of one blank page (a PDF without pages is refused as damaged)."""
    import pypdfium2 as pdfium

    document, out = pdfium.PdfDocument.new(), io.BytesIO()
    document.new_page(200, 300)
    document.save(out)
    return out.getvalue()


PDF = _blank_pdf()


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_an_album_counts_as_several_receipts(tmp_path, fake, runtime, mode):
    async with running_bot(tmp_path, fake, runtime=runtime, mode=mode) as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:AT_RECEIPTS])
        album = fake.album(CHAT, [golden.JPEG, golden.JPEG + b"\x00", golden.JPEG + b"\x00\x00"])
        for update in album:
            await resident.send(update)
        await resident.send(fake.document(CHAT, PDF, name="住院发票.pdf", mime_type="application/pdf"))
        assert t("zh", "receipt.reading") in resident.said()  # acknowledged at once, read in the background
        await services.reading.settled(ConversationKey("telegram", str(CHAT)))

        state = await services.states.get(ConversationKey("telegram", str(CHAT)))
        receipts = state["answers"]["spending"]["receipts"]
        assert [r["content_type"] for r in receipts] == ["image/jpeg"] * 3 + ["application/pdf"]
        assert receipts[3]["name"] == "住院发票.pdf"
        stored = [await services.files.read(r["file_id"]) for r in receipts]
        assert stored == [golden.JPEG, golden.JPEG + b"\x00", golden.JPEG + b"\x00\x00", PDF]
        # Each photo was fetched at its largest size, never as the thumbnail.
        fetched = {c.params["file_id"] for c in fake.calls_to("getFile")}
        thumbnails = {update["message"]["photo"][0]["file_id"] for update in album}
        assert len(fetched) == 4 and not fetched & thumbnails


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_an_album_sent_at_once_gets_one_reply(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling") as app:
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:AT_RECEIPTS])
        since = len(fake.calls)
        album = fake.album(CHAT, [golden.JPEG, golden.JPEG + b"\x00", golden.JPEG + b"\x00\x00", golden.JPEG + b"\x01"])
        for update in album:  # as Telegram delivers an album: all its photos at once
            await fake.push(update)
        calls = await fake.settle(CHAT, since=since, update_id=album[-1]["update_id"], quiet=1.5)
        sent = [c.params["text"] for c in calls if c.name == "sendmessage" and c.status == 200]
        assert sum(t("zh", "receipt.reading") in text for text in sent) == 1, sent  # the album answered once
        await app.state.services.reading.settled(ConversationKey("telegram", str(CHAT)))
        state = await app.state.services.states.get(ConversationKey("telegram", str(CHAT)))
        assert len(state["answers"]["spending"]["receipts"]) == 4
        # the next answer still follows the album, not before it
        await resident.option("_done")
        assert resident.said()


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_stopping_the_bot_lets_a_turn_in_progress_finish(tmp_path, fake, runtime):
    async with running_bot(tmp_path, fake, runtime=runtime, mode="polling") as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps()[:AT_RECEIPTS])
        fake.slow("getFile", 1.0)
        photo = fake.photo(CHAT, golden.JPEG)
        since = len(fake.calls)
        await fake.push(photo)
        while not fake.calls_to("getFile"):
            await asyncio.sleep(0.02)
    # The app has shut down; the photo that was being fetched was still stored and answered.
    sent = [c for c in fake.calls[since:] if c.name == "sendmessage"]
    assert sent and all(c.status == 200 for c in sent)
    told = "\n".join(c.params["text"] for c in sent)
    assert t("zh", "receipt.reading") in told
    assert t("zh", "receipt.problem.unreadable", n=1) in told  # read and told before the bot stopped
    state = await services.states.get(ConversationKey("telegram", str(CHAT)))
    assert len(state["answers"]["spending"]["receipts"]) == 1
