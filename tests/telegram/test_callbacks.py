"""Callback data: the keyboard's question counter travels with the option and comes back intact."""
from __future__ import annotations

import pytest

from bot.telegram.callbacks import MAX_CALLBACK_BYTES, Press, decode_press, encode_press


@pytest.mark.parametrize("asked, value", [(0, "yes"), (17, "_done"), (123456, "serious_illness"), (None, "resume")])
def test_round_trip(asked, value):
    assert decode_press(encode_press(asked, value)) == Press(asked, value)


def test_values_with_colons_survive():
    assert decode_press(encode_press(3, "a:b")) == Press(3, "a:b")


def test_too_long_for_telegram_is_refused():
    with pytest.raises(ValueError):
        encode_press(1, "x" * MAX_CALLBACK_BYTES)


@pytest.mark.parametrize("data", [None, "", "yes", "x:yes", "3:", "-1:yes", "３:yes"])
def test_foreign_or_broken_data_is_not_a_press(data):
    assert decode_press(data) is None
