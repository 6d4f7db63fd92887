"""What the WeChat channel is started with, as the wiring reads it from the settings."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WechatSetup:
    """The service account's AppID and secrets, its API address, and what its notices and answers carry."""

    appid: str
    secret: str
    token: str  # the callback's token, as entered in WeChat's server settings
    aes_key: str | None = None  # unset: plain mode
    api_base: str | None = None
    notice_template: str | None = None
    max_media_bytes: int = 10 * 1024 * 1024
    hotline: str = "12345"
    locale: str = "zh"
    redis_prefix: str = "shanqiao"
