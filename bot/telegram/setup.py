"""What the Telegram channel is started with, as the wiring reads it from the settings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class TelegramSetup:
    """The bot's token and runtime, where its API is, and webhook or polling (`webhook_url` None: polling)."""

    token: str
    runtime: Literal["aiogram", "ptb"] = "aiogram"
    api_base: str | None = None
    webhook_url: str | None = None
    webhook_secret: str = ""  # what Telegram sends back with every webhook update (resolved by the wiring)
    locale: str = "zh"  # the command menu's default language
    redis_prefix: str = "shanqiao"

    @property
    def bot_id(self) -> int:
        """The bot's numeric id: the token's first part."""
        return int(self.token.split(":", 1)[0])
