"""Starting the WeChat channel in a process: API client, token keeper, update log, callback route, notices."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter

from bot.settings import Settings
from bot.telegram.updates import BaseUpdateLog, RedisUpdateLog, SqlUpdateLog
from bot.wechat.api import WechatApi
from bot.wechat.callback import callback_router
from bot.wechat.channel import CHANNEL, WechatChannel
from bot.wechat.crypto import MessageCrypto
from bot.wechat.notifier import WechatNotifier
from bot.wechat.token import AccessTokens

log = logging.getLogger(__name__)


@dataclass(slots=True)
class WechatHandle:
    """A running WeChat channel: its callback route and how to stop it."""

    channel: WechatChannel
    router: APIRouter

    async def stop(self) -> None:
        if not await self.channel.drain():
            log.warning("wechat: stopping with answers still being pushed")
        await self.channel.api.aclose()


def build_update_log(settings: Settings, redis: Any, engine: Any) -> BaseUpdateLog:
    """Message ids shared through Redis when configured, in the SQL database otherwise."""
    if redis is None:
        return SqlUpdateLog(engine, bot_id=settings.wechat_appid, channel=CHANNEL)
    return RedisUpdateLog(redis, prefix=settings.redis_prefix, bot_id=settings.wechat_appid, channel=CHANNEL)


def start_wechat(settings: Settings, services: Any) -> WechatHandle:
    """The channel over the services' runner, its notices registered; every process builds its own."""
    if not (settings.wechat_appid and settings.wechat_secret and settings.wechat_token):
        raise ValueError("SHANQIAO_WECHAT_APPID, SHANQIAO_WECHAT_SECRET and SHANQIAO_WECHAT_TOKEN are needed")
    api = WechatApi(app_id=settings.wechat_appid, secret=settings.wechat_secret, base=settings.wechat_api_base,
                    max_media_bytes=settings.max_attachment_bytes)
    crypto = None
    if settings.wechat_aes_key:
        crypto = MessageCrypto(app_id=settings.wechat_appid, token=settings.wechat_token,
                               aes_key=settings.wechat_aes_key)
    channel = WechatChannel(runner=services.runner, files=services.files, mailbox=services.mailbox,
                            updates=build_update_log(settings, services.redis, services.engine), api=api,
                            tokens=AccessTokens(services.engine, api, vault=services.vault), vault=services.vault,
                            hotline=settings.hotline)
    services.notifiers.register(CHANNEL, WechatNotifier(
        channel=channel, mailbox=services.mailbox, states=services.states,
        template_id=settings.wechat_notice_template, default_locale=settings.locale))
    log.info("wechat: channel started (%s mode)", "safe" if crypto else "plain")
    return WechatHandle(channel, callback_router(channel, token=settings.wechat_token, crypto=crypto))
