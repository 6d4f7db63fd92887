"""Hostile images and PDFs (decompression bombs, polyglots, truncated files) get a plain refusal in the
resident's language, never a 500: at receiving, at reading, on every step."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from bot.conversation import ConversationKey
from dialogs.texts import t
from intake.receipts import read_bytes, refusal
from tests import golden
from tests.bot.conftest import Resident, channel_token, make_settings, running

STEPS = golden.steps("zh")
AMOUNT_STEP = STEPS.index(("option", "medical")) + 2


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(buffer, "JPEG")
    return buffer.getvalue()


PHOTO = _photo()
# name: (content, what the resident is told at once: a refusal key, or None when the file is taken and read)
HOSTILE = {
    "png declaring 20000x20000": (_png_header(20000, 20000), "file.image_too_large"),
    "png declaring 9500x9500": (_png_header(9500, 9500), "file.image_too_large"),
    "17-byte jpeg declaring 65500x65500": (b"\xff\xd8\xff\xc0\x00\x11\x08\xff\xdc\xff\xdc\x03\x01\x22\x00\x02\x11",
                                           "file.damaged"),
    "pdf header before a jpeg": (b"%PDF-1.4\n" + PHOTO, "file.damaged"),
    "broken pdf": (b"%PDF-1.7\n1 0 obj<</Type/Pages/Kids[2 0 R]>>", "file.damaged"),
    "truncated jpeg": (PHOTO[:len(PHOTO) // 2], None),
    "jpeg with a zip after it": (PHOTO + b"PK\x03\x04" + b"\0" * 30, None),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_the_reader_never_raises(name):
    data, _ = HOSTILE[name]
    assert refusal(data) in (None, "damaged", "image_too_large")
    read_bytes(data)  # a Receipt, perhaps with a problem; never an exception


async def test_hostile_files_are_refused_plainly_and_never_a_500(tmp_path):
    async with running(make_settings(tmp_path)) as client:
        services = client.app.state.services
        resident = Resident(client, await channel_token(client), user_id="hostile")
        for name, (data, refused) in HOSTILE.items():  # before the application: refused or "not now"
            response = await resident.post(files={"file": ("receipt.jpg", data, "image/jpeg")})
            assert response.status_code == 200, (name, response.text)
            assert t("zh", refused or "file.not_now", limit=10) in resident.said(), name
        await resident.replay(STEPS[:AMOUNT_STEP])
        for name, (data, refused) in HOSTILE.items():  # at the receipts of a spending amount
            response = await resident.post(files={"file": ("receipt.jpg", data, "image/jpeg")})
            assert response.status_code == 200, (name, response.text)
            said = resident.said()
            assert (t("zh", refused, limit=10) if refused else "收到，正在识别") in said, (name, said)
            assert resident.step == "spending.medical"
        await services.reading.settled(ConversationKey("api:partner", resident.user_id))
        response = await client.get(f"{resident.url}/messages", headers={"Authorization": f"Bearer {resident.token}"})
        told = "\n".join(r["text"] for r in response.json()["replies"])
    assert t("zh", "receipt.problem.damaged", n=1) in told  # the truncated photo, once read
    assert "Received" not in told and "Traceback" not in told
