"""Chinese script: what residents type in traditional characters, read in simplified ones.

Residents in Guangzhou write Hong Kong forms (點樣, 幾多, 申請) as often as Mainland ones; the tests that
tell a question from an answer, and the knowledge base, read both the same way.
"""
from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter() -> opencc.OpenCC:
    # the Hong Kong standard first: residents here write Hong Kong forms (衞, 衹) as often as Taiwan ones
    return opencc.OpenCC("hk2s")


def simplified(text: str) -> str:
    """The text in simplified characters (Cantonese words such as 攞, 啲, 冇 stay as they are)."""
    return _converter().convert(text) if text else text
