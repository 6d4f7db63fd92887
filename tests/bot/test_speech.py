"""Read-aloud on the server: espeak-ng's WAV for Mandarin, Cantonese and English, kept once per text (never
a text with digits, which may be the resident's own), and a 4xx for every malformed request."""
from __future__ import annotations

import shutil

import pytest

from bot.webchat import SPEECH_BURST
from tests.conftest import IN_CI

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None and not IN_CI, reason="espeak-ng is not installed")


def wav_seconds(audio: bytes) -> float:
    """The length of a 16-bit mono WAV as espeak-ng writes it (its header sizes are left open on stdout)."""
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    rate = int.from_bytes(audio[24:28], "little")
    return (len(audio) - 44) / (2 * rate)


@pytest.mark.parametrize("text, lang", [("请问您家里有几口人？", "zh"), ("请问你屋企有几多人？", "yue"),
                                        ("How many people live in your household?", "en")])
async def test_a_message_is_read_in_its_language_and_kept_once(api, text, lang):
    response = await api.post("/web/speech", json={"text": text, "lang": lang})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    assert 1.0 < wav_seconds(response.content) < 15
    var = api.app.state.services.settings.var_dir / "speech"
    kept = list(var.glob("*.wav"))
    assert len(kept) == 1 and kept[0].read_bytes() == response.content
    again = await api.post("/web/speech", json={"text": text, "lang": lang})
    assert again.content == response.content and list(var.glob("*.wav")) == kept


async def test_numbers_are_read_as_words_and_never_kept(api):
    spoken = await api.post("/web/speech", json={"text": "1,309 元", "lang": "zh"})
    # 一千三百零九元 is six syllables; the digits one by one with "comma" would be far shorter or longer
    assert spoken.status_code == 200 and 1.0 < wav_seconds(spoken.content) < 4
    words = await api.post("/web/speech", json={"text": "一千三百零九 元", "lang": "zh"})
    assert spoken.content == words.content
    assert [p.read_bytes() for p in (api.app.state.services.settings.var_dir / "speech").glob("*.wav")] == \
        [words.content]  # only the text without digits was kept


@pytest.mark.parametrize("body", [{}, {"text": "", "lang": "zh"}, {"text": "   ", "lang": "zh"},
                                  {"text": "你好", "lang": "fr"}, {"text": "你好"}, {"text": 5, "lang": "zh"},
                                  {"text": "长" * 1001, "lang": "zh"}, {"text": "你好", "lang": "zh", "voice": "x"}])
async def test_a_malformed_request_gets_a_4xx(api, body):
    response = await api.post("/web/speech", json=body)
    assert response.status_code == 422, response.text


async def test_a_body_that_is_not_json_gets_a_4xx(api):
    response = await api.post("/web/speech", content=b"text=hello", headers={"Content-Type": "text/plain"})
    assert 400 <= response.status_code < 500


async def test_reading_aloud_has_its_own_limit_a_minute(api):
    answers = [(await api.post("/web/speech", json={"text": "您好", "lang": "zh"})).status_code
               for _ in range(SPEECH_BURST + 1)]
    assert answers[:SPEECH_BURST] == [200] * SPEECH_BURST and answers[-1] == 429
    chat = await api.post("/web/chat", json={"text": "/start"})
    assert chat.status_code == 200  # the chat's own budget is untouched
