"""The composition root: the only place settings are read; what each part needs is built here and passed in."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.files import FileStore, file_ids, sweep
from bot.notices import NoticeOutbox
from bot.notifiers import Mailbox, Notifiers, RedisMailbox, SqlMailbox
from bot.limits import RedisAttempts
from bot.reading import ReceiptReading
from bot.resume import GUESS_WINDOW, ResumeDesk
from bot.rights import ResidentRights
from bot.runner import Runner
from bot.settings import Settings
from bot.state.base import BaseStateStore
from bot.state.journal import Journal
from bot.state.sql import SqlStateStore
from bot.telegram.setup import TelegramSetup
from bot.telegram.webhook import webhook_secret
from bot.wechat.setup import WechatSetup
from intake.crypto import Vault
from intake.database import create_engine
from intake.receipts import ReceiptReader
from intake.privacy.retention import Retention
from intake.privacy.sweep import RetentionSweep
from intake.console.mydata import DownloadLinks
from intake.privacy.rights import RightsDesk
from intake.store.access import AccessLog
from intake.store.consents import ConsentLog
from intake.store.attempts import SqlAttempts
from intake.store.resume import ResumeCodes
from intake.store.sql import SqlIntakeStore
from intake.store.transcripts import TranscriptLog
from knowledge.answerer import build_answerer
from knowledge.params import PolicyParams, load_params


log = logging.getLogger(__name__)
REDIS_CONNECTIONS = 64  # per process; a Redis command takes well under a millisecond
REDIS_WAIT_SECONDS = 10


@dataclass(frozen=True, slots=True)
class WebSetup:
    """What the web app reads when it is made and started: its limits, its cookies, the console's terms."""

    secret: str  # signs the web chat's and the console's cookies
    locale: str = "zh"
    hotline: str = "12345"
    speech_dir: Path = Path("var/speech")
    redis_prefix: str = "shanqiao"
    max_attachment_bytes: int = 10 * 1024 * 1024
    trusted_proxies: str = ""
    secure_cookies: bool = False
    target_hours: int = 48
    claim_lease_seconds: int = 900
    in_process: bool = True  # background work runs in this process (else in `shanqiao worker`)


def web_setup(settings: Settings) -> WebSetup:
    """The web app's setup from the settings."""
    return WebSetup(secret=settings.secret, locale=settings.locale, hotline=settings.hotline,
                    speech_dir=settings.var_dir / "speech", redis_prefix=settings.redis_prefix,
                    max_attachment_bytes=settings.max_attachment_bytes, trusted_proxies=settings.trusted_proxies,
                    secure_cookies=settings.secure_cookies, target_hours=settings.target_hours,
                    claim_lease_seconds=settings.claim_lease_seconds, in_process=settings.background == "in_process")


def telegram_setup(settings: Settings) -> TelegramSetup | None:
    """The Telegram bot's setup, or None when no token is set."""
    if not settings.telegram_token:
        return None
    secret = webhook_secret(configured=settings.webhook_secret, secret_key=settings.secret) \
        if settings.webhook_url else ""
    return TelegramSetup(token=settings.telegram_token, runtime=settings.bot_runtime,
                         api_base=settings.telegram_api_base, webhook_url=settings.webhook_url,
                         webhook_secret=secret, locale=settings.locale, redis_prefix=settings.redis_prefix)


def wechat_setup(settings: Settings) -> WechatSetup | None:
    """The WeChat service account's setup, or None when no AppID is set."""
    if not settings.wechat_appid:
        return None
    if not (settings.wechat_secret and settings.wechat_token):
        raise ValueError("SHANQIAO_WECHAT_APPID, SHANQIAO_WECHAT_SECRET and SHANQIAO_WECHAT_TOKEN are needed")
    return WechatSetup(appid=settings.wechat_appid, secret=settings.wechat_secret, token=settings.wechat_token,
                       aes_key=settings.wechat_aes_key, api_base=settings.wechat_api_base,
                       notice_template=settings.wechat_notice_template,
                       max_media_bytes=settings.max_attachment_bytes, hotline=settings.hotline,
                       locale=settings.locale, redis_prefix=settings.redis_prefix)


@dataclass(slots=True)
class Services:
    """Everything a channel needs, built once per process."""

    settings: Settings  # for the wiring and tests; the parts read the setups below
    web: WebSetup
    engine: Any
    vault: Vault
    params: PolicyParams
    intakes: SqlIntakeStore
    queue: Any
    states: BaseStateStore
    runner: Runner
    files: FileStore
    mailbox: Mailbox
    notifiers: Notifiers
    answerer: Any
    transcripts: TranscriptLog
    receipts: ReceiptReader
    notices: NoticeOutbox
    reading: ReceiptReading
    resume: ResumeDesk
    access: AccessLog
    retention: RetentionSweep
    consents: ConsentLog
    rights: RightsDesk
    redis: Any = None
    telegram: TelegramSetup | None = None  # None: no Telegram bot
    wechat: WechatSetup | None = None  # None: no WeChat service account

    async def sweep_files(self, *, grace_seconds: float = 86400) -> int:
        """Remove received files that no intake and no open conversation refers to, once a day old."""
        keep = await self.intakes.attached_file_ids()
        async for state in self.states.states():
            keep |= file_ids(state)
        return await asyncio.to_thread(sweep, self.files.directory, keep, older_than=grace_seconds)

    async def sweep_retention(self, *, dry_run: bool = False) -> dict[str, int]:
        """Delete or anonymise what has passed its retention period (counts only with `dry_run`); the counts."""
        counts = await self.retention.run(dry_run=dry_run)
        log.info("retention sweep%s: %s", " (dry run)" if dry_run else "",
                 ", ".join(f"{name} {n}" for name, n in counts.items() if n) or "nothing expired")
        return counts

    async def aclose(self) -> None:
        await self.reading.aclose()
        await self.receipts.aclose()
        await self.queue.close()
        await self.states.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


