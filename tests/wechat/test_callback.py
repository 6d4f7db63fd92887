"""The callback: URL check, signatures and msg_signature refused before anything is read, malformed bodies."""
from __future__ import annotations

import httpx

from bot.wechat.crypto import signature
from tests.wechat.fake_wechat import AES_KEY, TOKEN, FakeWechat, to_xml
from tests.wechat.harness import WechatResident, running_app


async def test_url_check_answers_echostr_only_when_signed(tmp_path, fake):
    async with running_app(tmp_path, fake):
        async with httpx.AsyncClient() as client:
            good = {"signature": signature(TOKEN, "1700000000", "42"), "timestamp": "1700000000", "nonce": "42",
                    "echostr": "5837397520617"}
            answer = await client.get(fake.callback_url, params=good)
            assert answer.status_code == 200 and answer.text == "5837397520617"
            answer = await client.get(fake.callback_url, params={**good, "signature": "0" * 40})
            assert answer.status_code == 403 and "5837397520617" not in answer.text


async def test_a_wrong_signature_is_refused_and_changes_nothing(tmp_path, any_mode: FakeWechat):
    fake = any_mode
    async with running_app(tmp_path, fake) as app:
        fields = fake.message("o-forger", "text", Content="你好")
        query, body = fake.sign(to_xml(fields))
        async with httpx.AsyncClient() as client:
            bad = {**query, "signature": "0" * 40, **({"msg_signature": "0" * 40} if fake.safe else {})}
            answer = await client.post(fake.callback_url, params=bad, content=body)
            assert answer.status_code == 403
            if fake.safe:
                # the plain signature is right, the one over the encrypted body is not: still refused
                answer = await client.post(fake.callback_url, params={**query, "msg_signature": "1" * 40},
                                           content=body)
                assert answer.status_code == 403
            assert await app.state.services.states.get(_key("o-forger")) is None
            # a properly signed request from two days ago is a replay: refused as well
            old = str(int(query["timestamp"]) - 2 * 86400)
            stale = {**query, "timestamp": old, "signature": signature(TOKEN, old, query["nonce"])}
            if fake.safe:
                encrypted = body.split(b"<Encrypt><![CDATA[")[1].split(b"]]>")[0].decode()
                stale["msg_signature"] = signature(TOKEN, old, query["nonce"], encrypted)
            assert (await client.post(fake.callback_url, params=stale, content=body)).status_code == 403
            # the message was not claimed either: signed properly, it is answered
            answer = await client.post(fake.callback_url, params=query, content=body)
            assert answer.status_code == 200 and fake.read_reply(answer.content, fields)


async def test_malformed_bodies_are_400(tmp_path, any_mode: FakeWechat):
    fake = any_mode
    async with running_app(tmp_path, fake):
        async with httpx.AsyncClient() as client:
            for body in (b"not xml", b"<xml><FromUserName>x</FromUserName></xml>",
                         b'<!DOCTYPE xml [<!ENTITY a "b">]><xml>&a;</xml>'):
                query, sent = fake.sign(body)
                answer = await client.post(fake.callback_url, params=query, content=sent)
                assert answer.status_code == 400, body


async def test_a_message_for_another_account_is_refused(tmp_path):
    """Safe mode: a body encrypted with the right key but for another AppID is not ours."""
    from bot.wechat.crypto import MessageCrypto

    async with FakeWechat(safe=True) as fake:
        fake.crypto = MessageCrypto(app_id="wx0000000000000000", token=TOKEN, aes_key=AES_KEY)
        async with running_app(tmp_path, fake, wechat_aes_key=AES_KEY):
            delivery = await fake.deliver(fake.message("o-other", "text", Content="你好"))
            assert delivery.statuses == [403]


def _key(openid: str):
    from bot.conversation import ConversationKey

    return ConversationKey("wechat", openid)


async def test_plain_text_gets_a_passive_reply_with_tappable_options(tmp_path, any_mode: FakeWechat):
    fake = any_mode
    async with running_app(tmp_path, fake):
        resident = WechatResident(fake, "o-first")
        seen = await resident.text("你好")
        assert [s.how for s in seen] == ["passive"]
        assert resident.shown_links(), resident.said()
