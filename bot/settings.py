"""Settings from the environment (prefix SHANQIAO_) and `.env`; the only place they are read."""
from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Deployment settings; every field has a working embedded default."""

    model_config = SettingsConfigDict(env_prefix="SHANQIAO_", env_file=".env", extra="ignore")

    var_dir: Path = Path("var")
    database_url: str | None = None
    redis_url: str | None = None
    redis_prefix: str = "shanqiao"
    telegram_token: str | None = None
    bot_runtime: Literal["aiogram", "ptb"] = "aiogram"
    telegram_api_base: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    secret_key: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    locale: Literal["zh", "en"] = "zh"
    host: str = "127.0.0.1"
    port: int = 8000
    log_json: bool = False
    attachments_dir: Path | None = None
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    state_ttl_days: int = Field(default=30, gt=0)
    claim_lease_seconds: int = Field(default=900, gt=0)
    target_hours: int = Field(default=48, gt=0)
    policy_file: Path | None = None
    receipt_workers: int = Field(default=1, gt=0)  # processes reading receipts (each loads the OCR models once)
    receipt_read_seconds: float = Field(default=60, gt=0)  # a read taking longer is stopped: "could not read"
    # who runs background work (queue relay, notice retries, file sweep, Telegram polling):
    # "in_process" - `shanqiao serve` itself (one process, e.g. `make run`);
    # "worker" - a separate `shanqiao worker`; web processes then run none (`serve --workers N` implies it)
    background: Literal["in_process", "worker"] = "in_process"
    secure_cookies: bool = False  # set behind HTTPS so console cookies are never sent in clear
    # the web chat's address as residents reach it (e.g. https://shanqiao.example.org): resume links point here;
    # unset, they point at http://HOST:PORT
    public_url: str | None = None
    # a WeChat service account (服务号): the channel starts when the AppID is set (see docs/deploy.md)
    wechat_appid: str | None = None
    wechat_secret: str | None = None
    wechat_token: str | None = None  # the callback's token, as entered in WeChat's server settings
    wechat_aes_key: str | None = None  # the 43-character EncodingAESKey; unset: plain mode
    wechat_api_base: str | None = None  # WeChat's API address (unset: api.weixin.qq.com; a fake in tests)
    wechat_notice_template: str | None = None  # the subscription notice template for notices outside 48 h
    # the number the web chat's 「找人工 / 打电话」 help calls: Guangzhou's 12345 government service hotline
    hotline: str = Field(default="12345", pattern=r"^\+?[0-9][0-9-]{2,19}$")
    # the reverse proxies in front of the server (addresses or networks, comma-separated, e.g.
    # "10.0.0.5,10.1.0.0/16"): only their X-Forwarded-For is believed; unset, the peer's own address counts
    trusted_proxies: str = ""
    # retention periods in days per data class, over the defaults in intake/privacy/retention.py,
    # e.g. {"closed": 1825, "receipts": 180}; "unfinished" defaults to STATE_TTL_DAYS
    retention: dict[str, int] = Field(default_factory=dict)

    @property
    def web_url(self) -> str:
        """Where residents open the web chat."""
        return self.public_url or f"http://{self.host}:{self.port}"

    def private_var(self) -> Path:
        """var/, made readable by this account only (0700): it holds the database, the key and residents' files."""
        self.var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.var_dir.chmod(0o700)
        return self.var_dir

    @cached_property
    def sql_url(self) -> str:
        """The database URL: configured, or SQLite under var/ (the file itself is made 0600 when opened)."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.private_var() / 'shanqiao.db').resolve()}"

    @cached_property
    def secret(self) -> str:
        """The secret key: configured, or generated once into var/ for development."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if not path.exists():
            self.private_var()
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    @cached_property
    def attachments_path(self) -> Path:
        """Where received files are kept."""
        if self.attachments_dir is None:
            self.private_var()
        path = self.attachments_dir or self.var_dir / "attachments"
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    @property
    def index_cache_path(self) -> Path:
        """Where the knowledge base keeps its built indexes, one per corpus version."""
        return self.var_dir / "knowledge"
