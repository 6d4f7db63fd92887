"""Starting the WeChat channel in a process: API client, token keeper, update log, callback route, notices."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter

from bot.telegram.updates import BaseUpdateLog, RedisUpdateLog, SqlUpdateLog
from bot.wechat.api import WechatApi
from bot.wechat.callback import callback_router
from bot.wechat.channel import CHANNEL, WechatChannel
from bot.wechat.crypto import MessageCrypto
from bot.wechat.notifier import WechatNotifier
from bot.wechat.setup import WechatSetup
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


def build_update_log(setup: WechatSetup, redis: Any, engine: Any) -> BaseUpdateLog:
    """Message ids shared through Redis when configured, in the SQL database otherwise."""
    if redis is None:
        return SqlUpdateLog(engine, bot_id=setup.appid, channel=CHANNEL)
    return RedisUpdateLog(redis, prefix=setup.redis_prefix, bot_id=setup.appid, channel=CHANNEL)


def start_wechat(setup: WechatSetup, services: Any) -> WechatHandle:
    """The channel over the services' runner, its notices registered; every process builds its own."""
    api = WechatApi(app_id=setup.appid, secret=setup.secret, base=setup.api_base,
                    max_media_bytes=setup.max_media_bytes)
    crypto = None
    if setup.aes_key:
        crypto = MessageCrypto(app_id=setup.appid, token=setup.token, aes_key=setup.aes_key)
    channel = WechatChannel(runner=services.runner, files=services.files, mailbox=services.mailbox,
                            updates=build_update_log(setup, services.redis, services.engine), api=api,
                            tokens=AccessTokens(services.engine, api, vault=services.vault), vault=services.vault,
                            hotline=setup.hotline)
    services.notifiers.register(CHANNEL, WechatNotifier(
        channel=channel, mailbox=services.mailbox, states=services.states,
        template_id=setup.notice_template, default_locale=setup.locale))
    log.info("wechat: channel started (%s mode)", "safe" if crypto else "plain")
    return WechatHandle(channel, callback_router(channel, token=setup.token, crypto=crypto))
