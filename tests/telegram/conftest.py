"""Fixtures for the Telegram tests: the fake Bot API server and a Redis key space."""
from __future__ import annotations

import pytest

from tests.telegram.fake_bot_api import FakeBotAPI


@pytest.fixture
async def fake():
    """A fresh fake Telegram Bot API server on 127.0.0.1."""
    async with FakeBotAPI() as server:
        yield server
