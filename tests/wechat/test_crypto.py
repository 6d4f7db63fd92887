"""Safe-mode crypto against the published vectors other WeChat SDKs test with (token 123456, the
EncodingAESKey kWxPEV2U…, AppID wx49f0ab532d5d035a, a fixed 16-byte prefix), and its refusals."""
from __future__ import annotations

import pytest

from bot.wechat.crypto import CryptoError, MessageCrypto, signature

KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
APP_ID = "wx49f0ab532d5d035a"
ECHO = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="


def test_signature_vector():
    assert signature("test", "123456", "test", "rust") == "d6056f2bb3ad3e30f4afa5ef90cc9ddcdc7b7b27"


def test_encryption_is_byte_exact():
    crypto = MessageCrypto(app_id="rust", token="test", aes_key=KEY, random=lambda n: b"1234567890123456"[:n])
    encrypted, signed = crypto.encrypt(b"test", timestamp="123456", nonce="test")
    assert encrypted == "9s4gMv99m88kKTh/H8IdkNiFGeG9pd7vNWl50fGRWXY="
    assert signed == signature("test", "123456", "test", encrypted)
    assert crypto.decrypt(encrypted, msg_signature=signed, timestamp="123456", nonce="test") == b"test"


def test_a_published_message_decrypts_for_its_appid_only():
    crypto = MessageCrypto(app_id=APP_ID, token="123456", aes_key=KEY)
    signed = "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
    assert crypto.decrypt(ECHO, msg_signature=signed, timestamp="1411443780", nonce="437374425")
    with pytest.raises(CryptoError) as refused:  # one digit of the nonce changed: the signature no longer fits
        crypto.decrypt(ECHO, msg_signature=signed, timestamp="1411443780", nonce="437374424")
    assert refused.value.reason == "signature"
    other = MessageCrypto(app_id="wx0000000000000000", token="123456", aes_key=KEY)
    with pytest.raises(CryptoError) as refused:
        other.decrypt(ECHO, msg_signature=signed, timestamp="1411443780", nonce="437374425")
    assert refused.value.reason == "appid"


def test_long_messages_round_trip_with_32_byte_padding():
    crypto = MessageCrypto(app_id=APP_ID, token="123456", aes_key=KEY)
    for size in (0, 1, 11, 12, 13, 44, 45, 1000):
        message = ("善" * size).encode()
        encrypted, signed = crypto.encrypt(message, timestamp="1", nonce="n")
        assert crypto.decrypt(encrypted, msg_signature=signed, timestamp="1", nonce="n") == message


def test_garbage_is_refused_not_crashed_on():
    crypto = MessageCrypto(app_id=APP_ID, token="123456", aes_key=KEY)
    for body in ("not base64!", "AAAA", "A" * 44):
        with pytest.raises(CryptoError):
            crypto.decrypt(body, msg_signature=signature("123456", "1", "n", body), timestamp="1", nonce="n")
