"""Webhook settings: the URL Telegram gets, the path served, the secret it must send back."""
from __future__ import annotations

import pytest

from bot.telegram.webhook import DEFAULT_PATH, webhook_endpoint, webhook_secret


@pytest.mark.parametrize("url, expected", [
    ("https://bot.example.org", ("https://bot.example.org" + DEFAULT_PATH, DEFAULT_PATH)),
    ("https://bot.example.org/", ("https://bot.example.org" + DEFAULT_PATH, DEFAULT_PATH)),
    ("https://example.org/shanqiao/tg", ("https://example.org/shanqiao/tg", "/shanqiao/tg")),
])
def test_endpoint(url, expected):
    assert webhook_endpoint(url) == expected


def test_derived_secret_is_stable_per_key_and_acceptable_to_telegram():
    first = webhook_secret(configured=None, secret_key="key-one")
    assert first == webhook_secret(configured=None, secret_key="key-one")
    assert first != webhook_secret(configured=None, secret_key="key-two")
    assert webhook_secret(configured=first, secret_key="ignored") == first
    assert webhook_secret(configured="", secret_key="key-one") == first  # an empty variable counts as unset
    assert first.isalnum() and len(first) <= 256


@pytest.mark.parametrize("bad", ["has space", "ünïcode", "x" * 257])
def test_configured_secret_must_suit_telegram(bad):
    with pytest.raises(ValueError):
        webhook_secret(configured=bad, secret_key="key")