def retention_for(settings: Settings) -> Retention:
    """The retention periods: the defaults, unfinished conversations after STATE_TTL_DAYS, and RETENTION's changes."""
    return Retention(unfinished=timedelta(days=settings.state_ttl_days)).with_days(settings.retention)


async def build_services(settings: Settings) -> Services:
    """Build the stores, queue, answerer and runner the settings ask for (embedded by default)."""
    vault = Vault(settings.secret)
    engine = create_engine(settings.sql_url)
    params = load_params(settings.policy_file)
    intakes = SqlIntakeStore(engine, vault)
    intakes.params = params  # urgency is scored with the configured parameter file
    lease = timedelta(seconds=settings.claim_lease_seconds)
    redis = None
    if settings.redis_url:
        from redis.asyncio import BlockingConnectionPool, Redis

        from bot.state.redis import RedisStateStore
        from intake.queue.redis import RedisQueue

        # under load a turn waits for a free connection instead of failing at redis-py's default cap;
        # after the timeout it is a polite 503 like any other Redis outage
        redis = Redis(connection_pool=BlockingConnectionPool.from_url(
            settings.redis_url, max_connections=REDIS_CONNECTIONS, timeout=REDIS_WAIT_SECONDS))
        states: BaseStateStore = RedisStateStore(redis, vault=vault, prefix=settings.redis_prefix,
                                                 ttl_seconds=int(retention_for(settings).unfinished.total_seconds()),
                                                 journal=Journal(engine, vault))
        mailbox: Mailbox = RedisMailbox(redis, vault=vault, prefix=settings.redis_prefix)
        # the queue keeps its own client: during an outage its claims fall back to SQL quickly
        queue = RedisQueue(intakes, settings.redis_url, prefix=settings.redis_prefix, lease=lease)
    else:
        from intake.queue.sql import SqlQueue

        # the embedded default keeps conversations and waiting messages in the database: a restart loses none
        states = SqlStateStore(engine, vault=vault)
        mailbox = SqlMailbox(engine, vault=vault)
        queue = SqlQueue(intakes, lease=lease)
    answerer = build_answerer(llm_base_url=settings.llm_base_url, llm_model=settings.llm_model,
                              llm_api_key=settings.llm_api_key, params_path=settings.policy_file,
                              on_unanswered=intakes.log_unanswered, cache_dir=settings.index_cache_path)
    transcripts = TranscriptLog(engine, vault)
    files = FileStore(settings.attachments_path, max_bytes=settings.max_attachment_bytes, vault=vault)
    reader = ReceiptReader(workers=settings.receipt_workers, timeout=settings.receipt_read_seconds)
    # resume code guesses are counted where every process sees them: Redis when configured, else the database
    attempts = RedisAttempts(redis, window=GUESS_WINDOW, prefix=settings.redis_prefix) if redis \
        else SqlAttempts(engine, window=GUESS_WINDOW)
    resume = ResumeDesk(codes=ResumeCodes(engine, vault), states=states, mailbox=mailbox,
                        web_url=settings.web_url, attempts=attempts)
    consents = ConsentLog(engine)
    access, rights = AccessLog(engine), RightsDesk(engine, vault)
    resident_rights = ResidentRights(resume=resume, intakes=intakes, consents=consents, rights=rights, access=access,
                                     links=DownloadLinks(settings.secret), web_url=settings.web_url)
    notices, notifiers = NoticeOutbox(engine, vault=vault), Notifiers(mailbox)
    reading = ReceiptReading(files=files, reader=reader, notices=notices, notifier=notifiers)
    runner = Runner(states=states, intakes=intakes, params=params, vault=vault, answerer=answerer,
                    default_locale=settings.locale, reading=reading, resume=resume, consents=consents,
                    rights=resident_rights)
    reading.runner = runner
    return Services(settings=settings, web=web_setup(settings), telegram=telegram_setup(settings),
                    wechat=wechat_setup(settings), engine=engine, vault=vault, params=params, intakes=intakes, queue=queue,
                    states=states, runner=runner, files=files, mailbox=mailbox, notifiers=notifiers,
                    answerer=answerer, transcripts=transcripts, redis=redis,
                    receipts=reader, notices=notices, reading=reading, resume=resume,
                    access=access,
                    retention=RetentionSweep(engine, vault, retention_for(settings), conversations=states.expire),
                    consents=consents, rights=rights)
