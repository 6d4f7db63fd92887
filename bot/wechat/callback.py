"""`GET|POST /wechat/callback`: WeChat's URL check, and messages in plain or safe mode.

A request whose signature does not match is refused with 403 before anything is read from it; a
body that is not a WeChat message is a 400. In safe mode the `msg_signature` over the encrypted body
is checked before decrypting, and the AppID inside after.
"""
from __future__ import annotations

import asyncio
import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.background import BackgroundTask

from bot.telegram.updates import UPDATE_TTL_SECONDS
from bot.wechat.channel import WechatChannel
from bot.wechat.crypto import CryptoError, MessageCrypto, check_signature
from bot.wechat.messages import BadMessage, WechatMessage, encrypted_reply, parse_fields, text_reply

PATH = "/wechat/callback"
# a signed request older than the update log remembers message ids could be a replay of a captured one
FRESH_SECONDS = UPDATE_TTL_SECONDS
Param = Annotated[str, Query(max_length=128)]
OptionalParam = Annotated[str | None, Query(max_length=128)]


def callback_router(channel: WechatChannel, *, token: str, crypto: MessageCrypto | None) -> APIRouter:
    """The callback routes of one account (`crypto` set: safe mode)."""
    router = APIRouter()

    @router.get(PATH, include_in_schema=False)
    async def check_url(signature: Param, timestamp: Param, nonce: Param, echostr: Param) -> Response:
        try:
            check_signature(signature, token, timestamp, nonce)
        except CryptoError:
            return PlainTextResponse("signature mismatch", status_code=403)
        return PlainTextResponse(echostr)

    @router.post(PATH, include_in_schema=False)
    async def receive(request: Request, timestamp: Param, nonce: Param, signature: OptionalParam = None,
                      msg_signature: OptionalParam = None, encrypt_type: OptionalParam = None) -> Response:
        arrived = asyncio.get_running_loop().time()
        body = await request.body()
        safe = (encrypt_type or "raw").lower() == "aes"
        try:
            if crypto is None:
                check_signature(signature, token, timestamp, nonce)
                if safe:
                    return PlainTextResponse("safe mode is not configured", status_code=400)
                fields = parse_fields(body)
            else:
                if not safe:
                    return PlainTextResponse("this account takes encrypted messages only", status_code=400)
                envelope = parse_fields(body)
                if "Encrypt" not in envelope:
                    return PlainTextResponse("no Encrypt field", status_code=400)
                fields = parse_fields(crypto.decrypt(envelope["Encrypt"], msg_signature=msg_signature,
                                                     timestamp=timestamp, nonce=nonce))
            message = WechatMessage.from_fields(fields)
            if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > FRESH_SECONDS:
                raise CryptoError("signature")
        except CryptoError as error:
            if error.reason in ("signature", "appid"):  # not signed by WeChat, or meant for another account
                return PlainTextResponse("signature mismatch", status_code=403)
            return PlainTextResponse("cannot decrypt", status_code=400)
        except BadMessage as error:
            return PlainTextResponse(str(error), status_code=400)
        answer = await channel.receive(message, arrived=arrived)
        if answer.passive is None:
            return PlainTextResponse("success")
        reply = text_reply(message, answer.passive)
        if crypto is not None:
            stamp, once = str(int(time.time())), secrets.token_hex(8)
            encrypted, signed = crypto.encrypt(reply, timestamp=stamp, nonce=once)
            reply = encrypted_reply(encrypted, signed, stamp, once)
        # the rest of a long answer goes out once the passive reply has (a push sent earlier would come first)
        return Response(reply, media_type="application/xml",
                        background=BackgroundTask(channel.after_reply, message.user, answer.after))

    return router
