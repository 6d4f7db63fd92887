"""Which conversation a message belongs to."""
from __future__ import annotations

from dataclasses import dataclass

CHANNEL_NAME = r"^[a-z0-9_\-]{1,32}$"  # names of HTTP chat API channels, as URLs and tokens know them


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """A resident's conversation on one channel, e.g. ("telegram", "12345") or ("api:wechat", "u1")."""

    channel: str
    user_id: str

    def storage_key(self, prefix: str, kind: str = "state") -> str:
        """The one place key strings are built."""
        return f"{prefix}:{kind}:{self.channel}:{self.user_id}"
