"""Which conversation a message belongs to."""
from __future__ import annotations

from dataclasses import dataclass

from intake.crypto import Vault
from intake.store.rows import user_key

CHANNEL_NAME = r"^[a-z0-9_\-]{1,32}$"  # names of HTTP chat API channels, as URLs and tokens know them


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """A resident's conversation on one channel, e.g. ("telegram", "12345") or ("api:wechat", "u1")."""

    channel: str
    user_id: str

    def hashed(self, vault: Vault) -> str:
        """The keyed hash every store files this conversation under: a user id may be a phone number."""
        return user_key(vault, self.channel, self.user_id)
