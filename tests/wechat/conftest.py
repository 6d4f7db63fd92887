"""Fixtures for the WeChat tests: the fake WeChat server, plain and safe mode."""
from __future__ import annotations

import pytest

from tests.wechat.fake_wechat import FakeWechat


@pytest.fixture
async def fake():
    """A fake WeChat in plain mode."""
    async with FakeWechat() as server:
        yield server


@pytest.fixture(params=["plain", "safe"])
async def any_mode(request):
    """A fake WeChat in plain mode, then in safe mode."""
    async with FakeWechat(safe=request.param == "safe") as server:
        yield server
