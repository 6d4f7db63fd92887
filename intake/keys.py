"""The one place Redis key names are built: `<prefix>:<kind>:<part>:...`.

Parts that name a resident are keyed hashes (see `ConversationKey.hashed`), never raw user ids.
"""
from __future__ import annotations


def redis_key(prefix: str, kind: str, *parts: object) -> str:
    """e.g. redis_key("shanqiao", "state", "3f2a…") -> "shanqiao:state:3f2a…"."""
    return ":".join((prefix, kind, *(str(part) for part in parts)))
